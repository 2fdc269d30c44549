package io.metastore.client;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmRequestDecoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.LeaseGrantRequestDecoder;
import io.metastore.codecs.LeaseKeepAliveRequestDecoder;
import io.metastore.codecs.LeaseListRequestDecoder;
import io.metastore.codecs.LeaseRevokeRequestDecoder;
import io.metastore.codecs.LeaseTimeToLiveRequestDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.SortOrder;
import io.metastore.codecs.TxnRequestDecoder;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests encoded by the client, decoded with the generated decoders as the cluster reads them.
 */
class RequestEncoderTest
{
    private static final int OFFSET = 16;
    private static final long CORRELATION_ID = 77;
    private static final long CLIENT_ID = 5;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final RequestEncoder encoder = new RequestEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();

    @Test
    void shouldEncodeLeaseGrantWithTtlAndWantedId()
    {
        encoder.encodeLeaseGrant(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 10, 0x694d71ddacfda227L);

        final LeaseGrantRequestDecoder decoder = new LeaseGrantRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(LeaseGrantRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CORRELATION_ID, decoder.header().correlationId());
        assertEquals(CLIENT_ID, decoder.header().clientId());
        assertEquals(10, decoder.ttl());
        assertEquals(0x694d71ddacfda227L, decoder.id());
        assertEquals(RequestEncoder.LEASE_GRANT_LENGTH, MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength());
        assertEquals(CORRELATION_ID, buffer.getLong(OFFSET + Protocol.CORRELATION_ID_OFFSET));
    }

    @Test
    void shouldEncodeLeaseRevokeKeepAliveAndList()
    {
        encoder.encodeLeaseRevoke(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 42);
        final LeaseRevokeRequestDecoder revoke = new LeaseRevokeRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(LeaseRevokeRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(42, revoke.id());
        assertEquals(RequestEncoder.LEASE_REVOKE_LENGTH, MessageHeaderDecoder.ENCODED_LENGTH + revoke.encodedLength());

        encoder.encodeLeaseKeepAlive(buffer, OFFSET, CORRELATION_ID + 1, CLIENT_ID, 43);
        final LeaseKeepAliveRequestDecoder keepAlive = new LeaseKeepAliveRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(LeaseKeepAliveRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CORRELATION_ID + 1, keepAlive.header().correlationId());
        assertEquals(43, keepAlive.id());
        assertEquals(RequestEncoder.LEASE_KEEP_ALIVE_LENGTH,
            MessageHeaderDecoder.ENCODED_LENGTH + keepAlive.encodedLength());

        encoder.encodeLeaseList(buffer, OFFSET, CORRELATION_ID + 2, CLIENT_ID);
        final LeaseListRequestDecoder list = new LeaseListRequestDecoder().wrapAndApplyHeader(
            buffer, OFFSET, headerDecoder);
        assertEquals(LeaseListRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CORRELATION_ID + 2, list.header().correlationId());
        assertEquals(RequestEncoder.LEASE_LIST_LENGTH, MessageHeaderDecoder.ENCODED_LENGTH + list.encodedLength());
    }

    @Test
    void shouldEncodeAlarmRequest()
    {
        encoder.encodeAlarm(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, AlarmAction.DEACTIVATE, 2, AlarmType.NOSPACE);
        final AlarmRequestDecoder alarm = new AlarmRequestDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);

        assertEquals(AlarmRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CORRELATION_ID, alarm.header().correlationId());
        assertEquals(CLIENT_ID, alarm.header().clientId());
        assertEquals(AlarmAction.DEACTIVATE, alarm.action());
        assertEquals(2, alarm.memberId());
        assertEquals(AlarmType.NOSPACE, alarm.alarm());
        assertEquals(RequestEncoder.ALARM_LENGTH, MessageHeaderDecoder.ENCODED_LENGTH + alarm.encodedLength());
    }

