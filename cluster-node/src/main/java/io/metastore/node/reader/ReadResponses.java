package io.metastore.node.reader;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.HashKvResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.ReadConnectResponseEncoder;
import io.metastore.codecs.ReadKeepAliveResponseEncoder;
import io.metastore.codecs.ResponseHeaderEncoder;
import io.metastore.codecs.SnapshotTakeResponseEncoder;
import io.metastore.codecs.WatchCancelResponseEncoder;
import io.metastore.codecs.WatchCanceledEncoder;
import io.metastore.codecs.WatchCreateResponseEncoder;
import io.metastore.codecs.WatchProgressEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * Encodes and offers the read port's answers to requests, and its notices other than events. An answer is offered
 * again while the publication rotates its term or is back pressured, a bounded number of times; one that still cannot
 * go is dropped: the client sends its request again, or its session falls silent and reconnects.
 */
final class ReadResponses
{
    private static final int OFFER_ATTEMPTS = 1000;
    private static final int MAX_MESSAGE_CHARS = 512;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReadConnectResponseEncoder connectEncoder = new ReadConnectResponseEncoder();
    private final ReadKeepAliveResponseEncoder keepAliveEncoder = new ReadKeepAliveResponseEncoder();
    private final WatchCreateResponseEncoder createEncoder = new WatchCreateResponseEncoder();
    private final WatchCancelResponseEncoder cancelEncoder = new WatchCancelResponseEncoder();
    private final WatchCanceledEncoder canceledEncoder = new WatchCanceledEncoder();
    private final WatchProgressEncoder progressEncoder = new WatchProgressEncoder();
    private final ErrorResponseEncoder errorEncoder = new ErrorResponseEncoder();
    private final HashKvResponseEncoder hashKvEncoder = new HashKvResponseEncoder();
    private final SnapshotTakeResponseEncoder takeEncoder = new SnapshotTakeResponseEncoder();
    private final int clusterId;
    private final int memberId;
    private final LongSupplier leadershipTermId;

    ReadResponses(final int clusterId, final int memberId, final LongSupplier leadershipTermId)
    {
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.leadershipTermId = leadershipTermId;
    }

    /**
     * @return the member's leadership term, for the headers of answers encoded elsewhere.
     */
    long leadershipTermId()
    {
        return leadershipTermId.getAsLong();
    }

    boolean readConnected(
        final ExclusivePublication publication, final long correlationId, final long revision, final long compacted)
    {
        connectEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(connectEncoder.header(), correlationId, revision);
        connectEncoder.compactRevision(compacted);
        return offer(publication, connectEncoder.encodedLength());
    }

    boolean keepAlive(final ExclusivePublication publication, final long correlationId, final long revision)
    {
        keepAliveEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(keepAliveEncoder.header(), correlationId, revision);
        return offer(publication, keepAliveEncoder.encodedLength());
    }

    boolean watchCreated(
        final ExclusivePublication publication,
        final long correlationId,
        final long watchId,
        final long startRevision,
        final long revision)
    {
        createEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(createEncoder.header(), correlationId, revision);
        createEncoder.watchId(watchId).startRevision(startRevision);
        return offer(publication, createEncoder.encodedLength());
    }

    boolean watchCancelResponse(
        final ExclusivePublication publication, final long correlationId, final long watchId, final long revision)
    {
        cancelEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(cancelEncoder.header(), correlationId, revision);
        cancelEncoder.watchId(watchId);
        return offer(publication, cancelEncoder.encodedLength());
    }

    boolean watchCanceled(
        final ExclusivePublication publication,
        final long watchId,
        final ErrorCode code,
        final long compacted,
        final long revision,
        final String message)
    {
        canceledEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(canceledEncoder.header(), 0, revision);
        canceledEncoder.watchId(watchId).code(code).compactRevision(compacted).message(truncate(message));
        return offer(publication, canceledEncoder.encodedLength());
    }

    boolean watchProgress(
        final ExclusivePublication publication, final long correlationId, final long watchId, final long revision)
    {
        progressEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(progressEncoder.header(), correlationId, revision);
        progressEncoder.watchId(watchId);
        return offer(publication, progressEncoder.encodedLength());
    }

    boolean hashKv(
        final ExclusivePublication publication,
        final long correlationId,
        final long hash,
        final long hashRevision,
        final long compacted,
        final long revision)
    {
        hashKvEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(hashKvEncoder.header(), correlationId, revision);
        hashKvEncoder.hash(hash).hashRevision(hashRevision).compactRevision(compacted);
        return offer(publication, hashKvEncoder.encodedLength());
    }

    boolean error(
        final ExclusivePublication publication,
        final long correlationId,
        final ErrorCode code,
        final long compacted,
        final long revision,
        final String message)
    {
        errorEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(errorEncoder.header(), correlationId, revision);
        errorEncoder.code(code).compactRevision(compacted).message(truncate(message));
        return offer(publication, errorEncoder.encodedLength());
    }

    boolean snapshotTaken(
        final ExclusivePublication publication,
        final long correlationId,
        final long logPosition,
        final long snapshots,
        final long revision)
    {
        takeEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        header(takeEncoder.header(), correlationId, revision);
        takeEncoder.logPosition(logPosition).snapshots(snapshots);
        return offer(publication, takeEncoder.encodedLength());
    }

    private void header(final ResponseHeaderEncoder header, final long correlationId, final long revision)
    {
        header.correlationId(correlationId).clusterId(clusterId).memberId(memberId).revision(revision)
            .leadershipTermId(leadershipTermId.getAsLong());
    }

    private boolean offer(final ExclusivePublication publication, final int encodedLength)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
        for (int i = 0; i < OFFER_ATTEMPTS; i++)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return true;
            }
            if (Publication.ADMIN_ACTION != result && Publication.BACK_PRESSURED != result)
            {
                return false;
            }
            Thread.onSpinWait();
        }

        return false;
    }

    private static String truncate(final String message)
    {
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
    }
}
