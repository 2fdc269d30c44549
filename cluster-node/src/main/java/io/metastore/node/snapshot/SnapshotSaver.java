package io.metastore.node.snapshot;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.ResponseHeaderEncoder;
import io.metastore.codecs.SnapshotSaveEndEncoder;
import io.metastore.codecs.SnapshotSaveResponseEncoder;
import io.metastore.node.reader.SnapshotRequests;
import io.metastore.node.storage.CommittedView;
import io.metastore.node.storage.RocksDbStorage;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The member's snapshots as its read port serves them: a save streams the committed state, from a RocksDB snapshot
 * of it, to a client on a thread and a publication of its own (never the service's thread, nor the read port's, which
 * serves watches), one save at a time; a snapshot on request is the {@link SnapshotScheduler}'s to take.
 * <p>
 * A save sends a {@code SnapshotSaveResponse} (the revision and log position of the state), the snapshot records a
 * cluster snapshot holds ({@link SnapshotWriter}), then a {@code SnapshotSaveEnd} counting them; a failure part way
 * sends an {@code ErrorResponse} instead of the end, if it still can.
 */
public final class SnapshotSaver implements SnapshotRequests, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSaver.class);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final Aeron aeron;
    private final RocksDbStorage storage;
    private final SnapshotScheduler scheduler;
    private final int chunkBytes;
    private final Supplier<IdleStrategy> idleStrategies;
    private final NanoClock nanoClock;
    private final ErrorHandler errorHandler;
    private final int clusterId;
    private final int memberId;
    private final LongSupplier leadershipTermId;
    private final AtomicBoolean isSaving = new AtomicBoolean();
    private volatile boolean isClosed;
    private volatile Thread saveThread;
    private volatile CommittedView saveView;

    /**
     * @param aeron            client of the member's driver, to add a save's publication with.
     * @param storage          whose committed state is saved.
     * @param scheduler        that takes snapshots on request.
     * @param chunkBytes       target size of a snapshot's chunk of leases.
     * @param idleStrategies   to wait with for a save's publication.
     * @param nanoClock        for a save's timeouts.
     * @param errorHandler     for errors of a save thread.
     * @param clusterId        for the answers' headers.
     * @param memberId         for the answers' headers.
     * @param leadershipTermId for the answers' headers.
     */
    public SnapshotSaver(
        final Aeron aeron,
        final RocksDbStorage storage,
        final SnapshotScheduler scheduler,
        final int chunkBytes,
        final Supplier<IdleStrategy> idleStrategies,
        final NanoClock nanoClock,
        final ErrorHandler errorHandler,
        final int clusterId,
        final int memberId,
        final LongSupplier leadershipTermId)
    {
        this.aeron = aeron;
        this.storage = storage;
        this.scheduler = scheduler;
        this.chunkBytes = chunkBytes;
        this.idleStrategies = idleStrategies;
        this.nanoClock = nanoClock;
        this.errorHandler = errorHandler;
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.leadershipTermId = leadershipTermId;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String save(final String channel, final int streamId, final long correlationId)
    {
        if (isClosed)
        {
            return "member " + memberId + " is stopping";
        }
        if (!isSaving.compareAndSet(false, true))
        {
            return "a snapshot save is in progress on member " + memberId + ": one at a time";
        }
        final Thread thread = new Thread(() -> run(channel, streamId, correlationId), "metastore-snapshot-save");
        thread.setDaemon(true);
        saveThread = thread;
        thread.start();
        return null;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long requestTake()
    {
        return scheduler.requestTake();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean isTakeAnswered(final long ticket)
    {
        return scheduler.isTakeAnswered(ticket);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String takeError()
    {
        return scheduler.takeError();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long takePosition()
    {
        return scheduler.takePosition();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long takeCount()
    {
        return scheduler.takeCount();
    }

    /**
     * Stop a save in progress, and wait for its thread: the store it reads is closed next. Call after the read port
     * has stopped, so no save starts after.
     */
    @Override
    public void close()
    {
        isClosed = true;
        final CommittedView view = saveView;
        if (null != view)
        {
            view.abort();
        }
        final Thread thread = saveThread;
        if (null != thread)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * @return true while a save runs.
     */
    public boolean isSaving()
    {
        return isSaving.get();
    }

    private void run(final String channel, final int streamId, final long correlationId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final IdleStrategy idleStrategy = idleStrategies.get();
        final long startNs = nanoClock.nanoTime();
        ExclusivePublication publication = null;
        CommittedView view = null;
        try
        {
            view = storage.openCommittedView();
            saveView = view;
            if (isClosed)
            {
                view.abort();
            }
            publication = aeron.addExclusivePublication(channel, streamId);
            final PublicationSink sink = new PublicationSink(
                publication, idleStrategy, nanoClock, STALL_TIMEOUT_NS, view::isAborted);
            awaitConnected(publication, idleStrategy);

            final SnapshotSaveResponseEncoder begin = new SnapshotSaveResponseEncoder();
            begin.wrapAndApplyHeader(buffer, 0, headerEncoder);
            header(begin.header(), correlationId, view.appliedRevision());
            begin.logPosition(view.appliedPosition()).compactRevision(view.committedCompactedRevision());
            sink.write(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + begin.encodedLength());
            final long recordsBefore = sink.records();
            final long bytesBefore = sink.bytes();

            final long keys = new SnapshotWriter(chunkBytes, idleStrategy).write(sink, view);

            final SnapshotSaveEndEncoder end = new SnapshotSaveEndEncoder();
            end.wrapAndApplyHeader(buffer, 0, headerEncoder);
            header(end.header(), correlationId, view.appliedRevision());
            end.records(sink.records() - recordsBefore).bytes(sink.bytes() - bytesBefore);
            sink.write(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + end.encodedLength());
            LOG.info("snapshot saved to a client: revision {}, log position {}, {} keys, {} bytes in {} ms",
                view.appliedRevision(), view.appliedPosition(), keys, sink.bytes() - bytesBefore,
                TimeUnit.NANOSECONDS.toMillis(nanoClock.nanoTime() - startNs));
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("snapshot save to a client failed: {}", ex.getMessage());
            if (null != publication && publication.isConnected())
            {
                final ErrorResponseEncoder error = new ErrorResponseEncoder();
                error.wrapAndApplyHeader(buffer, 0, headerEncoder);
                header(error.header(), correlationId, null == view ? 0 : view.appliedRevision());
                final String message = String.valueOf(ex.getMessage());
                error.code(ErrorCode.INTERNAL).compactRevision(0)
                    .message(message.length() > 512 ? message.substring(0, 512) : message);
                publication.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength());
            }
        }
        catch (final Error ex)
        {
            errorHandler.onError(ex);
        }
        finally
        {
            // A publication closed drains: its subscriber still reads what was offered before.
            saveView = null;
            CloseHelper.quietCloseAll(publication, view);
            isSaving.set(false);
        }
    }

    private void awaitConnected(final ExclusivePublication publication, final IdleStrategy idleStrategy)
    {
        final long deadlineNs = nanoClock.nanoTime() + CONNECT_TIMEOUT_NS;
        idleStrategy.reset();
        while (!publication.isConnected())
        {
            if (nanoClock.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the client's channel did not connect within " +
                    TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NS) + " s");
            }
            idleStrategy.idle();
        }
    }

    private void header(final ResponseHeaderEncoder header, final long correlationId, final long revision)
    {
        header.correlationId(correlationId).clusterId(clusterId).memberId(memberId).revision(revision)
            .leadershipTermId(leadershipTermId.getAsLong());
    }
}
