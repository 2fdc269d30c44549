package io.metastore.client;

import io.metastore.codecs.DeleteRangeRequestEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.RangeRequestEncoder;
import io.metastore.protocol.Protocol;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes requests with SBE flyweights straight into a buffer, the client's request ring. One per thread.
 */
final class RequestEncoder
{
    private static final int PUT_FIXED_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + PutRequestEncoder.BLOCK_LENGTH + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int RANGE_FIXED_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.BLOCK_LENGTH + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int DELETE_RANGE_FIXED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH +
        DeleteRangeRequestEncoder.BLOCK_LENGTH + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PutRequestEncoder putEncoder = new PutRequestEncoder();
    private final RangeRequestEncoder rangeEncoder = new RangeRequestEncoder();
    private final DeleteRangeRequestEncoder deleteRangeEncoder = new DeleteRangeRequestEncoder();

    static int putLength(final byte[] key, final byte[] value)
    {
        return PUT_FIXED_LENGTH + key.length + value.length;
    }

    static int rangeLength(final byte[] key, final byte[] rangeEnd)
    {
        return RANGE_FIXED_LENGTH + key.length + rangeEnd.length;
    }

    static int deleteRangeLength(final byte[] key, final byte[] rangeEnd)
    {
        return DELETE_RANGE_FIXED_LENGTH + key.length + rangeEnd.length;
    }

    void encodePut(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] value,
        final PutOptions options)
    {
        putEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        putEncoder.lease(options.lease());
        putEncoder.flags().clear()
            .prevKv(options.prevKv())
            .ignoreValue(options.ignoreValue())
            .ignoreLease(options.ignoreLease());
        putEncoder.putKey(key, 0, key.length).putValue(value, 0, value.length);
    }

    void encodeRange(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] rangeEnd,
        final RangeOptions options)
    {
        rangeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        rangeEncoder
            .keyLimit(options.limit())
            .revision(options.revision())
            .sortOrder(options.sortOrder());
        rangeEncoder.flags().clear().keysOnly(options.keysOnly()).countOnly(options.countOnly());
        rangeEncoder.putKey(key, 0, key.length).putRangeEnd(rangeEnd, 0, rangeEnd.length);
    }

    void encodeDeleteRange(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] rangeEnd,
        final DeleteOptions options)
    {
        deleteRangeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        deleteRangeEncoder.flags().clear().prevKv(options.prevKv());
        deleteRangeEncoder.putKey(key, 0, key.length).putRangeEnd(rangeEnd, 0, rangeEnd.length);
    }
}
