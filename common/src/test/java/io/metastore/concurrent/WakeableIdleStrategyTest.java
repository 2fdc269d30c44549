package io.metastore.concurrent;

import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WakeableIdleStrategyTest
{
    @Test
    void shouldUnparkAThreadThatIsIdle() throws InterruptedException
    {
        final CountDownLatch parking = new CountDownLatch(1);
        final CountDownLatch woken = new CountDownLatch(1);
        // Parks with no timeout: only an unpark (or a rare spurious wake-up) ends the wait.
        final WakeableIdleStrategy strategy = new WakeableIdleStrategy(new Delegate(() ->
        {
            parking.countDown();
            LockSupport.park();
        }));
        final Thread idler = new Thread(() ->
        {
            strategy.idle(0);
            woken.countDown();
        });
        idler.setDaemon(true);
        idler.start();

        assertTrue(parking.await(10, TimeUnit.SECONDS));
        try
        {
            strategy.wake();
            assertTrue(woken.await(10, TimeUnit.SECONDS), "the idle thread was not woken");
        }
        finally
        {
            LockSupport.unpark(idler);
        }
    }

    @Test
    void shouldPassIdleAndResetToTheDelegate()
    {
        final AtomicInteger idles = new AtomicInteger();
        final Delegate delegate = new Delegate(idles::incrementAndGet);
        final WakeableIdleStrategy strategy = new WakeableIdleStrategy(delegate);

        strategy.idle(0);
        strategy.idle();
        strategy.idle(3);
        strategy.reset();

        assertEquals(2, idles.get());
        assertEquals(2, delegate.resets);
        assertEquals("wakeable-delegate", strategy.alias());
    }

    private static final class Delegate implements IdleStrategy
    {
        private final Runnable onIdle;
        private int resets;

        Delegate(final Runnable onIdle)
        {
            this.onIdle = onIdle;
        }

        @Override
        public void idle(final int workCount)
        {
            if (workCount > 0)
            {
                reset();
            }
            else
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            onIdle.run();
        }

        @Override
        public void reset()
        {
            resets++;
        }

        @Override
        public String alias()
        {
            return "delegate";
        }
    }
}
