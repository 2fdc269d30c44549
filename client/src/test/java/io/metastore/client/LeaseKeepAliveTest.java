package io.metastore.client;

import io.metastore.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keep-alive's schedule and loss rules on a manual clock, with renewals answered by the test.
 */
class LeaseKeepAliveTest
{
    private static final long LEASE_ID = 0x694d71ddacfda227L;
    private static final long FIRST_WINDOW_NS = TimeUnit.SECONDS.toNanos(5);
    private static final ResponseHeader HEADER = new ResponseHeader(0, 0, 1, 1);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<CompletableFuture<LeaseKeepAliveResult>> sent = new ArrayList<>();
    private final List<Long> sentAtNs = new ArrayList<>();
    private final List<LeaseKeepAliveResult> renewals = new ArrayList<>();
    private final List<MetaStoreException> losses = new ArrayList<>();
    private final LeaseKeepAlive.Listener listener = new LeaseKeepAlive.Listener()
    {
        public void onKeepAlive(final LeaseKeepAliveResult result)
        {
            renewals.add(result);
        }

        public void onLost(final long leaseId, final MetaStoreException cause)
        {
            assertEquals(LEASE_ID, leaseId);
            losses.add(cause);
        }
    };

    @Test
    void shouldRenewAtOnceThenEveryThirdOfTheGrantedTtl()
    {
        final LeaseKeepAlive keepAlive = start();
        assertEquals(1, sent.size(), "first renewal sent by start");

        answer(0, 9);
        assertEquals(1, renewals.size());
        assertEquals(9, keepAlive.ttlSeconds());

        scheduler.advanceMs(2999);
        assertEquals(1, sent.size());
        scheduler.advanceMs(1);
        assertEquals(2, sent.size());
        assertEquals(TimeUnit.SECONDS.toNanos(3), sentAtNs.get(1));

        answer(1, 6);
        scheduler.advanceMs(1999);
        assertEquals(2, sent.size());
        scheduler.advanceMs(1);
        assertEquals(3, sent.size(), "interval follows the TTL of the last renewal");
        assertEquals(List.of(), losses);
        assertFalse(keepAlive.isLost());
    }

    @Test
    void shouldReportLossOnceWhenClusterSaysLeaseNotFound()
    {
        final LeaseKeepAlive keepAlive = start();
        answer(0, 3);
        scheduler.advanceMs(1000);

        fail(1, new MetaStoreException(ErrorCode.LEASE_NOT_FOUND, "lease not found"));

        assertEquals(1, losses.size());
        assertEquals(ErrorCode.LEASE_NOT_FOUND, losses.get(0).code());
        assertTrue(keepAlive.isLost());
        scheduler.advanceMs(60_000);
        assertEquals(2, sent.size(), "no renewal after the loss");
        assertEquals(1, losses.size());
    }

    @Test
    void shouldRetryTransientFailuresWithinTheTtl()
    {
        start();
        answer(0, 3);
        scheduler.advanceMs(1000);
        assertEquals(2, sent.size());

        fail(1, new MetaStoreTimeoutException("no response"));
        scheduler.advanceMs(499);
        assertEquals(2, sent.size());
        scheduler.advanceMs(1);
        assertEquals(3, sent.size(), "retried after the retry delay");

        fail(2, new LeaderChangedException("new leader"));
        scheduler.advanceMs(500);
        assertEquals(4, sent.size());
        answer(3, 3);

        assertEquals(List.of(), losses);
        assertEquals(2, renewals.size());
        scheduler.advanceMs(1000);
        assertEquals(5, sent.size(), "back on the regular schedule");
    }

    @Test
    void shouldReportLossWhenNoRenewalSucceedsBeforeTheTtlRunsOut()
    {
        start();
        answer(0, 3);
        scheduler.advanceMs(1000);
        int failed = 1;
        while (losses.isEmpty() && scheduler.nowNs < TimeUnit.SECONDS.toNanos(10))
        {
            if (sent.size() > failed)
            {
                fail(failed++, new LeaderChangedException("no leader"));
            }
            else
            {
                scheduler.advanceMs(100);
            }
        }

        assertEquals(1, losses.size());
        assertEquals(TimeUnit.SECONDS.toNanos(3), scheduler.nowNs, "lost when the TTL counted from the send ran out");
        assertInstanceOf(MetaStoreTimeoutException.class, losses.get(0));
        assertTrue(losses.get(0).getMessage().contains("not renewed within its TTL of 3 s"), losses.get(0)::getMessage);
        assertTrue(losses.get(0).getMessage().contains("no leader"), losses.get(0)::getMessage);
    }

    @Test
    void shouldReportLossWhenRenewalIsStillUnansweredAtTheDeadline()
    {
        start();
        answer(0, 3);
        scheduler.advanceMs(1000);
        assertEquals(2, sent.size());

        scheduler.advanceMs(1999);
        assertEquals(List.of(), losses);
        scheduler.advanceMs(1);
        assertEquals(1, losses.size());

        answer(1, 3);
        assertEquals(1, renewals.size(), "a late answer after the loss is ignored");
        assertEquals(1, losses.size());
    }

