package io.metastore.client;

import org.agrona.concurrent.NanoClock;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The client's own threads for watch listeners, when it is given no executor.
 * <p>
 * A few threads ({@link #BASE_THREADS}) take the deliveries of every watch in turn, each one watch's queue at a time,
 * so a hundred watches cost two threads, not a hundred each switching in for every revision. A listener that blocks
 * holds its thread: every {@link #CHECK_INTERVAL_NS} the client's I/O thread counts the threads that have been in one
 * delivery longer than {@link #HELD_UP_NS} and keeps that many more, so deliveries waiting behind them start on a new
 * thread within about that time; once a listener returns, a thread over the count ends after
 * {@link #EXTRA_THREAD_IDLE_MS} idle.
 */
final class WatchThreads implements Executor
{
    /**
     * Threads while no listener holds one up.
     */
    static final int BASE_THREADS = 2;

    /**
     * Most threads, however many listeners block.
     */
    static final int MAX_THREADS = 1024;

    /**
     * A delivery running longer than this holds its thread up: another is started for the deliveries waiting.
     */
    static final long HELD_UP_NS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * How often the I/O thread looks for threads held up.
     */
    static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    /**
     * A thread beyond those kept ends after this long idle.
     */
    static final long EXTRA_THREAD_IDLE_MS = 1000;

    private static final long IDLE = Long.MIN_VALUE;
    private static final int NO_SLOT = -1;
    // A thread ending gives back its slot only after the pool has counted it gone: room for those in between. A
    // thread finding none goes untracked.
    private static final int SLOTS = MAX_THREADS + 64;

    private final AtomicLongArray busySinceNs = new AtomicLongArray(SLOTS);
    private final AtomicIntegerArray slotsTaken = new AtomicIntegerArray(SLOTS);
    private final NanoClock nanoClock;
    private final ThreadPoolExecutor pool;
    private long nextCheckNs;

    /**
     * @param nanoClock for how long a delivery has run, read by the threads and the I/O thread alike.
     */
    WatchThreads(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        for (int i = 0; i < SLOTS; i++)
        {
            busySinceNs.set(i, IDLE);
        }
        pool = new ThreadPoolExecutor(
            BASE_THREADS, MAX_THREADS, EXTRA_THREAD_IDLE_MS, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            this::newThread, (task, executor) -> task.run())
        {
            @Override
            protected void beforeExecute(final Thread thread, final Runnable task)
            {
                final int slot = ((WatchThread)thread).slot;
                if (NO_SLOT != slot)
                {
                    busySinceNs.set(slot, nanoClock.nanoTime());
                }
            }

            @Override
            protected void afterExecute(final Runnable task, final Throwable ex)
            {
                final int slot = ((WatchThread)Thread.currentThread()).slot;
                if (NO_SLOT != slot)
                {
                    busySinceNs.set(slot, IDLE);
                }
            }
        };
    }

    @Override
    public void execute(final Runnable task)
    {
        pool.execute(task);
    }

    /**
     * Keep a thread for each held up in a delivery, beyond the base ones; on the client's I/O thread.
     *
     * @param nowNs the I/O thread's time, for how often to look.
     * @return 1 if the threads kept changed, else 0.
     */
    int checkHeldUp(final long nowNs)
    {
        if (nowNs - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;

        final int threads = Math.min(MAX_THREADS, BASE_THREADS + busyThreads(HELD_UP_NS));
        if (threads != pool.getCorePoolSize())
        {
            // More starts threads for the deliveries waiting; fewer lets the extra ones end once idle a while.
            pool.setCorePoolSize(threads);
            return 1;
        }

        return 0;
    }

    /**
     * @return threads now, idle or not.
     */
    int threadCount()
    {
        return pool.getPoolSize();
    }

    /**
     * Stop taking deliveries; the threads end once what is queued is delivered. The I/O thread no longer looks for
     * threads held up, so the last deliveries (the watches' ends) get a thread for each busy one now; a delivery
     * offered after this (a task's remainder) runs on the thread that offers it. The queue is unbounded, so nothing
     * is refused before.
     */
    void shutdown()
    {
        pool.setCorePoolSize(Math.min(MAX_THREADS, BASE_THREADS + busyThreads(0)));
        pool.shutdown();
    }

    /**
     * @param forNs at least this long in a delivery.
     * @return threads in a delivery that long.
     */
    private int busyThreads(final long forNs)
    {
        final long nowNs = nanoClock.nanoTime();
        int busy = 0;
        for (int i = 0; i < SLOTS; i++)
        {
            final long sinceNs = busySinceNs.get(i);
            if (IDLE != sinceNs && nowNs - sinceNs >= forNs)
            {
                busy++;
            }
        }

        return busy;
    }

    private Thread newThread(final Runnable worker)
    {
        final WatchThread thread = new WatchThread(worker);
        thread.setDaemon(true);

        return thread;
    }

    /**
     * A thread of the pool, with the slot where it says since when it has been in a delivery: taken when it starts,
     * given back when it ends.
     */
    private final class WatchThread extends Thread
    {
        private int slot = NO_SLOT;

        WatchThread(final Runnable worker)
        {
            super(worker, "metastore-watch");
        }

        @Override
        public void run()
        {
            for (int i = 0; i < SLOTS && NO_SLOT == slot; i++)
            {
                if (slotsTaken.compareAndSet(i, 0, 1))
                {
                    slot = i;
                    setName("metastore-watch-" + (i + 1));
                }
            }
            try
            {
                super.run();
            }
            finally
            {
                if (NO_SLOT != slot)
                {
                    busySinceNs.set(slot, IDLE);
                    slotsTaken.set(slot, 0);
                }
            }
        }
    }
}
