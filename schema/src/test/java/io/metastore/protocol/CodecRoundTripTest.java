package io.metastore.protocol;

import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.RangeResponseEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecRoundTripTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    @Test
    void shouldRoundTripPutRequestWithCorrelationIdAtFixedOffset()
    {
        final PutRequestEncoder encoder = new PutRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.header().correlationId(42).clientId(7).sequence(3);
        encoder.lease(0x1234).flags().clear().prevKv(true);
        encoder.putKey(bytes("key"), 0, 3).putValue(bytes("value"), 0, 5);

        assertEquals(42, buffer.getLong(Protocol.CORRELATION_ID_OFFSET));
        headerDecoder.wrap(buffer, 0);
        assertEquals(PutRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        final PutRequestDecoder decoder = new PutRequestDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(7, decoder.header().clientId());
        assertEquals(3, decoder.header().sequence());
        assertEquals(0x1234, decoder.lease());
        assertTrue(decoder.flags().prevKv());
        final byte[] key = new byte[decoder.keyLength()];
        decoder.getKey(key, 0, key.length);
        final byte[] value = new byte[decoder.valueLength()];
        decoder.getValue(value, 0, value.length);
        assertEquals("key", new String(key, StandardCharsets.UTF_8));
        assertEquals("value", new String(value, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRoundTripRangeResponseGroup()
    {
        final RangeResponseEncoder encoder = new RangeResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.header().correlationId(5).clusterId(1).memberId(2).revision(99).leadershipTermId(3);
        encoder.count(10).more(BooleanType.TRUE);
        final RangeResponseEncoder.KvsEncoder kvsEncoder = encoder.kvsCount(2);
        kvsEncoder.next().createRevision(1).modRevision(2).version(3).lease(0)
            .putKey(bytes("a"), 0, 1).putValue(bytes("1"), 0, 1);
        kvsEncoder.next().createRevision(4).modRevision(5).version(1).lease(0)
            .putKey(bytes("b"), 0, 1).putValue(bytes("2"), 0, 1);

        final RangeResponseDecoder decoder = new RangeResponseDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(99, decoder.header().revision());
        assertEquals(10, decoder.count());
        assertEquals(BooleanType.TRUE, decoder.more());
        final RangeResponseDecoder.KvsDecoder kvs = decoder.kvs();
        assertEquals(2, kvs.count());
        assertEquals(1, kvs.next().createRevision());
        final byte[] key = new byte[kvs.keyLength()];
        kvs.getKey(key, 0, key.length);
        assertEquals("a", new String(key, StandardCharsets.UTF_8));
        assertEquals(1, kvs.valueLength());
        kvs.skipValue();
        assertEquals(4, kvs.next().createRevision());
    }

    @Test
    void shouldRoundTripErrorResponse()
    {
        final ErrorResponseEncoder encoder = new ErrorResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.header().correlationId(8);
        encoder.code(ErrorCode.INVALID_RANGE).message("rangeEnd is below key");

        final ErrorResponseDecoder decoder = new ErrorResponseDecoder().wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(8, decoder.header().correlationId());
        assertEquals(ErrorCode.INVALID_RANGE, decoder.code());
        assertEquals("rangeEnd is below key", decoder.message());
    }
}
