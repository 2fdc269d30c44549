package io.metastore.node;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rate limits identical log lines: the first of a line is printed, the ones that follow within a window are only
 * counted, and the count is printed once the window ends: {@code <line> (repeated 123,456 times in the last 10 s)}.
 * A flood of one line so prints one line per window rather than one per occurrence (a member cut off for 10 s made
 * its peers' media drivers report 100,000-300,000 "failed to send datagram" warnings). A window with no repeat ends
 * the tracking of its line, so the next occurrence prints at once again.
 * <p>
 * Windows end when the next occurrence comes or when {@link #reportEnded(long)} is called, which the node does on a
 * timer so that the count of a flood that stopped is printed too. Not thread safe: the caller serialises access.
 */
final class RepeatedLines
{
    /**
     * Where lines go.
     */
    @FunctionalInterface
    interface Printer
    {
        /**
         * @param line      to print.
         * @param isWarning true for a warning, false for an error.
         */
        void print(String line, boolean isWarning);
    }

    /**
     * Lines tracked at once; a line past them is printed every time rather than grow the table without bound.
     */
    static final int MAX_TRACKED_LINES = 256;

    private final long windowMs;
    private final Printer printer;
    private final Map<String, Window> windows = new LinkedHashMap<>();

    /**
     * @param windowMs length of the window in which repeats are counted rather than printed.
     * @param printer  where lines and counts of repeats go.
     */
    RepeatedLines(final long windowMs, final Printer printer)
    {
        this.windowMs = windowMs;
        this.printer = printer;
    }

    /**
     * One occurrence of a line.
     *
     * @param line      as it would be printed.
     * @param isWarning true for a warning, false for an error.
     * @param nowMs     the time now.
     * @return true if the caller is to print the line now, false if it was counted (or its count printed).
     */
    boolean onLine(final String line, final boolean isWarning, final long nowMs)
    {
        final Window window = windows.get(line);
        if (null == window)
        {
            if (windows.size() < MAX_TRACKED_LINES)
            {
                windows.put(line, new Window(nowMs, isWarning));
            }
            return true;
        }

        if (nowMs - window.startMs < windowMs)
        {
            window.count++;
            return false;
        }

        if (0 == window.count)
        {
            window.startMs = nowMs;
            return true;
        }

        window.count++;
        print(line, window, nowMs);
        return false;
    }

    /**
     * Print the count of every line whose window has ended with repeats; forget the lines that did not repeat.
     *
     * @param nowMs the time now.
     * @return the number of counts printed.
     */
    int reportEnded(final long nowMs)
    {
        int printed = 0;
        for (final Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); )
        {
            final Map.Entry<String, Window> entry = it.next();
            final Window window = entry.getValue();
            if (nowMs - window.startMs >= windowMs)
            {
                if (0 == window.count)
                {
                    it.remove();
                }
                else
                {
                    print(entry.getKey(), window, nowMs);
                    printed++;
                }
            }
        }

        return printed;
    }

    /**
     * Print the count of every line that repeated in a window not yet ended, as when the node closes.
     *
     * @param nowMs the time now.
     */
    void reportAll(final long nowMs)
    {
        for (final Map.Entry<String, Window> entry : windows.entrySet())
        {
            if (entry.getValue().count > 0)
            {
                print(entry.getKey(), entry.getValue(), nowMs);
            }
        }
        windows.clear();
    }

    /**
     * @param line  that repeated.
     * @param count times it repeated.
     * @param ms    over how long.
     * @return the line with its count.
     */
    static String repeated(final String line, final long count, final long ms)
    {
        final long seconds = Math.max(1, Math.round(ms / 1000.0));
        return 1 == count ?
            String.format(Locale.ROOT, "%s (repeated once in the last %d s)", line, seconds) :
            String.format(Locale.ROOT, "%s (repeated %,d times in the last %d s)", line, count, seconds);
    }

    private void print(final String line, final Window window, final long nowMs)
    {
        printer.print(repeated(line, window.count, nowMs - window.startMs), window.isWarning);
        window.startMs = nowMs;
        window.count = 0;
    }

    private static final class Window
    {
        private final boolean isWarning;
        private long startMs;
        private long count;

        Window(final long startMs, final boolean isWarning)
        {
            this.startMs = startMs;
            this.isWarning = isWarning;
        }
    }
}
