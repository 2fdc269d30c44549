package io.metastore.node;

import io.aeron.cluster.service.ClusterTerminationException;
import io.aeron.exceptions.AeronException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's error log: every error of the driver, archive, consensus module and service is printed and kept, so
 * an operator sees it and a test can assert there was none. Aeron's warnings (an {@link AeronException} of category
 * {@code WARN}, such as a leader heartbeat timeout before an election) are printed and kept apart. A requested
 * termination of the cluster (an expected {@link ClusterTerminationException}) is neither.
 * <p>
 * The first fatal error (see {@link #isFatal(Throwable)}) is kept as the reason the node stopped, unless it came after
 * {@link #shutdownRequested()}: closing a node may make its agents complain about each other going away.
 */
public final class NodeErrors implements ErrorHandler
{
    private static final int MAX_KEPT = 100;

    private final PrintStream out;
    private final List<Throwable> errors = new ArrayList<>();
    private final List<Throwable> warnings = new ArrayList<>();
    private long count;
    private boolean isShutdownRequested;
    private Throwable fatalError;

    /**
     * @param out where errors are printed, or null to only keep them.
     */
    public NodeErrors(final PrintStream out)
    {
        this.out = out;
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

    /**
     * {@inheritDoc}
     */
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
            if (null != out)
            {
                throwable.printStackTrace(out);
            }
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
}
