package io.metastore.node.service;

import io.metastore.codecs.DeleteRangeRequestEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.RangeRequestEncoder;
import io.metastore.codecs.SortOrder;
import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds ingress messages of one or more encoded requests, as a client would, for tests.
 */
public final class Requests
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PutRequestEncoder putEncoder = new PutRequestEncoder();
    private final RangeRequestEncoder rangeEncoder = new RangeRequestEncoder();
    private final DeleteRangeRequestEncoder deleteRangeEncoder = new DeleteRangeRequestEncoder();
    private int length;

    public Requests put(final long correlationId, final String key, final String value)
    {
        return put(correlationId, bytes(key), bytes(value), 0, false);
    }

    public Requests put(final long correlationId, final String key, final String value, final long lease)
    {
        return put(correlationId, bytes(key), bytes(value), lease, false);
    }

    public Requests put(
        final long correlationId, final byte[] key, final byte[] value, final long lease, final boolean prevKv)
    {
        putEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        putEncoder.lease(lease).flags().clear().prevKv(prevKv);
        putEncoder.putKey(key, 0, key.length).putValue(value, 0, value.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + putEncoder.encodedLength();
        return this;
    }

    public Requests range(final long correlationId, final String key, final String rangeEnd)
    {
        final byte[] keyBytes = bytes(key);
        final byte[] rangeEndBytes = bytes(rangeEnd);
        rangeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        rangeEncoder.keyLimit(0).revision(0).sortOrder(SortOrder.NONE).flags().clear();
        rangeEncoder.putKey(keyBytes, 0, keyBytes.length).putRangeEnd(rangeEndBytes, 0, rangeEndBytes.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + rangeEncoder.encodedLength();
        return this;
    }

    public Requests delete(final long correlationId, final String key, final String rangeEnd)
    {
        final byte[] keyBytes = bytes(key);
        final byte[] rangeEndBytes = bytes(rangeEnd);
        deleteRangeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        deleteRangeEncoder.flags().clear().prevKv(true);
        deleteRangeEncoder.putKey(keyBytes, 0, keyBytes.length).putRangeEnd(rangeEndBytes, 0, rangeEndBytes.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + deleteRangeEncoder.encodedLength();
        return this;
    }

    /**
     * The message so far, and start a new one.
     */
    public byte[] build()
    {
        final byte[] message = Arrays.copyOf(buffer.byteArray(), length);
        length = 0;
        return message;
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
