package io.metastore.node.lease;

/**
 * Cluster timers, one per lease, keyed by the lease id. Scheduling an id that is already scheduled moves its
 * deadline. A timer may still fire after it was moved or cancelled (it was already in the log): the state machine
 * checks the lease's deadline when it fires.
 */
public interface LeaseTimers
{
    /**
     * No timers: for tests of the state machine alone, which expire leases by calling it directly.
     */
    LeaseTimers NONE = new LeaseTimers()
    {
        public void schedule(final long leaseId, final long deadlineMs)
        {
        }

        public void cancel(final long leaseId)
        {
        }
    };

    /**
     * Fire at a deadline.
     *
     * @param leaseId    the timer's id.
     * @param deadlineMs cluster time, in milliseconds.
     */
    void schedule(long leaseId, long deadlineMs);

    /**
     * Do not fire.
     *
     * @param leaseId the timer's id.
     */
    void cancel(long leaseId);
}
