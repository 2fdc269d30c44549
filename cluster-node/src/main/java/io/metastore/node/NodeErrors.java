package io.metastore.node;

import io.aeron.exceptions.AeronException;
import org.agrona.ErrorHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's error log: every error of the driver, archive, consensus module and service is printed and kept, so
 * an operator sees it and a test can assert there was none. Aeron's warnings (an {@link AeronException} of category
 * {@code WARN}, such as a leader heartbeat timeout before an election) are printed and kept apart.
 */
public final class NodeErrors implements ErrorHandler
{
    private static final int MAX_KEPT = 100;

    private final PrintStream out;
    private final List<Throwable> errors = new ArrayList<>();
    private final List<Throwable> warnings = new ArrayList<>();
    private long count;

    /**
     * @param out where errors are printed, or null to only keep them.
     */
    public NodeErrors(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    public synchronized void onError(final Throwable throwable)
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
        if (null != out)
        {
            throwable.printStackTrace(out);
        }
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
