package io.metastore.tools.log;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * How far a long read of the log has got, on standard error: nothing for the first few seconds, then a line every
 * few seconds, so a short dump prints only what was asked for.
 */
final class Progress implements LongConsumer
{
    private static final long QUIET_NS = TimeUnit.SECONDS.toNanos(3);
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(2);

    private final PrintWriter err;
    private final String what;
    private final long endPosition;
    private final long startNs = System.nanoTime();
    private long nextNs = startNs + QUIET_NS;

    Progress(final PrintWriter err, final String what, final long endPosition)
    {
        this.err = err;
        this.what = what;
        this.endPosition = endPosition;
    }

    @Override
    public void accept(final long position)
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextNs >= 0)
        {
            nextNs = nowNs + INTERVAL_NS;
            err.printf("%s: position %,d of %,d (%d%%) after %d s%n", what, position, endPosition,
                endPosition > 0 ? position * 100 / endPosition : 100, TimeUnit.NANOSECONDS.toSeconds(nowNs - startNs));
            err.flush();
        }
    }
}
