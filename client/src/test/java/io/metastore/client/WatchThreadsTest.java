package io.metastore.client;

import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A delivery waiting behind listeners that block, one on each base thread, gets a thread of its own once they have
 * held theirs for a while, and the extra thread ends once the listeners return.
 */
@Timeout(60)
class WatchThreadsTest
{
    private final AtomicLong clockNs = new AtomicLong();
    private final WatchThreads threads = new WatchThreads(clockNs::get);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void after()
    {
        release.countDown();
        threads.shutdown();
    }

    @Test
    void shouldStartAThreadForDeliveriesWaitingBehindBlockedListenersAndEndItOnceTheyReturn()
    {
        final CountDownLatch blocked = new CountDownLatch(WatchThreads.BASE_THREADS);
        for (int i = 0; i < WatchThreads.BASE_THREADS; i++)
        {
            threads.execute(() ->
            {
                blocked.countDown();
                awaitQuietly(release);
            });
        }
        Tests.await("every base thread held by a blocked listener", () -> 0 == blocked.getCount());

        final CountDownLatch delivered = new CountDownLatch(1);
        threads.execute(delivered::countDown);
        assertEquals(1, delivered.getCount(), "waits: every thread is held");
        assertEquals(WatchThreads.BASE_THREADS, threads.threadCount());

        Tests.await("the waiting delivery to run on a new thread", () ->
        {
            check();
            return 0 == delivered.getCount();
        });
        assertEquals(WatchThreads.BASE_THREADS + 1, threads.threadCount());

        release.countDown();
        Tests.await("the extra thread to end", () ->
        {
            check();
            return WatchThreads.BASE_THREADS == threads.threadCount();
        });
    }

    private void check()
    {
        threads.checkHeldUp(clockNs.addAndGet(WatchThreads.CHECK_INTERVAL_NS));
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
