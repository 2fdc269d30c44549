package io.metastore.node.kv;

import io.metastore.node.storage.KvStorage;

import java.util.concurrent.TimeUnit;

/**
 * Automatic compaction, etcd's two modes: keep the last {@code retention} revisions ({@link Mode#REVISION}, checked
 * every five minutes of cluster time), or keep {@code retention} milliseconds of history ({@link Mode#PERIODIC},
 * checked every tenth of the retention, at most every hour).
 * <p>
 * It runs on a cluster timer whose id is the setting itself ({@link #timerId()}, negative, where lease ids are not):
 * every member compacts when the timer event reaches it in the log, as the id says, whatever its own setting, so the
 * members agree even when they were started with different settings; the leader's setting is the one that runs.
 *
 * @param mode      of compaction.
 * @param retention revisions or milliseconds kept, by mode.
 */
public record AutoCompaction(Mode mode, long retention)
{
    /**
     * No automatic compaction: etcd's default.
     */
    public static final AutoCompaction OFF = new AutoCompaction(Mode.OFF, 0);

    /**
     * How often the revision mode checks, as etcd's.
     */
    public static final long REVISION_CHECK_INTERVAL_MS = TimeUnit.MINUTES.toMillis(5);

    /**
     * Longest interval between checks of the periodic mode.
     */
    public static final long MAX_PERIODIC_CHECK_INTERVAL_MS = TimeUnit.HOURS.toMillis(1);

    private static final int MODE_SHIFT = 61;
    private static final long RETENTION_MASK = (1L << MODE_SHIFT) - 1;

    /**
     * What is kept.
     */
    public enum Mode
    {
        /**
         * Everything until compacted by request.
         */
        OFF,

        /**
         * A period of cluster time.
         */
        PERIODIC,

        /**
         * A number of revisions.
         */
        REVISION
    }

    /**
     * @param mode      of compaction.
     * @param retention revisions or milliseconds kept, by mode; positive unless off.
     */
    public AutoCompaction
    {
        if (Mode.OFF != mode && (retention < 1 || retention > RETENTION_MASK))
        {
            throw new IllegalArgumentException("auto compaction retention must be positive: " + retention);
        }
    }

    /**
     * Parse etcd's flags.
     *
     * @param mode      {@code periodic} or {@code revision}.
     * @param retention for periodic a duration: a number with a unit ({@code ms}, {@code s}, {@code m}, {@code h}),
     *                  or a bare number of hours as etcd reads it; for revision a number of revisions; 0 for off.
     * @return the setting.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static AutoCompaction parse(final String mode, final String retention)
    {
        final String text = null == retention ? "" : retention.trim();
        if ("periodic".equalsIgnoreCase(mode))
        {
            final long ms = durationMs(text);
            return 0 == ms ? OFF : new AutoCompaction(Mode.PERIODIC, ms);
        }
        if ("revision".equalsIgnoreCase(mode))
        {
            final long revisions;
            try
            {
                revisions = Long.parseLong(text);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("revision retention must be a number of revisions: " + retention);
            }
            if (revisions < 0)
            {
                throw new IllegalArgumentException("revision retention must not be negative: " + retention);
            }
            return 0 == revisions ? OFF : new AutoCompaction(Mode.REVISION, revisions);
        }

        throw new IllegalArgumentException("mode must be periodic or revision: " + mode);
    }

    private static long durationMs(final String text)
    {
        int unitStart = 0;
        while (unitStart < text.length() &&
            (Character.isDigit(text.charAt(unitStart)) || '.' == text.charAt(unitStart)))
        {
            unitStart++;
        }
        final double amount;
        try
        {
            amount = Double.parseDouble(text.substring(0, unitStart));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("periodic retention must be a duration such as 30m or 1h: " + text);
        }
        final long unitMs = switch (text.substring(unitStart))
        {
            case "", "h" -> TimeUnit.HOURS.toMillis(1);
            case "m" -> TimeUnit.MINUTES.toMillis(1);
            case "s" -> TimeUnit.SECONDS.toMillis(1);
            case "ms" -> 1;
            default -> throw new IllegalArgumentException(
                "periodic retention must be a duration such as 30m or 1h: " + text);
        };
        return Math.round(amount * unitMs);
    }

    /**
     * @return true unless off.
     */
    public boolean isOn()
    {
        return Mode.OFF != mode;
    }

    /**
     * @return the cluster time between two checks, in milliseconds.
     */
    public long checkIntervalMs()
    {
        return Mode.REVISION == mode ?
            REVISION_CHECK_INTERVAL_MS : Math.max(1, Math.min(retention / 10, MAX_PERIODIC_CHECK_INTERVAL_MS));
    }

    /**
     * @return the id of the cluster timer that carries this setting: negative, never a lease's.
     */
    public long timerId()
    {
        return Long.MIN_VALUE | ((long)mode.ordinal() << MODE_SHIFT) | retention;
    }

    /**
     * @param timerId of a cluster timer.
     * @return true if it is an auto compaction timer, not a lease's.
     */
    public static boolean isTimer(final long timerId)
    {
        return timerId < 0;
    }

    /**
     * @param timerId of an auto compaction timer.
     * @return the setting it carries.
     */
    public static AutoCompaction ofTimer(final long timerId)
    {
        final int mode = (int)((timerId >>> MODE_SHIFT) & 0b11);
        if (mode < 1 || mode >= Mode.values().length)
        {
            return OFF;
        }
        return new AutoCompaction(Mode.values()[mode], timerId & RETENTION_MASK);
    }

    /**
     * The revision to compact at, if any.
     *
     * @param nowMs    cluster time of the check.
     * @param revision current.
     * @param storage  to find the revision current at a time, for the periodic mode.
     * @return the revision, or 0 to keep everything for now.
     */
    long compactionRevision(final long nowMs, final long revision, final KvStorage storage)
    {
        return switch (mode)
        {
            case REVISION -> Math.max(0, revision - retention);
            case PERIODIC -> storage.lastRevisionAt(nowMs - retention, revision);
            default -> 0;
        };
    }
}
