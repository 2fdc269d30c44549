package io.metastore.node.storage;

/**
 * The committed replicated state a snapshot streams: the live store on the service's thread (after a commit), or a
 * {@link CommittedView} of it on another thread (a snapshot saved from a running member).
 */
public interface CommittedState
{
    /**
     * @return the log position the state reflects.
     */
    long appliedPosition();

    /**
     * @return the revision of the state.
     */
    long appliedRevision();

    /**
     * @return the compacted revision of the state.
     */
    long committedCompactedRevision();

    /**
     * @return the number of keys of the state.
     */
    long liveKeyCount();

    /**
     * Visit the history a read at or after the compacted revision can see, in revision order.
     *
     * @param consumer of each change kept.
     */
    void forEachKeptChange(KvStorage.ChangeConsumer consumer);

    /**
     * @return the lease id sequence.
     */
    long committedLeaseSequence();

    /**
     * @param consumer of each lease.
     */
    void forEachCommittedLease(KvStorage.LeaseConsumer consumer);

    /**
     * @return the record of the active alarms, or null if none is active.
     */
    byte[] committedAlarms();
}
