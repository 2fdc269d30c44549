package io.metastore.tools.bench;

import org.HdrHistogram.Histogram;

/**
 * What one run measured.
 *
 * @param operations    completed and recorded, warm-up excluded.
 * @param errors        requests that failed.
 * @param elapsedNs     wall time of the measured part.
 * @param histogram     latency of each recorded request in nanoseconds.
 * @param cpuNsPerOp    CPU time of the measured processes per operation, or -1 when it could not be read.
 * @param cpuSource     what the CPU figure covers.
 * @param txnSucceeded  transactions whose compares held, or -1 when the workload has none.
 * @param txnFailed     transactions whose compares failed, or -1 when the workload has none.
 * @param compaction    the compaction made during the run and the latency on either side of it, or null.
 */
record BenchResult(
    long operations,
    long errors,
    long elapsedNs,
    Histogram histogram,
    double cpuNsPerOp,
    String cpuSource,
    long nodeJitNs,
    long clientJitNs,
    long txnSucceeded,
    long txnFailed,
    BenchCompaction.Result compaction)
{
    double throughput()
    {
        return operations * 1e9 / Math.max(1, elapsedNs);
    }
}
