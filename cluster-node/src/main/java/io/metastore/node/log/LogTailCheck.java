package io.metastore.node.log;

import io.aeron.archive.CatalogView;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the recordings of a node's archive that were never stopped cleanly and scans the last segment file of each
 * for a torn or overrunning last frame; {@link #verify(File, int, String, File)} refuses to start the node on one.
 * Recordings are read through Aeron's {@link CatalogView}; segment files are found by Aeron's naming
 * ({@code Archive.segmentFileName}: {@code <recordingId>-<segmentBasePosition>.rec}).
 */
public final class LogTailCheck
{
    /**
     * The node's archive directory under its node directory, as {@code MetaStoreNode} names it.
     */
    public static final String ARCHIVE_DIR_NAME = "archive";

    /**
     * Aeron's catalog file in the archive directory ({@code Archive.Configuration.CATALOG_FILE_NAME}).
     */
    static final String CATALOG_FILE_NAME = "archive.catalog";

    /**
     * Suffix of Aeron's segment files ({@code Archive.Configuration.RECORDING_SEGMENT_SUFFIX}).
     */
    static final String SEGMENT_FILE_SUFFIX = ".rec";

    private static final long NULL_POSITION = AeronArchive.NULL_POSITION;
    private static final Logger LOG = LoggerFactory.getLogger(LogTailCheck.class);

    private LogTailCheck()
    {
    }

    /**
     * Refuse to start a node whose archive holds a recording with a damaged tail, with a message that says where,
     * what happened and the command that repairs it. A log that ends in a padding frame across a page boundary, which
     * holds no entry but which Aeron's recovery would refuse, is ended before it.
     *
     * @param nodeDir  the node's directory.
     * @param memberId of the node.
     * @param members  comma separated hosts of the members, as the node was given them.
     * @param dataDir  parent of the node's directory.
     * @throws TornLogException if a recording's tail is damaged.
     */
    public static void verify(final File nodeDir, final int memberId, final String members, final File dataDir)
    {
        final File archiveDir = new File(nodeDir, ARCHIVE_DIR_NAME);
        for (final SegmentTail tail : unstoppedTails(archiveDir))
        {
            if (SegmentTail.Kind.PADDING == tail.kind())
            {
                // No entry is lost, and Aeron would refuse to start on it: end the log before it, as Aeron's own
                // ArchiveTool does when it truncates on a page straddle.
                TailRepair.truncate(tail);
                LOG.warn("the log of recording {} ended in a padding frame across a page boundary at log " +
                    "position {}; ended it there", tail.recordingId(), tail.framePosition());
            }
        }
        final List<SegmentTail> damaged = damagedTails(archiveDir);
        if (!damaged.isEmpty())
        {
            throw new TornLogException(refusal(damaged, memberId, members, dataDir));
        }
    }

    /**
     * @param archiveDir of the node.
     * @return the tails of the recordings that were not stopped cleanly and are torn or overrun; empty if none or if
     * there is no catalog yet.
     */
    public static List<SegmentTail> damagedTails(final File archiveDir)
    {
        final List<SegmentTail> damaged = new ArrayList<>();
        for (final SegmentTail tail : unstoppedTails(archiveDir))
        {
            if (tail.isDamaged())
            {
                damaged.add(tail);
            }
        }

        return damaged;
    }

    /**
     * @param archiveDir of the node.
     * @return the tail of the last segment file of every recording whose stop position is unknown, the
     * recordings the archive will recover by scanning when it starts.
     */
    public static List<SegmentTail> unstoppedTails(final File archiveDir)
    {
        final List<SegmentTail> tails = new ArrayList<>();
        if (!new File(archiveDir, CATALOG_FILE_NAME).isFile())
        {
            return tails;
        }

        final List<Unstopped> unstopped = new ArrayList<>();
        final RecordingDescriptorConsumer consumer =
            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition, stopPosition,
            initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId, strippedChannel,
            originalChannel, sourceIdentity) ->
            {
                if (NULL_POSITION == stopPosition)
                {
                    unstopped.add(new Unstopped(recordingId, startPosition, termBufferLength, segmentFileLength));
                }
            };
        CatalogView.listRecordings(archiveDir, consumer);

        for (final Unstopped recording : unstopped)
        {
            final long segmentBasePosition = lastSegmentBasePosition(archiveDir, recording.recordingId);
            if (NULL_POSITION != segmentBasePosition)
            {
                // As Aeron's Catalog.computeStopPosition: the first segment starts at the start position's term.
                final int startTermOffset = (int)(recording.startPosition & (recording.termLength - 1));
                final long startTermBasePosition = recording.startPosition - startTermOffset;
                final int startOffset = segmentBasePosition == startTermBasePosition ? startTermOffset : 0;
                tails.add(SegmentScanner.scan(
                    recording.recordingId,
                    segmentBasePosition,
                    new File(archiveDir, segmentFileName(recording.recordingId, segmentBasePosition)),
                    startOffset,
                    recording.segmentLength));
            }
        }

        return tails;
    }

    /**
     * Where the node's log ends, as the archive will find it when it starts: the largest stop position of the
     * recordings of the log's stream, or for one never stopped cleanly the end of the last whole frame of its last
     * segment file. A starting node replays its log up to here (from its last snapshot).
     *
     * @param archiveDir  of the node.
     * @param logStreamId stream id of the cluster's log.
     * @return the end of the log, 0 if there is none yet.
     */
    public static long logEndPosition(final File archiveDir, final int logStreamId)
    {
        if (!new File(archiveDir, CATALOG_FILE_NAME).isFile())
        {
            return 0;
        }

        final long[] endPosition = { 0 };
        final List<Long> unstoppedIds = new ArrayList<>();
        final RecordingDescriptorConsumer consumer =
            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition, stopPosition,
            initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId, strippedChannel,
            originalChannel, sourceIdentity) ->
            {
                if (logStreamId == streamId)
                {
                    if (NULL_POSITION == stopPosition)
                    {
                        unstoppedIds.add(recordingId);
                    }
                    endPosition[0] = Math.max(endPosition[0], Math.max(startPosition, stopPosition));
                }
            };
        CatalogView.listRecordings(archiveDir, consumer);
        if (!unstoppedIds.isEmpty())
        {
            for (final SegmentTail tail : unstoppedTails(archiveDir))
            {
                if (unstoppedIds.contains(tail.recordingId()))
                {
                    endPosition[0] = Math.max(endPosition[0], tail.segmentBasePosition() + tail.endOffset());
                }
            }
        }

        return endPosition[0];
    }

    /**
     * The command that repairs the node, with the node's own flags.
     *
     * @param memberId of the node.
     * @param members  comma separated hosts of the members.
     * @param dataDir  parent of the node's directory.
     * @return the command line.
     */
    public static String repairCommand(final int memberId, final String members, final File dataDir)
    {
        return "metastore repair --member-id " + memberId + " --members " + members +
            " --data-dir " + dataDir.getAbsolutePath();
    }

    /**
     * @param tail a damaged tail.
     * @return one sentence: which recording and file, where, and what is wrong.
     */
    public static String describe(final SegmentTail tail)
    {
        final String where = "recording " + tail.recordingId() + ", segment file " + tail.segmentFile() +
            ": the frame at log position " + tail.framePosition() + " (file offset " + tail.frameOffset() +
            ", length " + tail.frameLength() + ")";
        if (SegmentTail.Kind.TORN == tail.kind())
        {
            return where + " is torn: it crosses into a page at file offset " + tail.emptyPageOffset() +
                " that is all zeros";
        }

        return where + " runs past the end of the segment: its header is not a frame's";
    }

    /**
     * @param members comma separated hosts of the members.
     * @return true if the cluster has only this member: no leader to fetch a lost entry from.
     */
    public static boolean isSingleMember(final String members)
    {
        return 1 == members.split(",").length;
    }

    static String segmentFileName(final long recordingId, final long segmentBasePosition)
    {
        return recordingId + "-" + segmentBasePosition + SEGMENT_FILE_SUFFIX;
    }

    private static String refusal(
        final List<SegmentTail> damaged, final int memberId, final String members, final File dataDir)
    {
        final StringBuilder sb = new StringBuilder("refusing to start member ").append(memberId)
            .append(": its log ends in a write that was cut short (a full disk or a crash) and Aeron's recovery ")
            .append("would replay the partial entry, leaving this member's state different from the others'.");
        for (final SegmentTail tail : damaged)
        {
            sb.append("\n  ").append(describe(tail)).append('.');
        }
        sb.append("\nWith the node stopped, end the log at its last whole entry:\n  ")
            .append(repairCommand(memberId, members, dataDir));
        if (isSingleMember(members))
        {
            sb.append("\nThis is a single-member cluster: there is no leader to fetch the cut entry from, so it is ")
                .append("dropped (a write cut short by a full disk was never acknowledged).");
        }
        else
        {
            sb.append("\nThe member fetches the rest of the log from the leader when it rejoins.");
        }

        return sb.toString();
    }

    private static long lastSegmentBasePosition(final File archiveDir, final long recordingId)
    {
        final String prefix = recordingId + "-";
        final String[] names = archiveDir.list();
        long maxPosition = NULL_POSITION;
        if (null != names)
        {
            for (final String name : names)
            {
                if (name.startsWith(prefix) && name.endsWith(SEGMENT_FILE_SUFFIX))
                {
                    final int positionEnd = name.length() - SEGMENT_FILE_SUFFIX.length();
                    try
                    {
                        final long position = Long.parseLong(name.substring(prefix.length(), positionEnd));
                        maxPosition = Math.max(maxPosition, position);
                    }
                    catch (final NumberFormatException ignore)
                    {
                        // Not a segment file of this recording: Aeron skips it too.
                    }
                }
            }
        }

        return maxPosition;
    }

    private static final class Unstopped
    {
        private final long recordingId;
        private final long startPosition;
        private final int termLength;
        private final int segmentLength;

        private Unstopped(
            final long recordingId, final long startPosition, final int termLength, final int segmentLength)
        {
            this.recordingId = recordingId;
            this.startPosition = startPosition;
            this.termLength = termLength;
            this.segmentLength = segmentLength;
        }
    }
}
