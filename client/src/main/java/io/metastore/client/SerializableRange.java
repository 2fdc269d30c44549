package io.metastore.client;

import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.SortOrder;
import org.agrona.MutableDirectBuffer;

/**
 * A serializable read waiting for its response: the request's {@link PendingRequest}, which also keeps what the read
 * asks, so the I/O thread can encode it again for the next member when the read session moves, or when it could not
 * be sent with the bytes it came in (see {@link SerializableReads}). Still one object per request.
 * <p>
 * It keeps the caller's key and range end, not copies, and reads them again only if it is encoded again.
 */
final class SerializableRange extends ReadPortRequest
{
    final byte[] key;
    final byte[] rangeEnd;
    final long limit;
    final SortOrder sortOrder;
    final boolean keysOnly;
    final boolean countOnly;

    /**
     * @param conductor      whose thread must not wait for the request.
     * @param awaitTimeoutNs most a blocking form waits.
     * @param correlationId  the request carries, and its response.
     * @param deadlineNs     by when the request fails, in the time of the client's clock.
     * @param key            the range starts at.
     * @param rangeEnd       of the range in etcd's encoding.
     * @param options        of the range, read here; a later change to them changes nothing.
     */
    SerializableRange(
        final ClientConductor conductor,
        final long awaitTimeoutNs,
        final long correlationId,
        final long deadlineNs,
        final byte[] key,
        final byte[] rangeEnd,
        final RangeOptions options)
    {
        super(conductor, awaitTimeoutNs, correlationId, RangeResponseDecoder.TEMPLATE_ID, deadlineNs);
        this.key = key;
        this.rangeEnd = rangeEnd;
        this.limit = options.limit();
        this.sortOrder = options.sortOrder();
        this.keysOnly = options.keysOnly();
        this.countOnly = options.countOnly();
    }

    @Override
    int length()
    {
        return RequestEncoder.rangeLength(key, rangeEnd);
    }

    @Override
    void encode(
        final RequestEncoder encoder,
        final MutableDirectBuffer buffer,
        final int offset,
        final long clientId,
        final long minRevision)
    {
        encoder.encodeRange(buffer, offset, correlationId, clientId, key, rangeEnd, limit, 0, sortOrder, keysOnly,
            countOnly, minRevision);
    }
}
