package io.metastore.node;

import io.metastore.concurrent.TimerSlackIdleStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How the node's agents wait when they have no work. Measured on a 2-core box (AERON-NOTES.md): back-off with a
 * 100 µs park gives ~66 µs round trips at ~25 % of a core idle; yielding gives ~42 µs at a full core per agent.
 */
public enum IdleProfile
{
    /**
     * Spin, yield, then park up to 100 µs, with the thread's timer slack lowered so a park does not oversleep by
     * Linux's default 50 µs ({@link TimerSlackIdleStrategy}): fits small machines; the default.
     */
    BACKOFF(() -> new TimerSlackIdleStrategy(new BackoffIdleStrategy(
        10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)))),

    /**
     * Yield the thread between polls: lowest latency, a core per agent.
     */
    LOW_LATENCY(YieldingIdleStrategy::new);

    private final Supplier<IdleStrategy> supplier;

    IdleProfile(final Supplier<IdleStrategy> supplier)
    {
        this.supplier = supplier;
    }

    /**
     * @return a new idle strategy of this profile.
     */
    public IdleStrategy newIdleStrategy()
    {
        return supplier.get();
    }

    /**
     * @return a supplier of this profile's idle strategies, as Aeron's contexts take them.
     */
    public Supplier<IdleStrategy> supplier()
    {
        return supplier;
    }
}
