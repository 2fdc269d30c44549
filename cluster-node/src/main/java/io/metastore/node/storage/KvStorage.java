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
