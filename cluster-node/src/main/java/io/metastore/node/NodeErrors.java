package io.metastore.node;

import org.agrona.ErrorHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's error log: every error of the driver, archive, consensus module and service is printed and kept, so
 * an operator sees it and a test can assert there was none.
 */
public final class NodeErrors implements ErrorHandler
{
    private static final int MAX_KEPT = 100;

    private final PrintStream out;
    private final List<Throwable> errors = new ArrayList<>();
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
        count++;
        if (errors.size() < MAX_KEPT)
        {
            errors.add(throwable);
        }
        if (null != out)
        {
            throwable.printStackTrace(out);
        }
    }

    /**
     * @return the number of errors since start.
     */
    public synchronized long count()
    {
        return count;
    }

    /**
     * @return the first errors since start, at most 100.
     */
    public synchronized List<Throwable> errors()
    {
        return new ArrayList<>(errors);
    }
}
