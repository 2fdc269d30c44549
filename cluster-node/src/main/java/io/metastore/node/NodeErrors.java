package io.metastore.node;

import io.aeron.cluster.service.ClusterTerminationException;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.TimeoutException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's error log: every error of the driver, archive, consensus module and service is logged and kept, so
 * an operator sees it and a test can assert there was none. Aeron's warnings (an {@link AeronException} of category
 * {@code WARN}, such as a leader heartbeat timeout before an election) are logged and kept apart. A requested
 * termination of the cluster (an expected {@link ClusterTerminationException}) is neither.
 * <p>
 * A known condition (see {@link #isKnown(Throwable)}) is logged as one line; anything else with its stack trace.
 * Identical lines are rate limited by {@link RepeatedLines}: the first is logged, the repeats within
 * {@link #REPEAT_WINDOW_MS} are counted and logged as one line with their count, when the next comes after the window
 * or when {@link #reportRepeats()} finds the window ended. Every error is still counted and the first ones kept.
 * <p>
 * The first fatal error (see {@link #isFatal(Throwable)}) is kept as the reason the node stopped, unless it came after
 * {@link #shutdownRequested()}: closing a node may make its agents complain about each other going away.
 */
public final class NodeErrors implements ErrorHandler
{
    /**
     * Identical lines within this window after the first are counted, not logged.
     */
    public static final long REPEAT_WINDOW_MS = 10_000;

    private static final int MAX_KEPT = 100;

    private final Logger log;
    private final EpochClock clock;
    private final RepeatedLines repeats;
    private final List<Throwable> errors = new ArrayList<>();
    private final List<Throwable> warnings = new ArrayList<>();
    private long count;
    private boolean isShutdownRequested;
    private Throwable fatalError;

    /**
     * @param log where errors are logged, or null to only keep them.
     */
    public NodeErrors(final Logger log)
    {
        this(log, SystemEpochClock.INSTANCE, REPEAT_WINDOW_MS);
    }

    /**
     * @param log            where errors are logged, or null to only keep them.
     * @param clock          that times the windows of repeated lines.
     * @param repeatWindowMs identical lines within this window after the first are counted, not logged.
     */
    public NodeErrors(final Logger log, final EpochClock clock, final long repeatWindowMs)
    {
        this.log = log;
        this.clock = clock;
        this.repeats = new RepeatedLines(repeatWindowMs, this::print);
    }

    /**
     * @return errors logged to the node's logger, {@code io.metastore.node.NodeErrors}.
     */
    public static NodeErrors logging()
    {
        return new NodeErrors(LoggerFactory.getLogger(NodeErrors.class));
    }

    /**
     * Is this error a known condition, described by its message, so that its stack trace tells nothing more: a
     * warning or a timeout of Aeron's, a termination, an {@link AeronException} raised without a cause (Aeron's or
     * the node's own report of a condition it detected). Anything else is unexpected.
     *
     * @param throwable reported to the node's error handler.
     * @return true if one line says it all.
     */
    public static boolean isKnown(final Throwable throwable)
    {
        if (throwable instanceof AgentTerminationException)
        {
            // How an agent is stopped; its cause, if any, was reported where it happened.
            return true;
        }
        if (throwable instanceof AeronException ex)
        {
            return AeronException.Category.WARN == ex.category() || ex instanceof TimeoutException ||
                null == ex.getCause();
        }

        return false;
    }

    /**
     * @param throwable reported to the node's error handler.
     * @return the one line it is logged as: its class, message and, if any, its cause's.
     */
    public static String oneLine(final Throwable throwable)
    {
        final Throwable cause = throwable.getCause();
        if (null == cause || cause == throwable || cause.toString().equals(throwable.getMessage()))
        {
            return throwable.toString();
        }

        return throwable + "; cause: " + cause;
    }

    /**
     * Is this error one the node cannot run on after: an agent thread has died or is about to, or Aeron says so.
     * The node must then stop as a whole rather than linger half alive.
     *
     * @param throwable reported to the node's error handler.
     * @return true if the node must stop.
     */
    public static boolean isFatal(final Throwable throwable)
    {
        if (throwable instanceof ClusterTerminationException ex)
        {
            return !ex.isExpected();
        }

        return throwable instanceof Error ||
            throwable instanceof AgentTerminationException ||
            (throwable instanceof AeronException ex && AeronException.Category.FATAL == ex.category());
    }

    @Override
    public void onError(final Throwable throwable)
    {
        if (throwable instanceof ClusterTerminationException ex && ex.isExpected())
        {
            return;
        }

        synchronized (this)
        {
            final boolean isWarning =
                throwable instanceof AeronException ex && AeronException.Category.WARN == ex.category();
            final List<Throwable> kept = isWarning ? warnings : errors;
            if (!isWarning)
            {
                count++;
            }
            if (kept.size() < MAX_KEPT)
            {
                kept.add(throwable);
            }
            if (null == fatalError && !isShutdownRequested && isFatal(throwable))
            {
                fatalError = throwable;
            }
            if (null != log)
            {
                final String line = oneLine(throwable);
                if (repeats.onLine(line, isWarning, clock.time()))
                {
                    if (isWarning)
                    {
                        log.warn(line);
                    }
                    else if (isKnown(throwable))
                    {
                        log.error(line);
                    }
                    else
                    {
                        log.error(line, throwable);
                    }
                }
            }
        }
    }

    /**
     * Log the count of each line whose repeats were counted in a window that has now ended. The node calls it on a
     * timer, so that the count of a flood that stopped is logged too.
     *
     * @return the number of lines logged.
     */
    public synchronized int reportRepeats()
    {
        return null == log ? 0 : repeats.reportEnded(clock.time());
    }

    /**
     * Log the count of every line repeated since it was last logged, as the node closes.
     */
    public synchronized void reportAllRepeats()
    {
        if (null != log)
        {
            repeats.reportAll(clock.time());
        }
    }

    /**
     * The node is being closed on request: errors from now on are still logged, but none is the reason it stopped.
     */
    public synchronized void shutdownRequested()
    {
        isShutdownRequested = true;
    }

    /**
     * @return the first fatal error before a shutdown was requested, or null if there was none.
     */
    public synchronized Throwable fatalError()
    {
        return fatalError;
    }

    /**
     * @return the first warnings since start, at most 100.
     */
    public synchronized List<Throwable> warnings()
    {
        return new ArrayList<>(warnings);
    }

    /**
     * @return the number of errors, warnings excluded, since start.
     */
    public synchronized long count()
    {
        return count;
    }

    /**
     * @return the first errors since start, warnings excluded, at most 100.
     */
    public synchronized List<Throwable> errors()
    {
        return new ArrayList<>(errors);
    }

    private void print(final String line, final boolean isWarning)
    {
        if (isWarning)
        {
            log.warn(line);
        }
        else
        {
            log.error(line);
        }
    }
}
