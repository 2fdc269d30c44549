package io.metastore.client;

import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.ReadConnectRequestEncoder;
import io.metastore.codecs.ReadKeepAliveRequestEncoder;
import io.metastore.codecs.WatchCancelRequestEncoder;
import io.metastore.codecs.WatchCreateRequestEncoder;
import io.metastore.codecs.WatchProgressRequestEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the requests of a read session with SBE flyweights, allocated once; on the client's I/O thread. Each
 * method returns the length encoded, header included. A request's sequence is its correlation id, as on ingress.
 */
final class ReadRequestEncoder
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReadConnectRequestEncoder connectEncoder = new ReadConnectRequestEncoder();
    private final ReadKeepAliveRequestEncoder keepAliveEncoder = new ReadKeepAliveRequestEncoder();
    private final WatchCreateRequestEncoder watchCreateEncoder = new WatchCreateRequestEncoder();
    private final WatchCancelRequestEncoder watchCancelEncoder = new WatchCancelRequestEncoder();
    private final WatchProgressRequestEncoder watchProgressEncoder = new WatchProgressRequestEncoder();

    int encodeReadConnect(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final int responseStreamId,
        final String responseChannel)
    {
        connectEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        connectEncoder.responseStreamId(responseStreamId).responseChannel(responseChannel);

        return MessageHeaderEncoder.ENCODED_LENGTH + connectEncoder.encodedLength();
    }

    int encodeReadKeepAlive(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final long clientId)
    {
        keepAliveEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);

        return MessageHeaderEncoder.ENCODED_LENGTH + keepAliveEncoder.encodedLength();
    }

    int encodeWatchCreate(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final long watchId,
        final long startRevision,
        final WatchSpec spec)
    {
        watchCreateEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        watchCreateEncoder.watchId(watchId).startRevision(startRevision);
        watchCreateEncoder.flags().clear()
            .prevKv(spec.prevKv())
            .noPut(spec.noPut())
            .noDelete(spec.noDelete())
            .progressNotify(spec.progressNotify());
        final byte[] key = spec.key();
        final byte[] rangeEnd = spec.rangeEnd();
        watchCreateEncoder.putKey(key, 0, key.length).putRangeEnd(rangeEnd, 0, rangeEnd.length);

        return MessageHeaderEncoder.ENCODED_LENGTH + watchCreateEncoder.encodedLength();
    }

    int encodeWatchCancel(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final long watchId)
    {
        watchCancelEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        watchCancelEncoder.watchId(watchId);

        return MessageHeaderEncoder.ENCODED_LENGTH + watchCancelEncoder.encodedLength();
    }

    int encodeWatchProgress(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final long clientId)
    {
        watchProgressEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);

        return MessageHeaderEncoder.ENCODED_LENGTH + watchProgressEncoder.encodedLength();
    }
}
