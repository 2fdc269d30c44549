package io.metastore.client;

import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.ReadConnectRequestDecoder;
import io.metastore.codecs.ReadKeepAliveRequestDecoder;
import io.metastore.codecs.WatchCancelRequestDecoder;
import io.metastore.codecs.WatchCreateRequestDecoder;
import io.metastore.codecs.WatchProgressRequestDecoder;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests of a read session, decoded with the generated decoders as a member reads them.
 */
class ReadRequestEncoderTest
{
    private static final int OFFSET = 8;
    private static final long CORRELATION_ID = 41;
    private static final long CLIENT_ID = 0x5eed;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final ReadRequestEncoder encoder = new ReadRequestEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    @Test
    void shouldEncodeWatchCreateWithPrefixRangeStartRevisionAndFlags()
    {
        final WatchSpec spec = WatchSpec.of(
            bytes("config/"), new WatchOptions().prefix().startRevision(12).prevKv(true).noDelete(true));
        final int length = encoder.encodeWatchCreate(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 3, 13, spec);

        final WatchCreateRequestDecoder decoder = new WatchCreateRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(WatchCreateRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CORRELATION_ID, decoder.header().correlationId());
        assertEquals(CLIENT_ID, decoder.header().clientId());
        assertEquals(3, decoder.watchId());
        assertEquals(13, decoder.startRevision(), "the start revision asked for, not the option's");
        assertTrue(decoder.flags().prevKv());
        assertFalse(decoder.flags().noPut());
        assertTrue(decoder.flags().noDelete());
        assertFalse(decoder.flags().progressNotify());
        final byte[] key = new byte[decoder.keyLength()];
        decoder.getKey(key, 0, key.length);
        final byte[] rangeEnd = new byte[decoder.rangeEndLength()];
        decoder.getRangeEnd(rangeEnd, 0, rangeEnd.length);
        assertArrayEquals(bytes("config/"), key);
        assertArrayEquals(bytes("config0"), rangeEnd);
        assertEquals(length, MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength());
        assertEquals(CORRELATION_ID, buffer.getLong(OFFSET + Protocol.CORRELATION_ID_OFFSET));
    }

    @Test
    void shouldEncodeWatchOfKeyAloneAndFromKey()
    {
        final WatchSpec single = WatchSpec.of(bytes("k"), new WatchOptions().progressNotify(true).noPut(true));
        encoder.encodeWatchCreate(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 1, 0, single);
        final WatchCreateRequestDecoder decoder = new WatchCreateRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertTrue(decoder.flags().progressNotify());
        assertTrue(decoder.flags().noPut());
        decoder.skipKey();
        assertEquals(0, decoder.rangeEndLength());

        encoder.encodeWatchCreate(
            buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 1, 0, WatchSpec.of(bytes("k"), new WatchOptions().fromKey()));
        decoder.wrapAndApplyHeader(buffer, OFFSET, headerDecoder).skipKey();
        final byte[] rangeEnd = new byte[decoder.rangeEndLength()];
        decoder.getRangeEnd(rangeEnd, 0, rangeEnd.length);
        assertTrue(KeyRanges.isFromKey(rangeEnd));
    }

    @Test
    void shouldCopyKeyAndRangeEndWhenWatchStarts()
    {
        final byte[] key = bytes("k");
        final byte[] rangeEnd = bytes("m");
        final WatchSpec spec = WatchSpec.of(key, new WatchOptions().rangeEnd(rangeEnd));
        key[0] = 'x';
        rangeEnd[0] = 'x';

        assertArrayEquals(bytes("k"), spec.key());
        assertArrayEquals(bytes("m"), spec.rangeEnd());
    }

    @Test
    void shouldEncodeReadConnectWithResponseChannelAndStream()
    {
        final String channel = "aeron:udp?endpoint=127.0.0.1:40123";
        final int length = encoder.encodeReadConnect(
            buffer, OFFSET, CORRELATION_ID, CLIENT_ID, Protocol.READ_RESPONSE_STREAM_ID, channel);

        final ReadConnectRequestDecoder decoder = new ReadConnectRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(CLIENT_ID, decoder.header().clientId());
        assertEquals(Protocol.READ_RESPONSE_STREAM_ID, decoder.responseStreamId());
        assertEquals(channel, decoder.responseChannel());
        assertEquals(length, MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength());
    }

    @Test
    void shouldEncodeKeepAliveCancelAndProgress()
    {
        encoder.encodeReadKeepAlive(buffer, OFFSET, CORRELATION_ID, CLIENT_ID);
        final ReadKeepAliveRequestDecoder keepAlive = new ReadKeepAliveRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(ReadKeepAliveRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CLIENT_ID, keepAlive.header().clientId());

        encoder.encodeWatchCancel(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 9);
        final WatchCancelRequestDecoder cancel = new WatchCancelRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(9, cancel.watchId());

        encoder.encodeWatchProgress(buffer, OFFSET, CORRELATION_ID + 1, CLIENT_ID);
        final WatchProgressRequestDecoder progress = new WatchProgressRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(WatchProgressRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CORRELATION_ID + 1, progress.header().correlationId());
        assertEquals(CORRELATION_ID + 1, progress.header().sequence());
    }
}
