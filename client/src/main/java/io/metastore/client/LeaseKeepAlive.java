package io.metastore.client;

import io.metastore.codecs.ErrorCode;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Keeps a lease alive until closed, as etcd's {@code KeepAlive}: renews it at once, then every third of the TTL the
 * cluster last granted, and tells the {@link Listener} when the lease is lost.
 * <p>
 * The lease is lost when the cluster answers {@code LEASE_NOT_FOUND} (revoked or expired), when a renewal fails in
 * a way another attempt cannot fix, or when no renewal succeeded before the TTL last granted ran out, counted from
 * when that renewal was sent. Timeouts and leader changes are retried, every {@link #RETRY_DELAY_NS} at most, until
 * then. Until a first renewal tells the TTL, transient failures are retried for the first window given, the
 * client's request timeout.
 * <p>
 * Listener callbacks run on the client's keep-alive thread, never on its I/O thread, so they may call the client.
 * Closing the client ends every keep-alive without a callback.
 */
public final class LeaseKeepAlive implements AutoCloseable
{
    /**
     * Told of each renewal and of the loss of the lease.
     */
    public interface Listener
    {
        /**
         * A renewal succeeded.
         *
         * @param result of the renewal, with the TTL the lease now has.
         */
        default void onKeepAlive(final LeaseKeepAliveResult result)
        {
        }

        /**
         * The lease is lost, or may be: it is no longer renewed. Called at most once, and not after close.
         *
         * @param leaseId of the lease.
         * @param cause   why: {@code LEASE_NOT_FOUND} from the cluster, or no renewal within the TTL.
         */
        void onLost(long leaseId, MetaStoreException cause);
    }

    /**
     * Time and delayed tasks; a seam for tests.
     */
    interface Scheduler
    {
        /**
         * @return the time now, in nanoseconds, on the clock tasks are scheduled by.
         */
        long nanoTime();

        /**
         * @param task    to run once, on the scheduler's thread.
         * @param delayNs from now.
         * @return to cancel the task.
         * @throws RejectedExecutionException if the scheduler is shut down.
         */
        Future<?> schedule(Runnable task, long delayNs);
    }

    /**
     * Most time between a failed renewal and the next attempt.
     */
    public static final long RETRY_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final long leaseId;
    private final Listener listener;
    private final LongFunction<CompletableFuture<LeaseKeepAliveResult>> sender;
    private final Scheduler scheduler;
    private long ttlNs;
    private long deadlineNs;
    private long lastTtlSeconds;
    private MetaStoreException lastError;
    private Future<?> renewal;
    private Future<?> deadlineCheck;
    private boolean isClosed;
    private boolean isLost;

    private LeaseKeepAlive(
        final long leaseId,
        final Listener listener,
        final LongFunction<CompletableFuture<LeaseKeepAliveResult>> sender,
        final Scheduler scheduler)
    {
        this.leaseId = leaseId;
        this.listener = listener;
        this.sender = sender;
        this.scheduler = scheduler;
    }

    /**
     * Start keeping a lease alive: the first renewal is sent before this returns.
     *
     * @param leaseId       to keep alive.
     * @param listener      of renewals and loss.
     * @param sender        sends one keep-alive for the lease.
     * @param scheduler     for renewals and the deadline.
     * @param firstWindowNs transient failures are retried for this long until a renewal tells the TTL.
     * @return the running keep-alive.
     */
    static LeaseKeepAlive start(
        final long leaseId,
        final Listener listener,
        final LongFunction<CompletableFuture<LeaseKeepAliveResult>> sender,
        final Scheduler scheduler,
        final long firstWindowNs)
    {
        final LeaseKeepAlive keepAlive = new LeaseKeepAlive(leaseId, listener, sender, scheduler);
        synchronized (keepAlive)
        {
            keepAlive.deadlineNs = scheduler.nanoTime() + firstWindowNs;
            keepAlive.scheduleDeadlineCheck(firstWindowNs);
        }
        keepAlive.renew();

        return keepAlive;
    }

    /**
     * @return the lease kept alive.
     */
    public long leaseId()
    {
        return leaseId;
    }

    /**
     * @return the TTL the last renewal granted, in seconds, or 0 before the first.
     */
    public synchronized long ttlSeconds()
    {
        return lastTtlSeconds;
    }

    /**
     * @return true once the lease is lost; the listener has been told.
     */
    public synchronized boolean isLost()
    {
        return isLost;
    }

    /**
     * Stop renewing. The lease lives on until its TTL runs out; revoke it to end it at once.
     */
    public void close()
    {
        synchronized (this)
        {
            isClosed = true;
            cancel(renewal);
            cancel(deadlineCheck);
        }
    }

    /**
     * @return true if closed.
     */
    public synchronized boolean isClosed()
    {
        return isClosed;
    }

    private void renew()
    {
        final long sentNs;
        synchronized (this)
        {
            if (isClosed || isLost)
            {
                return;
            }
            sentNs = scheduler.nanoTime();
        }

        CompletableFuture<LeaseKeepAliveResult> response;
        try
        {
            response = sender.apply(leaseId);
        }
        catch (final RuntimeException ex)
        {
            response = CompletableFuture.failedFuture(ex);
        }
        // Hop off the thread that completes the future, the client's I/O thread, before touching state or listener.
        response.whenComplete((result, error) -> runOnScheduler(() -> onResponse(sentNs, result, error)));
    }

    private void onResponse(final long sentNs, final LeaseKeepAliveResult result, final Throwable error)
    {
        MetaStoreException lostCause = null;
        synchronized (this)
        {
            if (isClosed || isLost)
            {
                return;
            }

            final long nowNs = scheduler.nanoTime();
            if (null == error && result.ttlSeconds() > 0)
            {
                lastTtlSeconds = result.ttlSeconds();
                ttlNs = TimeUnit.SECONDS.toNanos(result.ttlSeconds());
                deadlineNs = sentNs + ttlNs;
                lastError = null;
                scheduleRenewal(ttlNs / 3);
                cancel(deadlineCheck);
                scheduleDeadlineCheck(deadlineNs - nowNs);
            }
            else
            {
                final MetaStoreException cause = null == error ?
                    new MetaStoreException(ErrorCode.LEASE_NOT_FOUND, "lease " + hex(leaseId) + " expired") :
                    toMetaStoreException(error);
                lastError = cause;
                if (ErrorCode.LEASE_NOT_FOUND == cause.code() || !cause.isRetryable())
                {
                    lostCause = cause;
                }
                else if (nowNs - deadlineNs >= 0)
                {
                    lostCause = notRenewedInTime();
                }
                else
                {
                    final long retryDelayNs = ttlNs > 0 ? Math.min(RETRY_DELAY_NS, ttlNs / 3) : RETRY_DELAY_NS;
                    scheduleRenewal(Math.min(retryDelayNs, deadlineNs - nowNs));
                }
            }

            if (null != lostCause)
            {
                markLost();
            }
        }

        if (null != lostCause)
        {
            listener.onLost(leaseId, lostCause);
        }
        else if (null == error)
        {
            listener.onKeepAlive(result);
        }
    }

    private void checkDeadline()
    {
        final MetaStoreException lostCause;
        synchronized (this)
        {
            if (isClosed || isLost || scheduler.nanoTime() - deadlineNs < 0)
            {
                return;
            }
            lostCause = notRenewedInTime();
            markLost();
        }

        listener.onLost(leaseId, lostCause);
    }

    private MetaStoreException notRenewedInTime()
    {
        return new MetaStoreTimeoutException("lease " + hex(leaseId) + " not renewed within its TTL" +
            (lastTtlSeconds > 0 ? " of " + lastTtlSeconds + " s" : "") +
            (null != lastError ? "; last failure: " + lastError.getMessage() : ""));
    }

    private void markLost()
    {
        isLost = true;
        cancel(renewal);
        cancel(deadlineCheck);
    }

    private void scheduleRenewal(final long delayNs)
    {
        try
        {
            renewal = scheduler.schedule(this::renew, Math.max(0, delayNs));
        }
        catch (final RejectedExecutionException ex)
        {
            isClosed = true;
        }
    }

    private void scheduleDeadlineCheck(final long delayNs)
    {
        try
        {
            deadlineCheck = scheduler.schedule(this::checkDeadline, Math.max(0, delayNs));
        }
        catch (final RejectedExecutionException ex)
        {
            isClosed = true;
        }
    }

    private void runOnScheduler(final Runnable task)
    {
        try
        {
            scheduler.schedule(task, 0);
        }
        catch (final RejectedExecutionException ex)
        {
            synchronized (this)
            {
                isClosed = true;
            }
        }
    }

    private static void cancel(final Future<?> future)
    {
        if (null != future)
        {
            future.cancel(false);
        }
    }

    private static MetaStoreException toMetaStoreException(final Throwable error)
    {
        final Throwable cause = error instanceof CompletionException && null != error.getCause() ?
            error.getCause() : error;

        return cause instanceof MetaStoreException metaStoreException ?
            metaStoreException : new MetaStoreException(null, String.valueOf(cause));
    }

    private static String hex(final long leaseId)
    {
        return String.format("%016x", leaseId);
    }

    /**
     * The client's keep-alive thread: one daemon thread, started on the first keep-alive.
     */
    static final class ExecutorScheduler implements Scheduler, AutoCloseable
    {
        private final ScheduledThreadPoolExecutor executor;

        ExecutorScheduler(final String threadName)
        {
            executor = new ScheduledThreadPoolExecutor(1, (runnable) ->
            {
                final Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
        }

        @Override
        public long nanoTime()
        {
            return System.nanoTime();
        }

        @Override
        public Future<?> schedule(final Runnable task, final long delayNs)
        {
            return executor.schedule(task, delayNs, TimeUnit.NANOSECONDS);
        }

        /**
         * Stop the thread; keep-alives still running end without a callback.
         */
        public void close()
        {
            executor.shutdownNow();
        }
    }
}
