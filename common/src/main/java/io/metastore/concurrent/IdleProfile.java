package io.metastore.concurrent;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How the agents of a node or a client wait when they have no work, written once for both. Measured on a 2-core box
 * (AERON-NOTES.md): back-off with a 100 µs park gives ~66 µs round trips at ~25 % of a core idle; yielding gives
 * ~42 µs at a full core per agent.
 */
public enum IdleProfile
{
    /**
     * Spin 10 times, yield 100 times, then park up to 100 µs, with the thread's timer slack lowered so a park does
     * not oversleep by Linux's default 50 µs ({@link TimerSlackIdleStrategy}): fits small machines; the default.
     * <p>
     * On a box with fewer cores than busy threads a yield hands the core to a thread with work at the cost of one
     * context switch, where a park costs two and a timer; 100 yields rather than 20 measured +15-20 % puts/s at
     * 100 in flight and 13-14k rather than 8-9k puts/s at 1 in flight. An idle node still parks: about 30 % of a
     * core for its four agents.
     */
    BACKOFF(true, () -> new TimerSlackIdleStrategy(new BackoffIdleStrategy(
        10, 100, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)))),

    /**
     * Yield the thread between polls: lowest latency, a core per agent.
     */
    LOW_LATENCY(false, YieldingIdleStrategy::new);

    private final boolean parks;
    private final Supplier<IdleStrategy> supplier;

    IdleProfile(final boolean parks, final Supplier<IdleStrategy> supplier)
    {
        this.parks = parks;
        this.supplier = supplier;
    }

    /**
     * @return true if an idle thread of this profile parks, so that a {@link WakeableIdleStrategy} can shorten its
     * waits; false if it never leaves the core.
     */
    public boolean parks()
    {
        return parks;
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
