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
     * Single-key linearizable gets over a preloaded key space.
     */
    RANGE
}
