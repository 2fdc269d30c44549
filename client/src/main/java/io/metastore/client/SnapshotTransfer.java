package io.metastore.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.ReadConnectResponseDecoder;
import io.metastore.codecs.SnapshotSaveEndDecoder;
import io.metastore.codecs.SnapshotSaveRequestEncoder;
import io.metastore.codecs.SnapshotSaveResponseDecoder;
import io.metastore.codecs.SnapshotTakeRequestEncoder;
import io.metastore.codecs.SnapshotTakeResponseDecoder;
import io.metastore.protocol.Protocol;
import io.metastore.protocol.SnapshotFile;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * One snapshot request to one member's read port, on the caller's thread: a read session of its own (its own client
 * id and response stream, so the client's watches and reads never see a snapshot's records), a
 * {@code SnapshotSaveRequest} whose records are written to a file as they come, or a {@code SnapshotTakeRequest}.
 */
final class SnapshotTransfer implements AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final int FIRST_SNAPSHOT_TEMPLATE_ID = 250;
    private static final int LAST_SNAPSHOT_TEMPLATE_ID = 299;
    private static final long KEEP_ALIVE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private final NanoClock nanoClock;
    private final IdleStrategy idleStrategy;
    private final long silenceTimeoutNs;
    private final int memberId;
    private final long clientId = new SecureRandom().nextLong() & Long.MAX_VALUE | 1;
    private final int responseStreamId = (int)(clientId >>> 35) | 0x2000_0000;
    private final ReadRequestEncoder encoder = new ReadRequestEncoder();
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final Subscription subscription;
    private final ExclusivePublication publication;
    private long nextCorrelationId = 1;
    private long requestCorrelationId;
    private boolean isConnected;
    private boolean isDone;
    private long lastMessageNs;
    private RuntimeException failure;
    private SnapshotFile.Writer writer;
    private long revision;
    private long logPosition;
    private long compactRevision;
    private long records;
    private long bytes;
    private SnapshotTakeResult taken;

    SnapshotTransfer(
        final Aeron aeron,
        final String readPortChannel,
        final String responseChannel,
        final int memberId,
        final long silenceTimeoutNs,
        final NanoClock nanoClock,
        final IdleStrategy idleStrategy)
    {
        this.memberId = memberId;
        this.silenceTimeoutNs = silenceTimeoutNs;
        this.nanoClock = nanoClock;
        this.idleStrategy = idleStrategy;
        Subscription subscription = null;
        try
        {
            subscription = aeron.addSubscription(responseChannel, responseStreamId);
            this.subscription = subscription;
            this.publication = aeron.addExclusivePublication(readPortChannel, Protocol.READ_STREAM_ID);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(subscription);
            throw ex;
        }
    }

    /**
     * Stream the member's committed state into a new file.
     */
    SnapshotFile.Header save(final Path file)
    {
        try
        {
            writer = new SnapshotFile.Writer(file);
        }
        catch (final IOException ex)
        {
            throw new MetaStoreException(ErrorCode.INVALID_ARGUMENT, "cannot create " + file + ": " + ex);
        }
        try
        {
            connect();
            requestCorrelationId = nextCorrelationId++;
            final SnapshotSaveRequestEncoder request = new SnapshotSaveRequestEncoder();
            request.wrapAndApplyHeader(buffer, 0, headerEncoder).header()
                .correlationId(requestCorrelationId).clientId(clientId).sequence(requestCorrelationId);
            send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
            awaitDone("the snapshot from member " + memberId);
            return writer.complete(memberId, revision, logPosition, compactRevision);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
        finally
        {
            try
            {
                writer.close();
            }
            catch (final IOException ex)
            {
                if (null == failure)
                {
                    throw new UncheckedIOException("cannot close " + file, ex);
                }
            }
        }
    }

    /**
     * Ask the member, the leader, for a cluster snapshot and wait until it is taken.
     */
    SnapshotTakeResult take()
    {
        connect();
        requestCorrelationId = nextCorrelationId++;
        final SnapshotTakeRequestEncoder request = new SnapshotTakeRequestEncoder();
        request.wrapAndApplyHeader(buffer, 0, headerEncoder).header()
            .correlationId(requestCorrelationId).clientId(clientId).sequence(requestCorrelationId);
        send(MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength());
        awaitDone("a snapshot from member " + memberId);
        return taken;
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(publication, subscription);
    }

    private void connect()
    {
        final long deadlineNs = nanoClock.nanoTime() + silenceTimeoutNs;
        String resolvedChannel = null;
        long nextConnectNs = 0;
        idleStrategy.reset();
        while (!isConnected)
        {
            final long nowNs = nanoClock.nanoTime();
            if (nowNs - deadlineNs > 0)
            {
                throw new MetaStoreTimeoutException("member " + memberId + "'s read port did not answer within " +
                    TimeUnit.NANOSECONDS.toMillis(silenceTimeoutNs) + " ms" +
                    (publication.isConnected() ? "" : " (not connected)"));
            }
            if (null == resolvedChannel)
            {
                resolvedChannel = subscription.tryResolveChannelEndpointPort();
            }
            if (null != resolvedChannel && publication.isConnected() && nowNs - nextConnectNs >= 0)
            {
                nextConnectNs = nowNs + KEEP_ALIVE_INTERVAL_NS;
                final long correlationId = nextCorrelationId++;
                publication.offer(buffer, 0, encoder.encodeReadConnect(
                    buffer, 0, correlationId, clientId, responseStreamId, resolvedChannel));
            }
            idleStrategy.idle(subscription.poll(assembler, FRAGMENT_LIMIT));
        }
    }

    private void send(final int length)
    {
        final long deadlineNs = nanoClock.nanoTime() + silenceTimeoutNs;
        idleStrategy.reset();
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result ||
                nanoClock.nanoTime() - deadlineNs > 0)
            {
                throw new MetaStoreTimeoutException("cannot send to member " + memberId + "'s read port: " +
                    Publication.errorString(result));
            }
            idleStrategy.idle();
        }
    }

    private void awaitDone(final String what)
    {
        lastMessageNs = nanoClock.nanoTime();
        long nextKeepAliveNs = lastMessageNs + KEEP_ALIVE_INTERVAL_NS;
        idleStrategy.reset();
        while (!isDone)
        {
            final int fragments = subscription.poll(assembler, FRAGMENT_LIMIT);
            if (null != failure)
            {
                throw failure;
            }
            final long nowNs = nanoClock.nanoTime();
            if (nowNs - nextKeepAliveNs >= 0)
            {
                // The session stays open while the member works: a snapshot on request takes a while.
                nextKeepAliveNs = nowNs + KEEP_ALIVE_INTERVAL_NS;
                publication.offer(buffer, 0, encoder.encodeReadKeepAlive(buffer, 0, nextCorrelationId++, clientId));
            }
            if (nowNs - lastMessageNs > silenceTimeoutNs)
            {
                throw new MetaStoreTimeoutException("no answer with " + what + " for " +
                    TimeUnit.NANOSECONDS.toMillis(silenceTimeoutNs) + " ms: the member stopped or is gone");
            }
            idleStrategy.idle(fragments);
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (isDone || null != failure || length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        lastMessageNs = nanoClock.nanoTime();
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        if (templateId >= FIRST_SNAPSHOT_TEMPLATE_ID && templateId <= LAST_SNAPSHOT_TEMPLATE_ID)
        {
            onRecord(buffer, offset, length);
            return;
        }
        switch (templateId)
        {
            case ReadConnectResponseDecoder.TEMPLATE_ID:
                isConnected = true;
                break;

            case ErrorResponseDecoder.TEMPLATE_ID:
            {
                final ErrorResponseDecoder error = new ErrorResponseDecoder().wrap(buffer, bodyOffset, blockLength,
                    version);
                if (error.header().correlationId() == requestCorrelationId)
                {
                    failure = new MetaStoreException(error.code(), "member " + memberId + ": " + error.message());
                }
                break;
            }

            case SnapshotSaveResponseDecoder.TEMPLATE_ID:
            {
                final SnapshotSaveResponseDecoder begin = new SnapshotSaveResponseDecoder().wrap(
                    buffer, bodyOffset, blockLength, version);
                revision = begin.header().revision();
                logPosition = begin.logPosition();
                compactRevision = begin.compactRevision();
                break;
            }

            case SnapshotSaveEndDecoder.TEMPLATE_ID:
            {
                final SnapshotSaveEndDecoder end = new SnapshotSaveEndDecoder().wrap(
                    buffer, bodyOffset, blockLength, version);
                if (end.records() != records || end.bytes() != bytes)
                {
                    failure = new MetaStoreException(ErrorCode.INTERNAL, "member " + memberId + " sent " +
                        end.records() + " records (" + end.bytes() + " bytes), " + records + " (" + bytes +
                        " bytes) arrived");
                }
                isDone = true;
                break;
            }

            case SnapshotTakeResponseDecoder.TEMPLATE_ID:
            {
                final SnapshotTakeResponseDecoder response = new SnapshotTakeResponseDecoder().wrap(
                    buffer, bodyOffset, blockLength, version);
                if (response.header().correlationId() == requestCorrelationId)
                {
                    taken = new SnapshotTakeResult(memberId, response.logPosition(), response.snapshots());
                    isDone = true;
                }
                break;
            }

            default:
                break;
        }
    }

    private void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == writer)
        {
            return;
        }
        try
        {
            writer.append(buffer, offset, length);
            records++;
            bytes += length;
        }
        catch (final IOException ex)
        {
            failure = new UncheckedIOException("cannot write the snapshot", ex);
        }
    }
}