    @Test
    void shouldReportLossAtOnceOnFailureThatRetryingCannotFix()
    {
        start();

        fail(0, new MetaStoreException(ErrorCode.MALFORMED, "bad request"));

        assertEquals(1, losses.size());
        assertEquals(ErrorCode.MALFORMED, losses.get(0).code());
    }

    @Test
    void shouldRetryWithinFirstWindowUntilTheTtlIsKnown()
    {
        start();
        int failed = 0;
        while (losses.isEmpty() && scheduler.nowNs < TimeUnit.SECONDS.toNanos(10))
        {
            if (sent.size() > failed)
            {
                fail(failed++, new MetaStoreTimeoutException("no response"));
            }
            else
            {
                scheduler.advanceMs(100);
            }
        }

        assertEquals(FIRST_WINDOW_NS, scheduler.nowNs);
        assertEquals(1, losses.size());
        assertEquals(10, sent.size(), "at 0 s, then every 500 ms until the window closes at 5 s");
    }

    @Test
    void shouldTreatZeroTtlAsLeaseExpired()
    {
        start();

        answer(0, 0);

        assertEquals(1, losses.size());
        assertEquals(ErrorCode.LEASE_NOT_FOUND, losses.get(0).code());
        assertEquals(List.of(), renewals);
    }

    @Test
    void shouldStopRenewingWithoutCallbackWhenClosed()
    {
        final LeaseKeepAlive keepAlive = start();
        answer(0, 3);
        scheduler.advanceMs(1000);
        assertEquals(2, sent.size());

        keepAlive.close();
        answer(1, 3);
        scheduler.advanceMs(60_000);

        assertTrue(keepAlive.isClosed());
        assertEquals(2, sent.size());
        assertEquals(1, renewals.size());
        assertEquals(List.of(), losses);
        assertTrue(scheduler.queue.isEmpty(), "deadline check cancelled");
    }

    @Test
    void shouldEndWithoutCallbackWhenSchedulerIsShutDown()
    {
        final LeaseKeepAlive keepAlive = start();
        scheduler.isShutDown = true;

        fail(0, new MetaStoreException(null, "client closed"));

        assertTrue(keepAlive.isClosed());
        assertEquals(List.of(), losses);
    }

    private LeaseKeepAlive start()
    {
        return LeaseKeepAlive.start(LEASE_ID, listener, (leaseId) ->
        {
            assertEquals(LEASE_ID, leaseId);
            final CompletableFuture<LeaseKeepAliveResult> future = new CompletableFuture<>();
            sent.add(future);
            sentAtNs.add(scheduler.nowNs);
            return future;
        }, scheduler, FIRST_WINDOW_NS);
    }

    private void answer(final int index, final long ttlSeconds)
    {
        sent.get(index).complete(new LeaseKeepAliveResult(HEADER, LEASE_ID, ttlSeconds));
        scheduler.runDue();
    }

    private void fail(final int index, final MetaStoreException ex)
    {
        sent.get(index).completeExceptionally(ex);
        scheduler.runDue();
    }

    /**
     * Runs tasks on the test's thread as the test moves its clock.
     */
    static final class ManualScheduler implements LeaseKeepAlive.Scheduler
    {
        private record Entry(long timeNs, long sequence, FutureTask<Void> task)
        {
        }

        final PriorityQueue<Entry> queue = new PriorityQueue<>(
            (a, b) -> a.timeNs != b.timeNs ? Long.compare(a.timeNs, b.timeNs) : Long.compare(a.sequence, b.sequence));
        long nowNs;
        boolean isShutDown;
        private long sequence;

        public long nanoTime()
        {
            return nowNs;
        }

        public Future<?> schedule(final Runnable task, final long delayNs)
        {
            if (isShutDown)
            {
                throw new RejectedExecutionException("shut down");
            }
            final FutureTask<Void> future = new FutureTask<>(task, null);
            queue.add(new Entry(nowNs + delayNs, sequence++, future));
            return future;
        }

        void runDue()
        {
            Entry entry;
            while (null != (entry = queue.peek()) && entry.timeNs <= nowNs)
            {
                queue.poll();
                entry.task.run();
            }
            queue.removeIf((e) -> e.task.isCancelled());
        }

        void advanceMs(final long millis)
        {
            final long targetNs = nowNs + TimeUnit.MILLISECONDS.toNanos(millis);
            Entry entry;
            while (null != (entry = queue.peek()) && entry.timeNs <= targetNs)
            {
                nowNs = Math.max(nowNs, entry.timeNs);
                runDue();
            }
            nowNs = targetNs;
            runDue();
        }
    }

    @Test
    void shouldHaveNoTtlBeforeTheFirstRenewal()
    {
        final LeaseKeepAlive keepAlive = start();

        assertEquals(0, keepAlive.ttlSeconds());
        assertEquals(LEASE_ID, keepAlive.leaseId());
    }
}
