package io.metastore.test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Awaiting a condition in a test, as Aeron's {@code Tests.await}: poll it until it holds, failing the test with what
 * was awaited once a deadline passes. The suite's one deadline loop, shared by every module's tests through the
 * common test-jar; a test never sleeps to wait for something it can await.
 * <p>
 * Between polls the caller parks, from 1 ms doubling up to 16 ms, so a condition that soon holds is seen at once
 * and a long wait does not take a core from the nodes under test.
 */
public final class Tests
{
    /**
     * How long {@link #await(String, BooleanSupplier)} waits: an election and a replay on a loaded 2-core machine.
     */
    public static final long AWAIT_TIMEOUT_MS = 60_000;

    private static final long MIN_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(16);

    private Tests()
    {
    }

    /**
     * Poll a condition until it holds; fail the test after {@link #AWAIT_TIMEOUT_MS}.
     *
     * @param what      is awaited, for the failure message, e.g. {@code "a leader"}.
     * @param condition to poll; it may itself fail the test to stop waiting early.
     */
    public static void await(final String what, final BooleanSupplier condition)
    {
        await(() -> what, AWAIT_TIMEOUT_MS, condition);
    }

    /**
     * Poll a condition until it holds; fail the test once the timeout passes, or if the thread is interrupted.
     *
     * @param what      is awaited, for the failure message; asked only on failure, so it may describe the state then.
     * @param timeoutMs after which the test fails.
     * @param condition to poll; it may itself fail the test to stop waiting early.
     */
    public static void await(final Supplier<String> what, final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long parkNs = MIN_PARK_NS;
        while (!condition.getAsBoolean())
        {
            if (Thread.currentThread().isInterrupted())
            {
                fail("interrupted awaiting " + what.get());
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                fail("timed out after " + timeoutMs + " ms awaiting " + what.get());
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, MAX_PARK_NS);
        }
    }

    /**
     * Run part of a test with system properties set, then put back what they were (unset, or their earlier value),
     * so no other test of the JVM sees them.
     *
     * @param properties to set, name to value.
     * @param action     that reads them, e.g. by creating a context.
     */
    public static void withSystemProperties(final Map<String, String> properties, final Runnable action)
    {
        final Map<String, String> previous = new HashMap<>();
        properties.forEach((name, value) -> previous.put(name, System.setProperty(name, value)));
        try
        {
            action.run();
        }
        finally
        {
            previous.forEach((name, value) ->
            {
                if (null == value)
                {
                    System.clearProperty(name);
                }
                else
                {
                    System.setProperty(name, value);
                }
            });
        }
    }
}
