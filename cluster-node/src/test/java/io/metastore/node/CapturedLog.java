package io.metastore.node;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.util.ArrayList;
import java.util.List;

/**
 * A logger that keeps what is logged, every level enabled, as {@code LEVEL message} lines and the throwables given.
 */
final class CapturedLog extends LegacyAbstractLogger
{
    private static final long serialVersionUID = 1L;

    private final List<String> lines = new ArrayList<>();
    private final List<Throwable> throwables = new ArrayList<>();

    CapturedLog()
    {
        this.name = "captured";
    }

    /**
     * @return the lines logged so far, each {@code LEVEL message}.
     */
    synchronized List<String> lines()
    {
        return new ArrayList<>(lines);
    }

    /**
     * @return the throwables logged with a line, in order; a line without one adds nothing.
     */
    synchronized List<Throwable> throwables()
    {
        return new ArrayList<>(throwables);
    }

    /**
     * Forget what was logged so far.
     */
    synchronized void clear()
    {
        lines.clear();
        throwables.clear();
    }

    public boolean isTraceEnabled()
    {
        return true;
    }

    public boolean isDebugEnabled()
    {
        return true;
    }

    public boolean isInfoEnabled()
    {
        return true;
    }

    public boolean isWarnEnabled()
    {
        return true;
    }

    public boolean isErrorEnabled()
    {
        return true;
    }

    protected String getFullyQualifiedCallerName()
    {
        return null;
    }

    protected synchronized void handleNormalizedLoggingCall(
        final Level level,
        final Marker marker,
        final String messagePattern,
        final Object[] arguments,
        final Throwable throwable)
    {
        lines.add(level + " " + MessageFormatter.basicArrayFormat(messagePattern, arguments));
        if (null != throwable)
        {
            throwables.add(throwable);
        }
    }
}