    @Test
    void shouldEncodeLeaseTimeToLiveWithAndWithoutKeysFlag()
    {
        final LeaseTimeToLiveRequestDecoder decoder = new LeaseTimeToLiveRequestDecoder();

        encoder.encodeLeaseTimeToLive(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 99, true);
        decoder.wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(LeaseTimeToLiveRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(99, decoder.id());
        assertTrue(decoder.flags().keys());
        assertEquals(RequestEncoder.LEASE_TIME_TO_LIVE_LENGTH,
            MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength());

        encoder.encodeLeaseTimeToLive(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, 99, false);
        decoder.wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertFalse(decoder.flags().keys());
        assertEquals(0, buffer.getByte(OFFSET + MessageHeaderDecoder.ENCODED_LENGTH +
            LeaseTimeToLiveRequestDecoder.flagsEncodingOffset()));
    }

    @Test
    void shouldEncodeTxnComparesAndBothBranchesAsWholeRequestsWithZeroHeaders()
    {
        final Txn txn = Txn.txn()
            .when(
                Compare.value("k1", CompareResult.EQUAL, "v1"),
                Compare.modRevision("dir/", CompareResult.LESS, 1000).withPrefix(),
                Compare.lease(bytes("k2"), CompareResult.NOT_EQUAL, 0x1234))
            .then(
                Op.put(bytes("k1"), bytes("v2"), new PutOptions().lease(7).prevKv(true)),
                Op.get(bytes("dir/"), new RangeOptions().prefix().limit(5).sortOrder(SortOrder.DESCEND).keysOnly(true)))
            .otherwise(Op.delete(bytes("a"), new DeleteOptions().rangeEnd(bytes("c")).prevKv(true)));

        final int length = encoder.encodeTxn(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, txn);
        assertEquals(RequestEncoder.txnLength(txn), length);

        final TxnRequestDecoder decoder = new TxnRequestDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(TxnRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(CORRELATION_ID, decoder.header().correlationId());
        assertEquals(CLIENT_ID, decoder.header().clientId());

        final TxnRequestDecoder.ComparesDecoder compares = decoder.compares();
        assertEquals(3, compares.count());
        compares.next();
        assertEquals(CompareTarget.VALUE, compares.target());
        assertEquals(CompareResult.EQUAL, compares.result());
        assertEquals("k1", text(compares.keyLength(), compares::getKey));
        assertEquals("", text(compares.rangeEndLength(), compares::getRangeEnd));
        assertEquals("v1", text(compares.valueLength(), compares::getValue));
        compares.next();
        assertEquals(CompareTarget.MOD, compares.target());
        assertEquals(CompareResult.LESS, compares.result());
        assertEquals(1000, compares.targetValue());
        assertEquals("dir/", text(compares.keyLength(), compares::getKey));
        assertEquals("dir0", text(compares.rangeEndLength(), compares::getRangeEnd));
        assertEquals("", text(compares.valueLength(), compares::getValue));
        compares.next();
        assertEquals(CompareTarget.LEASE, compares.target());
        assertEquals(CompareResult.NOT_EQUAL, compares.result());
        assertEquals(0x1234, compares.targetValue());
        assertEquals("k2", text(compares.keyLength(), compares::getKey));
        assertEquals("", text(compares.rangeEndLength(), compares::getRangeEnd));
        assertEquals("", text(compares.valueLength(), compares::getValue));

        final List<DirectBuffer> success = split(bytesOf(decoder.successLength(), decoder::getSuccess));
        final List<DirectBuffer> failure = split(bytesOf(decoder.failureLength(), decoder::getFailure));
        assertEquals(OFFSET + length, decoder.limit());
        assertEquals(2, success.size());
        assertEquals(1, failure.size());

        final PutRequestDecoder put = new PutRequestDecoder().wrapAndApplyHeader(success.get(0), 0, headerDecoder);
        assertZeroHeader(put.header().correlationId(), put.header().clientId(), put.header().sequence());
        assertEquals(7, put.lease());
        assertTrue(put.flags().prevKv());
        assertEquals("k1", text(put.keyLength(), put::getKey));
        assertEquals("v2", text(put.valueLength(), put::getValue));

        final RangeRequestDecoder range =
            new RangeRequestDecoder().wrapAndApplyHeader(success.get(1), 0, headerDecoder);
        assertZeroHeader(range.header().correlationId(), range.header().clientId(), range.header().sequence());
        assertEquals(5, range.keyLimit());
        assertEquals(SortOrder.DESCEND, range.sortOrder());
        assertTrue(range.flags().keysOnly());
        assertEquals("dir/", text(range.keyLength(), range::getKey));
        assertEquals("dir0", text(range.rangeEndLength(), range::getRangeEnd));

        final DeleteRangeRequestDecoder delete = new DeleteRangeRequestDecoder().wrapAndApplyHeader(
            failure.get(0), 0, headerDecoder);
        assertZeroHeader(delete.header().correlationId(), delete.header().clientId(), delete.header().sequence());
        assertTrue(delete.flags().prevKv());
        assertEquals("a", text(delete.keyLength(), delete::getKey));
        assertEquals("c", text(delete.rangeEndLength(), delete::getRangeEnd));
    }

    @Test
    void shouldEncodeNestedTxnInsideBranchAndEmptyBranchesAsZeroLength()
    {
        final Txn inner = Txn.txn()
            .when(Compare.version("x", CompareResult.GREATER, 2))
            .then(Op.delete(bytes("p/"), new DeleteOptions().prefix()))
            .otherwise(Op.put("x", "1"));
        final Txn outer = Txn.txn().then(Op.get("a"), Op.txn(inner), Op.put("b", "2"));

        final int length = encoder.encodeTxn(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, outer);
        assertEquals(RequestEncoder.txnLength(outer), length);

        final TxnRequestDecoder decoder = new TxnRequestDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(3, headerDecoder.version(), "read whole only by a member that reads the range in it");
        assertEquals(0, decoder.compares().count());
        final List<DirectBuffer> success = split(bytesOf(decoder.successLength(), decoder::getSuccess));
        assertEquals(0, decoder.failureLength());
        decoder.skipFailure();
        assertEquals(OFFSET + length, decoder.limit());
        assertEquals(3, success.size());

        final TxnRequestDecoder nested = new TxnRequestDecoder().wrapAndApplyHeader(success.get(1), 0, headerDecoder);
        assertEquals(TxnRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals(0, headerDecoder.version(), "a txn of puts and deletes is read whole by every version");
        assertZeroHeader(nested.header().correlationId(), nested.header().clientId(), nested.header().sequence());
        final TxnRequestDecoder.ComparesDecoder compares = nested.compares();
        assertEquals(1, compares.count());
        compares.next();
        assertEquals(CompareTarget.VERSION, compares.target());
        assertEquals(2, compares.targetValue());
        text(compares.keyLength(), compares::getKey);
        text(compares.rangeEndLength(), compares::getRangeEnd);
        text(compares.valueLength(), compares::getValue);
        final List<DirectBuffer> nestedSuccess = split(bytesOf(nested.successLength(), nested::getSuccess));
        final List<DirectBuffer> nestedFailure = split(bytesOf(nested.failureLength(), nested::getFailure));
        assertEquals(1, nestedSuccess.size());
        assertEquals(1, nestedFailure.size());
        final DeleteRangeRequestDecoder delete = new DeleteRangeRequestDecoder().wrapAndApplyHeader(
            nestedSuccess.get(0), 0, headerDecoder);
        assertEquals("p/", text(delete.keyLength(), delete::getKey));
        assertEquals("p0", text(delete.rangeEndLength(), delete::getRangeEnd));
        final PutRequestDecoder put =
            new PutRequestDecoder().wrapAndApplyHeader(nestedFailure.get(0), 0, headerDecoder);
        assertEquals("x", text(put.keyLength(), put::getKey));
        assertEquals("1", text(put.valueLength(), put::getValue));

        final PutRequestDecoder last = new PutRequestDecoder().wrapAndApplyHeader(success.get(2), 0, headerDecoder);
        assertEquals(PutRequestDecoder.TEMPLATE_ID, headerDecoder.templateId());
        assertEquals("b", text(last.keyLength(), last::getKey));
    }

    @Test
    void shouldEncodeEmptyTxnAsBlockAndEmptyFields()
    {
        final int length = encoder.encodeTxn(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, Txn.txn());

        assertEquals(RequestEncoder.txnLength(Txn.txn()), length);
        final TxnRequestDecoder decoder = new TxnRequestDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(0, decoder.compares().count());
        assertEquals(0, decoder.successLength());
        decoder.skipSuccess();
        assertEquals(0, decoder.failureLength());
        decoder.skipFailure();
        assertEquals(OFFSET + length, decoder.limit());
    }

    @Test
    void shouldCopyOptionsAndResolveRangeEndWhenOpIsMade()
    {
        final RangeOptions options = new RangeOptions().prefix().limit(3);
        final Op op = Op.get(bytes("k/"), options);
        options.limit(9).fromKey();
        final byte[] key = bytes("z");
        final Op put = Op.put(key, bytes("v"));
        key[0] = 'y';

        encoder.encodeTxn(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, Txn.txn().then(op, put));
        final TxnRequestDecoder decoder = new TxnRequestDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        decoder.compares();
        final List<DirectBuffer> success = split(bytesOf(decoder.successLength(), decoder::getSuccess));
        final RangeRequestDecoder range =
            new RangeRequestDecoder().wrapAndApplyHeader(success.get(0), 0, headerDecoder);
        assertEquals(3, range.keyLimit());
        text(range.keyLength(), range::getKey);
        final byte[] rangeEnd = new byte[range.rangeEndLength()];
        range.getRangeEnd(rangeEnd, 0, rangeEnd.length);
        assertArrayEquals(KeyRanges.prefixEnd(bytes("k/")), rangeEnd);
        final PutRequestDecoder putDecoder =
            new PutRequestDecoder().wrapAndApplyHeader(success.get(1), 0, headerDecoder);
        assertEquals("z", text(putDecoder.keyLength(), putDecoder::getKey));
    }

    @Test
    void shouldEncodeRangeWithMinRevisionZeroAndStampItInPlace()
    {
        final RangeOptions options = new RangeOptions().rangeEnd(bytes("b")).limit(4).revision(9)
            .sortOrder(SortOrder.ASCEND).keysOnly(true);
        encoder.encodeRange(buffer, OFFSET, CORRELATION_ID, CLIENT_ID, bytes("a"), bytes("b"), options);

        final RangeRequestDecoder decoder = new RangeRequestDecoder().wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        // Stamped with the oldest version that reads it whole (minRevision came in 3), not the client's own.
        assertEquals(3, headerDecoder.version());
        assertEquals(RangeRequestDecoder.BLOCK_LENGTH, headerDecoder.blockLength());
        assertEquals(0, decoder.minRevision(), "on ingress");

        RequestEncoder.stampMinRevision(buffer, OFFSET, 1234);

        decoder.wrapAndApplyHeader(buffer, OFFSET, headerDecoder);
        assertEquals(1234, decoder.minRevision());
        assertEquals(CORRELATION_ID, decoder.header().correlationId());
        assertEquals(CLIENT_ID, decoder.header().clientId());
        assertEquals(4, decoder.keyLimit());
        assertEquals(9, decoder.revision());
        assertEquals(SortOrder.ASCEND, decoder.sortOrder());
        assertTrue(decoder.flags().keysOnly());
        assertFalse(decoder.flags().countOnly());
        assertEquals("a", text(decoder.keyLength(), decoder::getKey));
        assertEquals("b", text(decoder.rangeEndLength(), decoder::getRangeEnd));
        assertEquals(RequestEncoder.rangeLength(bytes("a"), bytes("b")), decoder.limit() - OFFSET);
    }

    @Test
    void shouldEncodeSerializableReadAgainAsFirstEncodedWithTheMinRevisionGivenWhateverItsOptionsBecame()
    {
        final RangeOptions options = new RangeOptions().prefix().limit(7).sortOrder(SortOrder.DESCEND)
            .countOnly(true).serializable(true);
        final byte[] key = bytes("dir/");
        final byte[] rangeEnd = options.rangeEndFor(key);
        final int length = RequestEncoder.rangeLength(key, rangeEnd);
        encoder.encodeRange(buffer, 0, CORRELATION_ID, CLIENT_ID, key, rangeEnd, options);
        RequestEncoder.stampMinRevision(buffer, 0, 88);
        final SerializableRange read = new SerializableRange(
            TestConductors.conductor(), Long.MAX_VALUE, CORRELATION_ID, Long.MAX_VALUE, key, rangeEnd, options);
        options.limit(1).sortOrder(SortOrder.NONE).countOnly(false);

        read.encode(encoder, buffer, OFFSET + length, CLIENT_ID, 88);

        assertEquals(length, read.length());
        final byte[] first = new byte[length];
        buffer.getBytes(0, first);
        final byte[] again = new byte[length];
        buffer.getBytes(OFFSET + length, again);
        assertArrayEquals(first, again);
    }

    private interface BytesGetter
    {
        int get(byte[] dst, int dstOffset, int length);
    }

    private static String text(final int length, final BytesGetter getter)
    {
        return new String(bytesOf(length, getter), StandardCharsets.UTF_8);
    }

    private static byte[] bytesOf(final int length, final BytesGetter getter)
    {
        final byte[] bytes = new byte[length];
        assertEquals(length, getter.get(bytes, 0, length));
        return bytes;
    }

    /**
     * Split requests back to back into one buffer each, by the length each message's header and body give.
     */
    private List<DirectBuffer> split(final byte[] bytes)
    {
        final UnsafeBuffer all = new UnsafeBuffer(bytes);
        final List<DirectBuffer> messages = new ArrayList<>();
        int cursor = 0;
        while (cursor < bytes.length)
        {
            headerDecoder.wrap(all, cursor);
            assertEquals(MessageHeaderDecoder.SCHEMA_ID, headerDecoder.schemaId());
            final int length = messageLength(all, cursor);
            messages.add(new UnsafeBuffer(bytes, cursor, length));
            cursor += length;
        }
        assertEquals(bytes.length, cursor);

        return messages;
    }

    private int messageLength(final DirectBuffer buffer, final int offset)
    {
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int bodyLength = switch (headerDecoder.templateId())
        {
            case PutRequestDecoder.TEMPLATE_ID ->
            {
                final PutRequestDecoder d = new PutRequestDecoder().wrap(buffer, body, blockLength, version);
                d.sbeSkip();
                yield d.encodedLength();
            }
            case RangeRequestDecoder.TEMPLATE_ID ->
            {
                final RangeRequestDecoder d = new RangeRequestDecoder().wrap(buffer, body, blockLength, version);
                d.sbeSkip();
                yield d.encodedLength();
            }
            case DeleteRangeRequestDecoder.TEMPLATE_ID ->
            {
                final DeleteRangeRequestDecoder d =
                    new DeleteRangeRequestDecoder().wrap(buffer, body, blockLength, version);
                d.sbeSkip();
                yield d.encodedLength();
            }
            case TxnRequestDecoder.TEMPLATE_ID ->
            {
                final TxnRequestDecoder d = new TxnRequestDecoder().wrap(buffer, body, blockLength, version);
                d.sbeSkip();
                yield d.encodedLength();
            }
            default -> throw new AssertionError("unexpected template " + headerDecoder.templateId());
        };

        return MessageHeaderDecoder.ENCODED_LENGTH + bodyLength;
    }

    private static void assertZeroHeader(final long correlationId, final long clientId, final long sequence)
    {
        assertEquals(0, correlationId);
        assertEquals(0, clientId);
        assertEquals(0, sequence);
    }
}
