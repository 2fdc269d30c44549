package io.metastore.node.log;

import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.RecordingLog;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;

import java.io.File;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.aeron.Aeron.NULL_VALUE;

/**
 * Purges the recorded log older than the member's newest snapshot, keeping {@code retentionBytes} of it before that
 * snapshot, through the archive ({@link AeronArchive#purgeSegments(long, long)}: whole segment files from the start of
 * the recording), on a thread of the node's own.
 * <p>
 * The rule: the recording keeps every segment holding a position at or above
 * {@code newest snapshot position - retentionBytes}, or by age, every segment after the newest snapshot taken at least
 * {@code retentionPeriodMs} ago (each entry before a snapshot is no later than the snapshot's cluster time); with
 * both, what either keeps. A restart replays the log from its newest snapshot, so nothing at
 * or after it is ever purged. A follower that is behind catches up by replicating the leader's recording from its own
 * log position, and every member takes each snapshot at the same log position, so the retained bytes are how far a
 * member may fall behind the newest snapshot (down, or slow) and still catch up from the leader's recording; one
 * further behind must be rebuilt (README, "Snapshots and log retention"). The newest snapshot is read from the
 * cluster's recording log, what a restart uses, not from the service, which learns of a snapshot before the
 * consensus module has recorded it. Purging changes no replicated state, so it needs no agreement among members.
 */
public final class LogRetention implements Agent
{
    private static final long CHECK_INTERVAL_MS = 1000;

    private final File clusterDir;
    private final long retentionBytes;
    private final long retentionPeriodMs;
    private final Supplier<AeronArchive> archiveConnector;
    private final BooleanSupplier isServing;
    private final EpochClock clock;
    private final Logger log;
    private AeronArchive archive;
    private long nextCheckMs;
    private String lastFailure;
    private volatile long startPosition = NULL_VALUE;
    private volatile long purgedSegments;

    /**
     * @param clusterDir       the consensus module's directory, holding its recording log.
     * @param retentionBytes   log kept before the newest snapshot; negative for no bound by size.
     * @param retentionPeriodMs log before the newest snapshot kept while younger than this (the log before the newest
     *                         snapshot taken at least this long ago is older); negative for no bound by age. With
     *                         both negative the whole log is kept; with both set, what either keeps is kept.
     * @param archiveConnector connects a client of the member's archive; called on this agent's thread.
     * @param isServing        true once the member has loaded its state: nothing is purged before.
     * @param clock            for the interval between checks.
     * @param log              for what is purged and why it could not be.
     */
    public LogRetention(
        final File clusterDir,
        final long retentionBytes,
        final long retentionPeriodMs,
        final Supplier<AeronArchive> archiveConnector,
        final BooleanSupplier isServing,
        final EpochClock clock,
        final Logger log)
    {
        this.clusterDir = clusterDir;
        this.retentionBytes = retentionBytes;
        this.retentionPeriodMs = retentionPeriodMs;
        this.archiveConnector = archiveConnector;
        this.isServing = isServing;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public String roleName()
    {
        return "metastore-log-retention";
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        if ((retentionBytes < 0 && retentionPeriodMs < 0) || nowMs < nextCheckMs || !isServing.getAsBoolean())
        {
            return 0;
        }
        nextCheckMs = nowMs + CHECK_INTERVAL_MS;

        try
        {
            return purge(nowMs);
        }
        catch (final RuntimeException ex)
        {
            // The segments may be in use (a replay for a follower catching up): tried again at the next check.
            final String failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            if (!failure.equals(lastFailure))
            {
                log.warn("log retention: cannot purge the log now, trying again: {}", failure);
                lastFailure = failure;
            }
            CloseHelper.quietClose(archive);
            archive = null;
            return 0;
        }
    }

    @Override
    public void onClose()
    {
        CloseHelper.quietClose(archive);
    }

    /**
     * @return the log recording's start position as last read, or -1 before the first check.
     */
    public long startPosition()
    {
        return startPosition;
    }

    /**
     * @return segment files purged since the node started.
     */
    public long purgedSegments()
    {
        return purgedSegments;
    }

    private int purge(final long nowMs)
    {
        if (!new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME).exists())
        {
            return 0;
        }
        final long recordingId;
        final long snapshotPosition;
        long periodPosition = 0;
        try (RecordingLog recordingLog = new RecordingLog(clusterDir, false))
        {
            final RecordingLog.Entry snapshot =
                recordingLog.getLatestSnapshot(ConsensusModule.Configuration.SERVICE_ID);
            recordingId = recordingLog.findLastTermRecordingId();
            if (null == snapshot || NULL_VALUE == recordingId)
            {
                return 0;
            }
            snapshotPosition = snapshot.logPosition;
            // Every entry before a snapshot's position is no later than the snapshot's cluster time.
            for (final RecordingLog.Entry entry : recordingLog.entries())
            {
                if (entry.isValid && RecordingLog.ENTRY_TYPE_SNAPSHOT == entry.type &&
                    ConsensusModule.Configuration.SERVICE_ID == entry.serviceId &&
                    entry.timestamp <= nowMs - retentionPeriodMs && entry.logPosition > periodPosition)
                {
                    periodPosition = entry.logPosition;
                }
            }
        }

        if (null == archive)
        {
            archive = archiveConnector.get();
        }
        final long[] descriptor = new long[3];
        if (0 == archive.listRecording(recordingId,
            (controlSessionId, correlationId, id, startTimestamp, stopTimestamp, start, stop, initialTermId,
            segmentFileLength, termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel,
            sourceIdentity) ->
            {
                descriptor[0] = start;
                descriptor[1] = termBufferLength;
                descriptor[2] = segmentFileLength;
            }))
        {
            return 0;
        }
        final long start = descriptor[0];
        startPosition = start;
        final long keepFrom = keepFrom(snapshotPosition, periodPosition);
        if (keepFrom <= start)
        {
            return 0;
        }

        // The first byte of the segment holding keepFrom: what is before it is older than the retention throughout.
        final long newStart = AeronArchive.segmentFileBasePosition(
            start, keepFrom, (int)descriptor[1], (int)descriptor[2]);
        if (newStart <= start || newStart > snapshotPosition)
        {
            return 0;
        }
        final long deleted = archive.purgeSegments(recordingId, newStart);
        purgedSegments += deleted;
        startPosition = newStart;
        lastFailure = null;
        log.info("log retention: purged {} segment files of log recording {}: it now starts at position {} " +
            "(newest snapshot at {}, retention {} bytes, {} ms)", deleted, recordingId, newStart, snapshotPosition,
            retentionBytes, retentionPeriodMs);
        return 1;
    }

    /**
     * The first position to keep: what the size keeps before the newest snapshot, or what the period keeps (from
     * the newest snapshot taken a period ago), or with both the lower of the two.
     */
    private long keepFrom(final long snapshotPosition, final long periodPosition)
    {
        final long bySize = snapshotPosition - retentionBytes;
        if (retentionPeriodMs < 0)
        {
            return bySize;
        }
        if (retentionBytes < 0)
        {
            return periodPosition;
        }

        return Math.min(bySize, periodPosition);
    }
}
