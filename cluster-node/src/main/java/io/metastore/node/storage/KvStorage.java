package io.metastore.node.storage;

/**
 * What the state machine needs of storage: point reads and writes that see every earlier write of the current
 * batch, ordered iteration over a key range, and an atomic commit of the batch with the log position it reaches.
 * <p>
 * Keys are the user's keys; records are {@link io.metastore.node.kv.KeyValueRecord}s.
 */
public interface KvStorage
{
    /**
     * Read a key, through the uncommitted batch.
     *
     * @param key to read.
     * @return the record, or null if the key does not exist.
     */
    byte[] get(byte[] key);

    /**
     * Write a key into the current batch.
     *
     * @param key    to write.
     * @param record to store under it.
     */
    void put(byte[] key, byte[] record);

    /**
     * Delete a key in the current batch.
     *
     * @param key to delete.
     */
    void delete(byte[] key);

    /**
     * Open a cursor over the keys, through the uncommitted batch. Close it before the next write.
     *
     * @return a cursor positioned nowhere; seek it first.
     */
    KvCursor cursor();

    /**
     * Open a cursor for one pass over every committed key, in order, at start: read ahead, not cached, with
     * {@link KvCursor#recordPrefix(int)} to read a record's header without copying its value.
     *
     * @return a cursor positioned nowhere; seek it first.
     */
    KvCursor scanCursor();

    /**
     * @return an estimate of the number of committed keys, to size what is built from them.
     */
    long estimatedKeyCount();

    /**
     * Record a change of a key in the history, in the current batch: a put with its record, or a delete.
     *
     * @param key         changed.
     * @param revision    of the change.
     * @param subRevision of the change within its revision, from 0 in the order applied.
     * @param timestampMs cluster time of the log entry that made the change.
     * @param record      the key's record after a put, or null for a delete.
     */
    default void putHistory(
        final byte[] key, final long revision, final int subRevision, final long timestampMs, final byte[] record)
    {
        putHistory(key, revision, subRevision, timestampMs, record, null);
    }

    /**
     * Record a change of a key in the history, in the current batch, finding the key's history through what the
     * previous call for the same key returned: a put spares a second lookup of its key.
     *
     * @param key         changed.
     * @param revision    of the change.
     * @param subRevision of the change within its revision, from 0 in the order applied.
     * @param timestampMs cluster time of the log entry that made the change.
     * @param record      the key's record after a put, or null for a delete.
     * @param hint        returned by an earlier call for this key, or null.
     * @return the hint for the key's next change.
     */
    Object putHistory(byte[] key, long revision, int subRevision, long timestampMs, byte[] record, Object hint);

    /**
     * Open a cursor over the keys as they were at a revision, through the uncommitted batch. Close it before the
     * next write.
     *
     * @param revision to read at, above the compacted revision.
     * @return a cursor positioned nowhere; seek it first.
     */
    KvCursor cursorAt(long revision);

    /**
     * Read a key as it was at a revision, through the uncommitted batch.
     *
     * @param key      to read.
     * @param revision to read at, above the compacted revision.
     * @return the key's record then, or null if it did not exist.
     */
    byte[] getAt(byte[] key, long revision);

    /**
     * The revision at and below which history is compacted, through the uncommitted batch.
     *
     * @return the compacted revision, 0 if never compacted.
     */
    long compactedRevision();

    /**
     * Compact history at a revision, in the current batch: only the newest change of each key at or below it stays
     * readable. What is no longer readable is removed later, in small steps.
     *
     * @param revision the new compacted revision.
     */
    void putCompactedRevision(long revision);

    /**
     * Read the changes of revisions {@code [fromRevision, toRevision]} in revision order, each revision's changes in
     * the order applied, through the uncommitted batch.
     *
     * @param fromRevision first revision, above the compacted revision.
     * @param toRevision   last revision.
     * @param maxChanges   most changes to read.
     * @param consumer     of each change; returning false stops the read.
     * @return the number of changes read.
     */
    int readChanges(long fromRevision, long toRevision, int maxChanges, ChangeConsumer consumer);

    /**
     * The newest revision made at or before a cluster time, among those above the compacted revision.
     *
     * @param timestampMs     cluster time.
     * @param currentRevision of the store.
     * @return the revision, or 0 if none is that old.
     */
    long lastRevisionAt(long timestampMs, long currentRevision);

    /**
     * Receives changes of the history.
     */
    @FunctionalInterface
    interface ChangeConsumer
    {
        /**
         * @param revision    of the change.
         * @param subRevision of the change within its revision.
         * @param timestampMs cluster time of the change.
         * @param key         changed.
         * @param record      of the key after a put, or null for a delete.
         * @return true to go on reading.
         */
        boolean accept(long revision, int subRevision, long timestampMs, byte[] key, byte[] record);
    }

    /**
     * Write a lease into the current batch.
     *
     * @param id       of the lease.
     * @param ttl      granted, in seconds.
     * @param deadline cluster time, in milliseconds, at which it expires.
     */
    void putLease(long id, long ttl, long deadline);

    /**
     * Delete a lease in the current batch.
     *
     * @param id of the lease.
     */
    void deleteLease(long id);

    /**
     * Visit every lease, through the uncommitted batch, in id order.
     *
     * @param consumer of each lease.
     */
    void forEachLease(LeaseConsumer consumer);

    /**
     * Write the source of the next lease id the cluster picks into the current batch.
     *
     * @param sequence to store.
     */
    void putLeaseSequence(long sequence);

    /**
     * The source of the next lease id the cluster picks, through the uncommitted batch.
     *
     * @return the stored sequence, 0 if none.
     */
    long leaseSequence();

    /**
     * Write the active alarms into the current batch, replacing those stored.
     *
     * @param record of the alarms ({@link io.metastore.node.alarm.AlarmTable#encode(java.util.List)}), or null when
     *               none is active.
     */
    void putAlarms(byte[] record);

    /**
     * The active alarms, through the uncommitted batch.
     *
     * @return the stored record of the alarms, or null if none is active.
     */
    byte[] alarms();

    /**
     * Receives stored leases.
     */
    @FunctionalInterface
    interface LeaseConsumer
    {
        /**
         * @param id       of the lease.
         * @param ttl      granted, in seconds.
         * @param deadline cluster time, in milliseconds, at which it expires.
         */
        void accept(long id, long ttl, long deadline);
    }

    /**
     * Position of the log up to which the committed state reflects, or 0 for none.
     *
     * @return the applied log position of the last commit.
     */
    long appliedPosition();

    /**
     * Revision of the store as of the last commit.
     *
     * @return the committed revision.
     */
    long appliedRevision();

    /**
     * Are there writes in the current batch not yet committed?
     *
     * @return true if {@link #commit(long, long)} has something to write.
     */
    boolean hasPendingWrites();

    /**
     * Write the current batch, with the log position and revision it reaches, in one atomic write.
     *
     * @param logPosition the batch brings the state to.
     * @param revision    of the store after the batch.
     */
    void commit(long logPosition, long revision);
}
