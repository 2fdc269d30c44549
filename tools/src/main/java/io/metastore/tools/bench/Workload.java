package io.metastore.tools.bench;

/**
 * What the benchmark sends.
 */
public enum Workload
{
    /**
     * Puts of {@code --val-size} byte values over the key space.
     */
    PUT,

    /**
     * Single-key gets over a preloaded key space: linearizable, or serializable with {@code --consistency s}.
     */
    RANGE,

    /**
     * Puts as {@link #PUT}, each attached to one of a handful of leases granted, with a long TTL, before the run.
     */
    LEASE_PUT,

    /**
     * Transactions of one compare, {@code modRevision(key) < a large number}, and one put; success and failure
     * counted.
     */
    TXN_PUT,

    /**
     * Puts as {@link #PUT}, each value carrying its send time, watched by {@code --watchers} watchers of every key:
     * put to event latency, events delivered, lost and duplicated.
     */
    WATCH
}
