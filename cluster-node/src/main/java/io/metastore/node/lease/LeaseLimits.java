package io.metastore.node.lease;

/**
 * Bounds on leases, the same on every replica.
 *
 * @param minTtl          seconds; a smaller TTL is raised to it, as etcd does.
 * @param maxTtl          seconds; a larger TTL is refused.
 * @param maxLeases       live leases at once.
 * @param maxKeysPerLease keys attached to one lease.
 */
public record LeaseLimits(long minTtl, long maxTtl, int maxLeases, int maxKeysPerLease)
{
    /**
     * etcd's largest TTL, in seconds.
     */
    public static final long MAX_TTL_DEFAULT = 9_000_000_000L;

    /**
     * Defaults: TTL 2 s to etcd's maximum, a million leases, 100,000 keys per lease.
     */
    public static final LeaseLimits DEFAULT = new LeaseLimits(2, MAX_TTL_DEFAULT, 1_000_000, 100_000);

    /**
     * Check every bound.
     */
    public LeaseLimits
    {
        if (minTtl < 1 || maxTtl < minTtl || maxTtl > MAX_TTL_DEFAULT || maxLeases < 1 || maxKeysPerLease < 1)
        {
            throw new IllegalArgumentException("lease limits out of range: minTtl=" + minTtl + " maxTtl=" + maxTtl +
                " maxLeases=" + maxLeases + " maxKeysPerLease=" + maxKeysPerLease);
        }
    }
}
