package io.metastore.node.replay;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Image;
import io.aeron.ImageControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.cluster.RecordingLog;
import io.aeron.cluster.codecs.MessageHeaderDecoder;
import io.aeron.cluster.codecs.SnapshotMark;
import io.aeron.cluster.codecs.SnapshotMarkerDecoder;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.metastore.node.NodeLock;
import io.metastore.node.log.LogTailCheck;
import io.metastore.node.log.RecordChecksum;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.aeron.archive.client.AeronArchive.NULL_POSITION;

/**
 * A member's recorded log, opened offline: with the member stopped (its lock is taken, so a running member is
 * refused), or on a copy of its directory. Aeron's archive reads it: this process launches a media driver and an
 * archive of its own over the member's archive directory, with no network endpoint, and replays the log recording
 * and the service's snapshot recordings to itself over IPC; Aeron's {@link RecordingLog} names the recordings, the
 * terms and the snapshots. Each frame's CRC-32C, which the member recorded, is checked as it is replayed.
 * <p>
 * Opening it does to the member's files what the member's own next start would do: the archive recovers the stop
 * position of a recording the member did not stop cleanly, and a log ending in a padding frame across a page boundary
 * is ended before it ({@link LogTailCheck#verify}); a torn last entry is refused with the repair that mends it.
 */
public final class RecordedLog implements AutoCloseable
{
    private static final String CONTROL_CHANNEL = "aeron:ipc?term-length=64k";
    private static final String REPLAY_CHANNEL = "aeron:ipc";
    private static final int REPLAY_STREAM_ID = 1200;
    private static final int SNAPSHOT_STREAM_ID = 1201;
    private static final int FRAGMENT_LIMIT = 64;
    private static final int SERVICE_ID = 0;
    private static final Pattern DAMAGED_POSITION = Pattern.compile("at position=(\\d+)");
    private static final long IMAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final File nodeDir;
    private final NodeLock lock;
    private final ArchivingMediaDriver driver;
    private final Aeron aeron;
    private final AeronArchive archive;
    private final List<RecordingLog.Entry> terms;
    private final List<RecordingLog.Entry> snapshots;
    private final long recordingId;
    private final long startPosition;
    private final long endPosition;
    private final IdleStrategy idleStrategy = new BackoffIdleStrategy();

    private RecordedLog(
        final File nodeDir,
        final NodeLock lock,
        final ArchivingMediaDriver driver,
        final Aeron aeron,
        final AeronArchive archive,
        final List<RecordingLog.Entry> entries)
    {
        this.nodeDir = nodeDir;
        this.lock = lock;
        this.driver = driver;
        this.aeron = aeron;
        this.archive = archive;
        final List<RecordingLog.Entry> terms = new ArrayList<>();
        final List<RecordingLog.Entry> snapshots = new ArrayList<>();
        for (final RecordingLog.Entry entry : entries)
        {
            if (entry.isValid && RecordingLog.ENTRY_TYPE_TERM == entry.type)
            {
                terms.add(entry);
            }
            else if (entry.isValid && RecordingLog.ENTRY_TYPE_SNAPSHOT == entry.type && SERVICE_ID == entry.serviceId)
            {
                snapshots.add(entry);
            }
        }
        this.terms = Collections.unmodifiableList(terms);
        this.snapshots = Collections.unmodifiableList(snapshots);
        if (terms.isEmpty())
        {
            recordingId = Aeron.NULL_VALUE;
            startPosition = 0;
            endPosition = 0;
        }
        else
        {
            recordingId = terms.get(terms.size() - 1).recordingId;
            startPosition = archive.getStartPosition(recordingId);
            final long stopPosition = archive.getStopPosition(recordingId);
            endPosition = NULL_POSITION != stopPosition ? stopPosition : archive.getRecordingPosition(recordingId);
        }
    }

    /**
     * Open a member's recorded log.
     *
     * @param nodeDir  the member's directory ({@code <data-dir>/node-<id>}), or a copy of it.
     * @param memberId of the member, for the repair command a torn log is refused with.
     * @param members  the members' hosts, as the member was started with, for the same.
     * @return the log, to be closed.
     * @throws IllegalStateException if the directory holds no recorded log, or the member is running.
     * @throws io.metastore.node.log.TornLogException if the log ends in a torn entry.
     */
    public static RecordedLog open(final File nodeDir, final int memberId, final String members)
    {
        final File archiveDir = new File(nodeDir, LogTailCheck.ARCHIVE_DIR_NAME);
        final File clusterDir = new File(nodeDir, "cluster");
        if (!new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME).isFile() || !archiveDir.isDirectory())
        {
            throw new IllegalStateException("no recorded log in " + nodeDir + ": it has no " +
                LogTailCheck.ARCHIVE_DIR_NAME + " directory or no cluster/" + RecordingLog.RECORDING_LOG_FILE_NAME);
        }

