package io.metastore.node.service;

import io.metastore.node.kv.AutoCompaction;
import io.metastore.node.lease.LeaseLimits;

/**
 * What the clustered service is built from: its limits and batching, named one by one, with the node's defaults.
 * A node fills it from its Context; tests and tooling set what they need.
 */
public final class ServiceSettings
{
    /**
     * Default largest key: 4 KiB.
     */
    public static final int MAX_KEY_BYTES_DEFAULT = 4096;

    /**
     * Default largest value: 1 MiB.
     */
    public static final int MAX_VALUE_BYTES_DEFAULT = 1024 * 1024;

    /**
     * Default soft bound on the keys and values of one range response: 1 MiB.
     */
    public static final int MAX_RESPONSE_BYTES_DEFAULT = 1024 * 1024;

    /**
     * Default bound on the responses to one ingress message sent as one egress message: 256 KiB.
     */
    public static final int EGRESS_BATCH_BYTES_DEFAULT = 256 * 1024;

    /**
     * Default offers of a response retried while the client's egress is back pressured, before it is dropped.
     */
    public static final int EGRESS_RETRY_LIMIT_DEFAULT = 1000;

    /**
     * Default target size of a snapshot's chunk of leases: 64 KiB.
     */
    public static final int SNAPSHOT_CHUNK_BYTES_DEFAULT = 64 * 1024;

    /**
     * Default most compares, and most operations per list, of one transaction: etcd's 128.
     */
    public static final int MAX_TXN_OPS_DEFAULT = 128;

    private int clusterId;
    private int maxKeyBytes = MAX_KEY_BYTES_DEFAULT;
    private int maxValueBytes = MAX_VALUE_BYTES_DEFAULT;
    private long maxResponseBytes = MAX_RESPONSE_BYTES_DEFAULT;
    private int egressBatchBytes = EGRESS_BATCH_BYTES_DEFAULT;
    private int egressRetryLimit = EGRESS_RETRY_LIMIT_DEFAULT;
    private int snapshotChunkBytes = SNAPSHOT_CHUNK_BYTES_DEFAULT;
    private int maxTxnOps = MAX_TXN_OPS_DEFAULT;
    private AutoCompaction autoCompaction = AutoCompaction.OFF;
    private LeaseLimits leaseLimits = LeaseLimits.DEFAULT;

    /**
     * @param clusterId reported in every response header.
     * @return this for a fluent API.
     */
    public ServiceSettings clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    /**
     * @return the id reported in every response header.
     */
    public int clusterId()
    {
        return clusterId;
    }

    /**
     * @param maxKeyBytes largest key accepted.
     * @return this for a fluent API.
     */
    public ServiceSettings maxKeyBytes(final int maxKeyBytes)
    {
        this.maxKeyBytes = maxKeyBytes;
        return this;
    }

    /**
     * @return the largest key accepted, in bytes.
     */
    public int maxKeyBytes()
    {
        return maxKeyBytes;
    }

    /**
     * @param maxValueBytes largest value accepted.
     * @return this for a fluent API.
     */
    public ServiceSettings maxValueBytes(final int maxValueBytes)
    {
        this.maxValueBytes = maxValueBytes;
        return this;
    }

    /**
     * @return the largest value accepted, in bytes.
     */
    public int maxValueBytes()
    {
        return maxValueBytes;
    }

    /**
     * @param maxResponseBytes soft bound on the keys and values of one response.
     * @return this for a fluent API.
     */
    public ServiceSettings maxResponseBytes(final long maxResponseBytes)
    {
        this.maxResponseBytes = maxResponseBytes;
        return this;
    }

    /**
     * @return the soft bound on the keys and values of one response, in bytes.
     */
    public long maxResponseBytes()
    {
        return maxResponseBytes;
    }

    /**
     * @param egressBatchBytes responses to one ingress message leave in one egress message up to this size.
     * @return this for a fluent API.
     */
    public ServiceSettings egressBatchBytes(final int egressBatchBytes)
    {
        this.egressBatchBytes = egressBatchBytes;
        return this;
    }

    /**
     * @return the most bytes of responses sent as one egress message.
     */
    public int egressBatchBytes()
    {
        return egressBatchBytes;
    }

    /**
     * @param egressRetryLimit offers of a response retried while back pressured before it is dropped.
     * @return this for a fluent API.
     */
    public ServiceSettings egressRetryLimit(final int egressRetryLimit)
    {
        this.egressRetryLimit = egressRetryLimit;
        return this;
    }

    /**
     * @return the offers of a response retried while back pressured before it is dropped.
     */
    public int egressRetryLimit()
    {
        return egressRetryLimit;
    }

    /**
     * @param snapshotChunkBytes target size of a snapshot's chunk of leases.
     * @return this for a fluent API.
     */
    public ServiceSettings snapshotChunkBytes(final int snapshotChunkBytes)
    {
        this.snapshotChunkBytes = snapshotChunkBytes;
        return this;
    }

    /**
     * @return the target size of a snapshot's chunk of leases, in bytes.
     */
    public int snapshotChunkBytes()
    {
        return snapshotChunkBytes;
    }

    /**
     * @param maxTxnOps most compares, and most operations per list, of one transaction.
     * @return this for a fluent API.
     */
    public ServiceSettings maxTxnOps(final int maxTxnOps)
    {
        this.maxTxnOps = maxTxnOps;
        return this;
    }

    /**
     * @return the most compares, and most operations per list, of one transaction.
     */
    public int maxTxnOps()
    {
        return maxTxnOps;
    }

    /**
     * @param leaseLimits bounds on leases.
     * @return this for a fluent API.
     */
    public ServiceSettings leaseLimits(final LeaseLimits leaseLimits)
    {
        this.leaseLimits = leaseLimits;
        return this;
    }

    /**
     * @return the bounds on leases.
     */
    public LeaseLimits leaseLimits()
    {
        return leaseLimits;
    }

    /**
     * @param autoCompaction automatic compaction, {@link AutoCompaction#OFF} by default as in etcd.
     * @return this for a fluent API.
     */
    public ServiceSettings autoCompaction(final AutoCompaction autoCompaction)
    {
        this.autoCompaction = autoCompaction;
        return this;
    }

    /**
     * @return the automatic compaction.
     */
    public AutoCompaction autoCompaction()
    {
        return autoCompaction;
    }
}
