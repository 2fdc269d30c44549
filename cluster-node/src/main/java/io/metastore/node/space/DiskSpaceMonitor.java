package io.metastore.node.space;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Watches the usable space of the file system holding a node's data directory, once per check interval, and tells
 * its {@link Listener} when the space falls below the alarm threshold, when it is back above it with a margin, and when
 * it falls below the reserve, at which point the node must stop before a write fails half way.
 * <p>
 * The decision to refuse writes is not taken here: the listener proposes the NOSPACE alarm through the log, so every
 * replica refuses the same writes at the same position. This class only observes, on its own thread.
 */
public final class DiskSpaceMonitor implements Agent
{
    /**
     * What the monitor reports. Called on the monitor's thread.
     */
    public interface Listener
    {
        /**
         * Usable space fell below the alarm threshold, or is still below it after a report that failed.
         *
         * @param usableBytes now.
         * @return true if the alarm was raised, false to be asked again at the next check.
         */
        boolean onLowSpace(long usableBytes);

        /**
         * Usable space is back above the alarm threshold plus the margin after a low-space report.
         *
         * @param usableBytes now.
         * @return true if the alarm was cleared, false to be asked again at the next check.
         */
        boolean onSpaceRestored(long usableBytes);

        /**
         * Usable space fell below the reserve: the node must stop now. Reported once.
         *
         * @param usableBytes now.
         */
        void onReserveExhausted(long usableBytes);
    }

    /**
     * Free space the alarm clears at, above its threshold, as a fraction of it: a file system hovering at the threshold
     * does not raise and clear the alarm on every check.
     */
    static final double CLEAR_MARGIN = 0.1;

    private final FileStore fileStore;
    private final Path dir;
    private final long alarmBytes;
    private final long reserveBytes;
    private final long checkIntervalMs;
    private final EpochClock clock;
    private final Listener listener;
    private long nextCheckMs;
    private boolean isLow = true;
    private boolean isReserveExhausted;
    private long lastUsableBytes = -1;

    /**
     * @param dir             whose file system is watched; must exist.
     * @param alarmBytes      usable space below which writes are to be refused; 0 for never.
     * @param reserveBytes    usable space below which the node must stop; 0 for never.
     * @param checkIntervalMs between checks.
     * @param clock           to pace the checks.
     * @param listener        told what was found.
     */
    public DiskSpaceMonitor(
        final Path dir,
        final long alarmBytes,
        final long reserveBytes,
        final long checkIntervalMs,
        final EpochClock clock,
        final Listener listener)
    {
        this.dir = dir;
        this.alarmBytes = alarmBytes;
        this.reserveBytes = reserveBytes;
        this.checkIntervalMs = checkIntervalMs;
        this.clock = clock;
        this.listener = listener;
        try
        {
            this.fileStore = Files.getFileStore(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot find the file system of " + dir, ex);
        }
    }

    /**
     * Usable space of the watched file system now.
     *
     * @return bytes a write may still take.
     */
    public long usableBytes()
    {
        try
        {
            return fileStore.getUsableSpace();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the free space of " + dir, ex);
        }
    }

    /**
     * @return the usable space at the last check, -1 before the first.
     */
    public long lastUsableBytes()
    {
        return lastUsableBytes;
    }

    /**
     * @return true while the space is reported low, or not yet known to be clear, and not yet reported restored.
     */
    public boolean isLow()
    {
        return isLow;
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        if (nowMs < nextCheckMs)
        {
            return 0;
        }
        nextCheckMs = nowMs + checkIntervalMs;

        return check(usableBytes());
    }

    /**
     * Act on one reading of the usable space.
     *
     * @param usableBytes read.
     * @return 1 if the listener was told something, 0 otherwise.
     */
    int check(final long usableBytes)
    {
        lastUsableBytes = usableBytes;
        if (usableBytes < reserveBytes)
        {
            if (!isReserveExhausted)
            {
                isReserveExhausted = true;
                // Straight from above the alarm threshold to below the reserve between two readings: the alarm too.
                if (0 != alarmBytes && !isLow)
                {
                    isLow = listener.onLowSpace(usableBytes);
                }
                listener.onReserveExhausted(usableBytes);
                return 1;
            }
            return 0;
        }

        if (0 == alarmBytes)
        {
            return 0;
        }

        if (usableBytes < alarmBytes)
        {
            if (!isLow)
            {
                isLow = listener.onLowSpace(usableBytes);
                return 1;
            }
        }
        else if (isLow && usableBytes >= alarmBytes + (long)(alarmBytes * CLEAR_MARGIN))
        {
            isLow = !listener.onSpaceRestored(usableBytes);
            return 1;
        }

        return 0;
    }

    @Override
    public String roleName()
    {
        return "metastore-disk-space";
    }
}