        final String aeronDirectoryName =
            CommonContext.getAeronDirectoryName() + "-metastore-log-" + ProcessHandle.current().pid();
        final NodeLock lock = NodeLock.acquire(nodeDir, aeronDirectoryName);
        ArchivingMediaDriver driver = null;
        Aeron aeron = null;
        AeronArchive archive = null;
        try
        {
            LogTailCheck.verify(nodeDir, memberId, members, nodeDir.getAbsoluteFile().getParentFile());
            final List<RecordingLog.Entry> entries;
            try (RecordingLog recordingLog = new RecordingLog(clusterDir, false))
            {
                entries = new ArrayList<>(recordingLog.entries());
            }
            driver = ArchivingMediaDriver.launch(
                driverContext(aeronDirectoryName), archiveContext(aeronDirectoryName, archiveDir));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName));
            archive = AeronArchive.connect(new AeronArchive.Context()
                .aeron(aeron)
                .lock(NoOpLock.INSTANCE)
                .controlRequestChannel(CONTROL_CHANNEL)
                .controlResponseChannel(CONTROL_CHANNEL));

            return new RecordedLog(nodeDir, lock, driver, aeron, archive, entries);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(archive, aeron, driver, lock);
            throw ex;
        }
    }

    /**
     * @return the member's directory.
     */
    public File nodeDir()
    {
        return nodeDir;
    }

    /**
     * @return the oldest position still recorded: 0 unless the log before it was purged.
     */
    public long startPosition()
    {
        return startPosition;
    }

    /**
     * @return the position the recording ends at.
     */
    public long endPosition()
    {
        return endPosition;
    }

    /**
     * @return the leadership terms of the log, in order, as the recording log names them.
     */
    public List<RecordingLog.Entry> terms()
    {
        return terms;
    }

    /**
     * @return the service's snapshots, oldest first, as the recording log names them.
     */
    public List<RecordingLog.Entry> snapshots()
    {
        return snapshots;
    }

    /**
     * @param position of the log.
     * @return the newest snapshot of the service at or before the position whose log is still recorded from there,
     * or null if there is none.
     */
    public RecordingLog.Entry snapshotAtOrBefore(final long position)
    {
        RecordingLog.Entry found = null;
        for (final RecordingLog.Entry snapshot : snapshots)
        {
            if (snapshot.logPosition <= position && snapshot.logPosition >= startPosition)
            {
                found = snapshot;
            }
        }

        return found;
    }

    /**
     * @param position of the log.
     * @return the oldest snapshot of the service at or after the position, or null if there is none.
     */
    public RecordingLog.Entry snapshotAtOrAfter(final long position)
    {
        for (final RecordingLog.Entry snapshot : snapshots)
        {
            if (snapshot.logPosition >= position)
            {
                return snapshot;
            }
        }

        return null;
    }

    /**
     * Read the entries of the log from one position to another, in order.
     *
     * @param fromPosition where an entry starts: 0, a term's or a snapshot's position, or where a read stopped.
     * @param toPosition   the end of the last entry to read, at most {@link #endPosition()}; an entry that does not
     *                     end by then is not read.
     * @param listener     given each entry; reading stops before the first it refuses.
     * @param progress     given the position reached after each batch of entries read.
     * @return the position after the last entry the listener took.
     * @throws DamagedLogException if the recording cannot be read before the end position.
     */
    public long read(
        final long fromPosition, final long toPosition, final LogEntryListener listener, final LongConsumer progress)
    {
        if (fromPosition < startPosition)
        {
            throw new IllegalArgumentException("position " + fromPosition + " is before the oldest position still " +
                "recorded, " + startPosition + ": the log before it was purged");
        }
        final long to = Math.min(toPosition, endPosition);
        if (to <= fromPosition)
        {
            return fromPosition;
        }

        final LogEntryReader reader = new LogEntryReader(listener, fromPosition, to);
        final long replaySessionId = archive.startReplay(
            recordingId, fromPosition, to - fromPosition, REPLAY_CHANNEL, REPLAY_STREAM_ID);
        long position = fromPosition;
        try (Subscription subscription = aeron.addSubscription(
            ChannelUri.addSessionId(REPLAY_CHANNEL, (int)replaySessionId), REPLAY_STREAM_ID))
        {
            final Image image = awaitImage(subscription, (int)replaySessionId);
            final ImageControlledFragmentAssembler assembler = new ImageControlledFragmentAssembler(reader);
            while ((position = image.position()) < to)
            {
                final int fragments = image.controlledPoll(assembler, FRAGMENT_LIMIT);
                if (reader.isStopped())
                {
                    reader.rethrowFailure();
                    break;
                }
                if (image.position() > position)
                {
                    progress.accept(image.position());
                }
                else if (0 == fragments)
                {
                    checkReplay(image, to);
                }
                idleStrategy.idle(fragments);
            }

            return image.position();
        }
        catch (final ArchiveException ex)
        {
            // The archive checks each frame's CRC as it reads a batch of frames, and fails the whole batch: read again
            // up to the frame it names, so that every entry before the damage is read, then say where it is.
            final long damagedPosition = damagedPosition(ex.getMessage());
            if (damagedPosition > reader.position() && damagedPosition < to)
            {
                read(reader.position(), damagedPosition, listener, progress);
            }
            throw new DamagedLogException(
                Math.max(reader.position(), damagedPosition), ex.getMessage());
        }
        finally
        {
            stopReplayQuietly(replaySessionId);
        }
    }

    /**
     * Replay one of the service's snapshots and hand it to a loader, positioned where the service's own records
     * start, past Aeron's marker and client sessions, as the service container hands it to the service at start.
     *
     * @param snapshot one of {@link #snapshots()}.
     * @param loader   reads the service's records from the image.
     */
    public void readSnapshot(final RecordingLog.Entry snapshot, final Consumer<Image> loader)
    {
        final long replaySessionId = archive.startReplay(
            snapshot.recordingId, 0, AeronArchive.NULL_LENGTH, REPLAY_CHANNEL, SNAPSHOT_STREAM_ID);
        try (Subscription subscription = aeron.addSubscription(
            ChannelUri.addSessionId(REPLAY_CHANNEL, (int)replaySessionId), SNAPSHOT_STREAM_ID))
        {
            final Image image = awaitImage(subscription, (int)replaySessionId);
            final SnapshotHeaderSkipper skipper = new SnapshotHeaderSkipper();
            final ImageControlledFragmentAssembler assembler = new ImageControlledFragmentAssembler(skipper);
            while (!skipper.isDone)
            {
                final int fragments = image.controlledPoll(assembler, 1);
                if (0 == fragments)
                {
                    checkReplay(image, Long.MAX_VALUE);
                }
                idleStrategy.idle(fragments);
            }
            loader.accept(image);
        }
        finally
        {
            stopReplayQuietly(replaySessionId);
        }
    }

    /**
     * Stop the archive and media driver of this process, then release the member's lock.
     */
    public void close()
    {
        CloseHelper.closeAll(archive, aeron, driver, lock);
    }

    /**
     * @return the position of the frame a replay error names ("at position=N"), -1 if it names none.
     */
    static long damagedPosition(final String message)
    {
        final Matcher matcher = DAMAGED_POSITION.matcher(null == message ? "" : message);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private void checkReplay(final Image image, final long to)
    {
        archive.checkForErrorResponse();
        if (image.isClosed() || image.isEndOfStream())
        {
            throw new DamagedLogException(image.position(), Long.MAX_VALUE == to ?
                "the snapshot's recording ends before its end marker" :
                "the recording ends here, before position " + to + " where it says it ends");
        }
    }

    private Image awaitImage(final Subscription subscription, final int sessionId)
    {
        final long deadlineNs = System.nanoTime() + IMAGE_TIMEOUT_NS;
        Image image;
        while (null == (image = subscription.imageBySessionId(sessionId)))
        {
            archive.checkForErrorResponse();
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the archive did not start the replay of " + nodeDir + " in " +
                    TimeUnit.NANOSECONDS.toSeconds(IMAGE_TIMEOUT_NS) + " s");
            }
            idleStrategy.idle();
        }

        return image;
    }

    private void stopReplayQuietly(final long replaySessionId)
    {
        try
        {
            archive.stopReplay(replaySessionId);
        }
        catch (final ArchiveException ignore)
        {
            // The replay ended by itself: nothing to stop.
        }
    }

    private static MediaDriver.Context driverContext(final String aeronDirectoryName)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
    }

    private static Archive.Context archiveContext(final String aeronDirectoryName, final File archiveDir)
    {
        return new Archive.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .archiveDir(archiveDir)
            .markFileDir(new File(aeronDirectoryName, "mark"))
            .controlChannelEnabled(false)
            .localControlChannel(CONTROL_CHANNEL)
            .replicationChannel("aeron:udp?endpoint=localhost:0")
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel(CONTROL_CHANNEL))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(BackoffIdleStrategy::new)
            .deleteArchiveOnStart(false)
            .recordChecksum(new RecordChecksum())
            .replayChecksum(new RecordChecksum());
    }

    /**
     * Reads past what the service container writes before the service's own records: Aeron's begin marker, the
     * client sessions and its end marker.
     */
    private static final class SnapshotHeaderSkipper implements ControlledFragmentHandler
    {
        private final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder();
        private final SnapshotMarkerDecoder marker = new SnapshotMarkerDecoder();
        private boolean isDone;

        public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            messageHeader.wrap(buffer, offset);
            if (MessageHeaderDecoder.SCHEMA_ID == messageHeader.schemaId() &&
                SnapshotMarkerDecoder.TEMPLATE_ID == messageHeader.templateId())
            {
                marker.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
                    messageHeader.blockLength(), messageHeader.version());
                if (SnapshotMark.END == marker.mark())
                {
                    isDone = true;
                    return Action.BREAK;
                }
            }

            return Action.CONTINUE;
        }
    }
}
