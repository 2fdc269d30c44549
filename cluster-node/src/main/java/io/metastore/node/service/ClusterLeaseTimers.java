package io.metastore.node.service;

import io.aeron.cluster.service.Cluster;
import io.metastore.node.lease.LeaseTimers;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Lease timers as Aeron cluster timers, keyed by the lease id, in the cluster's time unit. A back pressured
 * schedule or cancel is retried with the cluster's idle strategy: the timer request is part of applying the entry
 * that asked for it, so it cannot be skipped.
 */
final class ClusterLeaseTimers implements LeaseTimers
{
    private Cluster cluster;
    private IdleStrategy idleStrategy;
    private TimeUnit timeUnit = TimeUnit.MILLISECONDS;

    /**
     * @param cluster whose timers to use, once the service has started.
     */
    void cluster(final Cluster cluster)
    {
        this.cluster = cluster;
        this.idleStrategy = cluster.idleStrategy();
    }

    /**
     * @param timeUnit of the cluster's timestamps, as the last new leadership term event gave it.
     */
    void timeUnit(final TimeUnit timeUnit)
    {
        this.timeUnit = timeUnit;
    }

    @Override
    public void schedule(final long leaseId, final long deadlineMs)
    {
        final long deadline = timeUnit.convert(deadlineMs, TimeUnit.MILLISECONDS);
        idleStrategy.reset();
        while (!cluster.scheduleTimer(leaseId, deadline))
        {
            idleStrategy.idle();
        }
    }

    @Override
    public void cancel(final long leaseId)
    {
        idleStrategy.reset();
        while (!cluster.cancelTimer(leaseId))
        {
            idleStrategy.idle();
        }
    }
}
