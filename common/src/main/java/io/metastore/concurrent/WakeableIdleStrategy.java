package io.metastore.concurrent;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * An idle strategy another thread can cut short: while the thread using it is idle, {@link #wake()} unparks it, so
 * work handed over through memory (a counter, a ring) is taken up in the time a wake-up takes rather than in what is
 * left of a back-off's park (up to 100 µs, half that on average, on each such hop).
 * <p>
 * The waking thread pays an {@code unpark} only while the other is idle, once for each piece of work it hands over;
 * a busy thread costs it a volatile read. A wake that comes just before the thread records that it is idle is missed
 * and the thread parks its time out, as without this strategy: it only shortens waits, it never replaces the poll.
 */
public final class WakeableIdleStrategy implements IdleStrategy
{
    private final IdleStrategy delegate;
    private boolean isIdle;
    private volatile Thread idleThread;

    /**
     * @param delegate how to wait, as without wake-ups.
     */
    public WakeableIdleStrategy(final IdleStrategy delegate)
    {
        this.delegate = delegate;
    }

    /**
     * Unpark the thread using this strategy if it is idle; safe to call from any thread.
     */
    public void wake()
    {
        final Thread thread = idleThread;
        if (null != thread)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * {@inheritDoc}
     */
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

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle()
    {
        if (!isIdle)
        {
            isIdle = true;
            idleThread = Thread.currentThread();
        }
        delegate.idle();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void reset()
    {
        if (isIdle)
        {
            isIdle = false;
            idleThread = null;
        }
        delegate.reset();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String alias()
    {
        return "wakeable-" + delegate.alias();
    }
}
