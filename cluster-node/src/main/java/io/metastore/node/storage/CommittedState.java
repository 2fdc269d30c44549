package io.metastore.node.storage;

import org.agrona.DirectBuffer;

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
     * Visit the same history as {@link #forEachKeptChange(KvStorage.ChangeConsumer)} as chunks in the store's layout,
     * in revision order: a snapshot copies them rather than each change (see {@link KeptChunks}).
     *
     * @param consumer of each chunk.
     */
    void forEachKeptChunk(ChunkConsumer consumer);

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

    /**
     * Takes the chunks of history a snapshot copies.
     */
    @FunctionalInterface
    interface ChunkConsumer
    {
        /**
         * @param key         of the chunk: the revision and sub revision of its first change, big-endian.
         * @param keyLength   of the key.
         * @param changes     of the chunk, in the store's layout ({@link ChangeChunk}).
         * @param length      of the changes.
         */
        void accept(DirectBuffer key, int keyLength, DirectBuffer changes, int length);
    }
}
