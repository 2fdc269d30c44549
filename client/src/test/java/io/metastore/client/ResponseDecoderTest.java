package io.metastore.client;

import io.metastore.codecs.AlarmResponseDecoder;
import io.metastore.codecs.AlarmResponseEncoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.BooleanType;
import io.metastore.codecs.DeleteRangeResponseEncoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.LeaseGrantResponseDecoder;
import io.metastore.codecs.LeaseGrantResponseEncoder;
import io.metastore.codecs.LeaseKeepAliveResponseDecoder;
import io.metastore.codecs.LeaseKeepAliveResponseEncoder;
import io.metastore.codecs.LeaseListResponseDecoder;
import io.metastore.codecs.LeaseListResponseEncoder;
import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.codecs.LeaseRevokeResponseEncoder;
import io.metastore.codecs.LeaseTimeToLiveResponseDecoder;
import io.metastore.codecs.LeaseTimeToLiveResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutResponseDecoder;
import io.metastore.codecs.PutResponseEncoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.RangeResponseEncoder;
import io.metastore.codecs.ResponseHeaderEncoder;
import io.metastore.codecs.TxnResponseDecoder;
import io.metastore.codecs.TxnResponseEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Responses encoded by hand as the cluster sends them, fed to the client's decoder.
 */
class ResponseDecoderTest
{
    private static final int CLUSTER_ID = 7;
    private static final int MEMBER_ID = 2;
    private static final long REVISION = 42;
    private static final long TERM = 3;
    private static final ResponseHeader HEADER = new ResponseHeader(CLUSTER_ID, MEMBER_ID, REVISION, TERM);

    private final Long2ObjectHashMap<PendingRequest> pending = new Long2ObjectHashMap<>();
    private final SeenRevision seenRevision = new SeenRevision();
    private final ClientConductor conductor = new ClientConductor(
        new RequestRing(64 * 1024, 16, SystemNanoClock.INSTANCE),
        new SerializableReads(1, Long.MAX_VALUE, 16, 64 * 1024, seenRevision, Throwable::printStackTrace),
        16,
        64 * 1024,
        Long.MAX_VALUE,
        SystemNanoClock.INSTANCE,
        Throwable::printStackTrace);
    private final List<Throwable> errors = new ArrayList<>();
    private final ResponseDecoder decoder = new ResponseDecoder(pending::remove, seenRevision, errors::add);
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private int length;

    @Test
    void shouldCompleteEveryLeaseRequestOfOneEgressMessage()
    {
        final CompletableFuture<Object> grant = expect(1, LeaseGrantResponseDecoder.TEMPLATE_ID);
        final CompletableFuture<Object> revoke = expect(2, LeaseRevokeResponseDecoder.TEMPLATE_ID);
        final CompletableFuture<Object> keepAlive = expect(3, LeaseKeepAliveResponseDecoder.TEMPLATE_ID);
        final CompletableFuture<Object> timeToLive = expect(4, LeaseTimeToLiveResponseDecoder.TEMPLATE_ID);
        final CompletableFuture<Object> list = expect(5, LeaseListResponseDecoder.TEMPLATE_ID);

        final LeaseGrantResponseEncoder grantEncoder = new LeaseGrantResponseEncoder();
        header(grantEncoder.wrapAndApplyHeader(buffer, length, headerEncoder).header(), 1);
        grantEncoder.id(0x694d71ddacfda227L).ttl(10);
        length += MessageHeaderEncoder.ENCODED_LENGTH + grantEncoder.encodedLength();

        final LeaseRevokeResponseEncoder revokeEncoder = new LeaseRevokeResponseEncoder();
        header(revokeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder).header(), 2);
        length += MessageHeaderEncoder.ENCODED_LENGTH + revokeEncoder.encodedLength();

        final LeaseKeepAliveResponseEncoder keepAliveEncoder = new LeaseKeepAliveResponseEncoder();
        header(keepAliveEncoder.wrapAndApplyHeader(buffer, length, headerEncoder).header(), 3);
        keepAliveEncoder.id(0x1F).ttl(30);
        length += MessageHeaderEncoder.ENCODED_LENGTH + keepAliveEncoder.encodedLength();

        final LeaseTimeToLiveResponseEncoder ttlEncoder = new LeaseTimeToLiveResponseEncoder();
        header(ttlEncoder.wrapAndApplyHeader(buffer, length, headerEncoder).header(), 4);
        ttlEncoder.id(0x1F).ttl(7).grantedTtl(10);
        final LeaseTimeToLiveResponseEncoder.KeysEncoder keys = ttlEncoder.keysCount(2);
        keys.next().putKey(bytes("a"), 0, 1);
        keys.next().putKey(new byte[]{ (byte)0xFF }, 0, 1);
        length += MessageHeaderEncoder.ENCODED_LENGTH + ttlEncoder.encodedLength();

        final LeaseListResponseEncoder listEncoder = new LeaseListResponseEncoder();
        header(listEncoder.wrapAndApplyHeader(buffer, length, headerEncoder).header(), 5);
        final LeaseListResponseEncoder.LeasesEncoder leases = listEncoder.leasesCount(3);
        leases.next().id(1);
        leases.next().id(0x694d71ddacfda227L);
        leases.next().id(Long.MAX_VALUE);
        length += MessageHeaderEncoder.ENCODED_LENGTH + listEncoder.encodedLength();

        assertEquals(5, decoder.onMessage(buffer, 0, length));

        assertEquals(new LeaseGrantResult(HEADER, 0x694d71ddacfda227L, 10), grant.join());
        assertEquals(new LeaseRevokeResult(HEADER), revoke.join());
        assertEquals(new LeaseKeepAliveResult(HEADER, 0x1F, 30), keepAlive.join());
        final LeaseTimeToLiveResult ttl = (LeaseTimeToLiveResult)timeToLive.join();
        assertEquals(HEADER, ttl.header());
        assertEquals(0x1F, ttl.id());
        assertEquals(7, ttl.ttlSeconds());
        assertEquals(10, ttl.grantedTtlSeconds());
        assertTrue(ttl.exists());
        assertEquals(2, ttl.keys().size());
        assertArrayEquals(bytes("a"), ttl.keys().get(0));
        assertArrayEquals(new byte[]{ (byte)0xFF }, ttl.keys().get(1));
        assertEquals(new LeaseListResult(HEADER, List.of(1L, 0x694d71ddacfda227L, Long.MAX_VALUE)), list.join());
        assertTrue(pending.isEmpty());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldReportLeaseThatDoesNotExistAsTtlOfMinusOneNotError()
    {
        final CompletableFuture<Object> timeToLive = expect(9, LeaseTimeToLiveResponseDecoder.TEMPLATE_ID);
        final LeaseTimeToLiveResponseEncoder ttlEncoder = new LeaseTimeToLiveResponseEncoder();
        header(ttlEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header(), 9);
        ttlEncoder.id(0x1F).ttl(-1).grantedTtl(0).keysCount(0);
        length = MessageHeaderEncoder.ENCODED_LENGTH + ttlEncoder.encodedLength();

        decoder.onMessage(buffer, 0, length);

        final LeaseTimeToLiveResult result = (LeaseTimeToLiveResult)timeToLive.join();
        assertFalse(result.exists());
        assertEquals(List.of(), result.keys());
    }

    @Test
    void shouldFailLeaseRequestWithTheClusterErrorCode()
    {
        final CompletableFuture<Object> revoke = expect(11, LeaseRevokeResponseDecoder.TEMPLATE_ID);
        error(11, ErrorCode.LEASE_NOT_FOUND, "lease 000000000000001f not found");

        decoder.onMessage(buffer, 0, length);

        final MetaStoreException ex = failure(revoke);
        assertEquals(ErrorCode.LEASE_NOT_FOUND, ex.code());
        assertFalse(ex.isRetryable());
    }

    @Test
    void shouldCompleteAlarmRequestsWithTheirAlarms()
    {
        final CompletableFuture<Object> list = expect(21, AlarmResponseDecoder.TEMPLATE_ID);
        final CompletableFuture<Object> none = expect(22, AlarmResponseDecoder.TEMPLATE_ID);
        final AlarmResponseEncoder encoder = new AlarmResponseEncoder();
        header(encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header(), 21);
        final AlarmResponseEncoder.AlarmsEncoder alarms = encoder.alarmsCount(2);
        alarms.next().memberId(0).alarm(AlarmType.NOSPACE);
        alarms.next().memberId(-1L).alarm(AlarmType.CORRUPT);
        length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        header(encoder.wrapAndApplyHeader(buffer, length, headerEncoder).header(), 22);
        encoder.alarmsCount(0);
        length += MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        assertEquals(2, decoder.onMessage(buffer, 0, length));

        assertEquals(new AlarmResult(HEADER, List.of(
            new AlarmMember(0, AlarmType.NOSPACE), new AlarmMember(-1L, AlarmType.CORRUPT))), list.join());
        assertEquals(new AlarmResult(HEADER, List.of()), none.join());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldFailWriteRefusedForSpaceWithNoSpaceException()
    {
        final CompletableFuture<Object> put = expect(23, PutResponseDecoder.TEMPLATE_ID);
        error(23, ErrorCode.NO_SPACE, "etcdserver: mvcc: database space exceeded");

        decoder.onMessage(buffer, 0, length);

        final MetaStoreException ex = failure(put);
        assertInstanceOf(NoSpaceException.class, ex);
        assertEquals(ErrorCode.NO_SPACE, ex.code());
        assertEquals("NO_SPACE: etcdserver: mvcc: database space exceeded", ex.getMessage());
        assertFalse(ex.isRetryable());
    }

    @Test
    void shouldFailReadRefusedByMemberBehindWithRetryableMemberBehindException()
    {
        final CompletableFuture<Object> range = expect(24, RangeResponseDecoder.TEMPLATE_ID);
        error(24, ErrorCode.MEMBER_BEHIND, "applied 40, asked for 45");

        decoder.onMessage(buffer, 0, length);

        final MetaStoreException ex = failure(range);
        assertInstanceOf(MemberBehindException.class, ex);
        assertEquals(ErrorCode.MEMBER_BEHIND, ex.code());
        assertTrue(ex.isRetryable());
    }

    @Test
    void shouldRaiseSeenRevisionToEveryResponseHeaderBeforeCompletingItsRequest()
    {
        final CompletableFuture<Object> put = expect(25, PutResponseDecoder.TEMPLATE_ID);
        final long[] seenInCallback = new long[1];
        put.thenRun(() -> seenInCallback[0] = seenRevision.get());
        length = encodePut(25, null).apply(buffer, 0);

        decoder.onMessage(buffer, 0, length);
        assertEquals(REVISION, seenInCallback[0], "seen before the request completed");

        length = 0;
        error(26, ErrorCode.INVALID_RANGE, "no request waits for this one, still its header is seen");
        buffer.putLong(MessageHeaderEncoder.ENCODED_LENGTH + ResponseHeaderEncoder.revisionEncodingOffset(),
            REVISION + 5, ResponseHeaderEncoder.BYTE_ORDER);
        decoder.onMessage(buffer, 0, length);
        assertEquals(REVISION + 5, seenRevision.get());

        final CompletableFuture<Object> older = expect(27, PutResponseDecoder.TEMPLATE_ID);
        length = encodePut(27, null).apply(buffer, 0);
        decoder.onMessage(buffer, 0, length);
        assertTrue(older.isDone());
        assertEquals(REVISION + 5, seenRevision.get(), "an older revision lowers nothing");
    }

    @Test
    void shouldDecodeTxnResponseWithEveryKindOfInnerResponseAndNestedTxn()
    {
        final CompletableFuture<Object> txn = expect(21, TxnResponseDecoder.TEMPLATE_ID);
        final ExpandableArrayBuffer nested = new ExpandableArrayBuffer();
        final int nestedLength = encodeTxn(nested, 0, 21, false, encodePut(21, null));

        final ExpandableArrayBuffer inner = new ExpandableArrayBuffer();
        int innerLength = encodePut(21, new KeyValue(bytes("k"), bytes("old"), 2, 5, 3, 0x1F)).apply(inner, 0);
        innerLength += encodeRange(21).apply(inner, innerLength);
        innerLength += encodeDelete(21).apply(inner, innerLength);
        inner.putBytes(innerLength, nested, 0, nestedLength);
        innerLength += nestedLength;
        final int innerTotal = innerLength;
        length = encodeTxn(buffer, 0, 21, true, (dst, offset) ->
        {
            dst.putBytes(offset, inner, 0, innerTotal);
            return innerTotal;
        });

        assertEquals(1, decoder.onMessage(buffer, 0, length));

        final TxnResult result = (TxnResult)txn.join();
        assertEquals(HEADER, result.header());
        assertTrue(result.succeeded());
        assertEquals(4, result.responses().size());
        assertEquals(new PutResult(HEADER, new KeyValue(bytes("k"), bytes("old"), 2, 5, 3, 0x1F)), result.putResult(0));
        final RangeResult range = result.rangeResult(1);
        assertEquals(2, range.count());
        assertTrue(range.more());
        assertEquals(List.of(new KeyValue(bytes("a"), bytes("1"), 4, 4, 1, 0)), range.kvs());
        final DeleteResult delete = result.deleteResult(2);
        assertEquals(3, delete.deleted());
        assertEquals(List.of(), delete.prevKvs());
        final TxnResult nestedResult = result.txnResult(3);
        assertFalse(nestedResult.succeeded());
        assertEquals(List.of(new PutResult(HEADER, null)), nestedResult.responses());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldDecodeTxnWithNoOperationsAndKeepReadingTheResponsesAfterIt()
    {
        final CompletableFuture<Object> txn = expect(31, TxnResponseDecoder.TEMPLATE_ID);
        final CompletableFuture<Object> put = expect(32, PutResponseDecoder.TEMPLATE_ID);
        length = encodeTxn(buffer, 0, 31, false, (dst, offset) -> 0);
        length += encodePut(32, null).apply(buffer, length);

        assertEquals(2, decoder.onMessage(buffer, 0, length));

        assertEquals(new TxnResult(HEADER, false, List.of()), txn.join());
        assertEquals(new PutResult(HEADER, null), put.join());
    }

    @Test
    void shouldFailTxnRefusedWithOneErrorOnItsCorrelationId()
    {
        final CompletableFuture<Object> txn = expect(41, TxnResponseDecoder.TEMPLATE_ID);
        error(41, ErrorCode.DUPLICATE_KEY, "key k put twice");

        decoder.onMessage(buffer, 0, length);

        assertEquals(ErrorCode.DUPLICATE_KEY, failure(txn).code());
    }

    @Test
    void shouldFailTxnWhoseInnerResponseIsMalformedAndStillDecodeTheNextResponse()
    {
        final CompletableFuture<Object> txn = expect(51, TxnResponseDecoder.TEMPLATE_ID);
        final CompletableFuture<Object> put = expect(52, PutResponseDecoder.TEMPLATE_ID);
        length = encodeTxn(buffer, 0, 51, true, (dst, offset) ->
        {
            final LeaseRevokeResponseEncoder unexpected = new LeaseRevokeResponseEncoder();
            header(unexpected.wrapAndApplyHeader(dst, offset, headerEncoder).header(), 51);
            return MessageHeaderEncoder.ENCODED_LENGTH + unexpected.encodedLength();
        });
        length += encodePut(52, null).apply(buffer, length);

        assertEquals(2, decoder.onMessage(buffer, 0, length));

        final MetaStoreException ex = failure(txn);
        assertEquals(ErrorCode.INTERNAL, ex.code());
        assertTrue(ex.getMessage().contains("unexpected template " + LeaseRevokeResponseDecoder.TEMPLATE_ID),
            ex.getMessage());
        assertEquals(new PutResult(HEADER, null), put.join());
    }

    @Test
    void shouldFailTxnWhoseInnerResponsesAreTruncated()
    {
        final CompletableFuture<Object> txn = expect(61, TxnResponseDecoder.TEMPLATE_ID);
        length = encodeTxn(buffer, 0, 61, true, (dst, offset) -> encodePut(61, null).apply(dst, offset) - 3);

        decoder.onMessage(buffer, 0, length);

        assertEquals(ErrorCode.INTERNAL, failure(txn).code());
    }

    @Test
    void shouldFailRequestAnsweredWithAnotherTemplate()
    {
        final CompletableFuture<Object> txn = expect(71, TxnResponseDecoder.TEMPLATE_ID);
        final LeaseGrantResponseEncoder grantEncoder = new LeaseGrantResponseEncoder();
        header(grantEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header(), 71);
        length = MessageHeaderEncoder.ENCODED_LENGTH + grantEncoder.encodedLength();

        decoder.onMessage(buffer, 0, length);

        assertEquals(ErrorCode.INTERNAL, failure(txn).code());
    }

    @FunctionalInterface
    private interface Writer
    {
        int apply(ExpandableArrayBuffer dst, int offset);
    }

    private CompletableFuture<Object> expect(final long correlationId, final int templateId)
    {
        final PendingRequest request =
            new PendingRequest(conductor, Long.MAX_VALUE, correlationId, templateId, Long.MAX_VALUE);
        pending.put(correlationId, request);
        return request;
    }

    private int encodeTxn(
        final ExpandableArrayBuffer dst,
        final int offset,
        final long correlationId,
        final boolean succeeded,
        final Writer responses)
    {
        final ExpandableArrayBuffer inner = new ExpandableArrayBuffer();
        final int innerLength = responses.apply(inner, 0);
        final TxnResponseEncoder encoder = new TxnResponseEncoder();
        header(encoder.wrapAndApplyHeader(dst, offset, headerEncoder).header(), correlationId);
        encoder.succeeded(succeeded ? BooleanType.TRUE : BooleanType.FALSE);
        encoder.putResponses(inner, 0, innerLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private Writer encodePut(final long correlationId, final KeyValue prevKv)
    {
        return (dst, offset) ->
        {
            final PutResponseEncoder encoder = new PutResponseEncoder();
            header(encoder.wrapAndApplyHeader(dst, offset, headerEncoder).header(), correlationId);
            final PutResponseEncoder.PrevKvEncoder kvs = encoder.prevKvCount(null == prevKv ? 0 : 1);
            if (null != prevKv)
            {
                kvs.next()
                    .createRevision(prevKv.createRevision())
                    .modRevision(prevKv.modRevision())
                    .version(prevKv.version())
                    .lease(prevKv.lease())
                    .putKey(prevKv.key(), 0, prevKv.key().length)
                    .putValue(prevKv.value(), 0, prevKv.value().length);
            }
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        };
    }

    private Writer encodeRange(final long correlationId)
    {
        return (dst, offset) ->
        {
            final RangeResponseEncoder encoder = new RangeResponseEncoder();
            header(encoder.wrapAndApplyHeader(dst, offset, headerEncoder).header(), correlationId);
            encoder.count(2).more(BooleanType.TRUE);
            encoder.kvsCount(1).next().createRevision(4).modRevision(4).version(1).lease(0)
                .putKey(bytes("a"), 0, 1).putValue(bytes("1"), 0, 1);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        };
    }

    private Writer encodeDelete(final long correlationId)
    {
        return (dst, offset) ->
        {
            final DeleteRangeResponseEncoder encoder = new DeleteRangeResponseEncoder();
            header(encoder.wrapAndApplyHeader(dst, offset, headerEncoder).header(), correlationId);
            encoder.deleted(3).prevKvsCount(0);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        };
    }

    private void error(final long correlationId, final ErrorCode code, final String message)
    {
        final ErrorResponseEncoder encoder = new ErrorResponseEncoder();
        header(encoder.wrapAndApplyHeader(buffer, length, headerEncoder).header(), correlationId);
        encoder.code(code).message(message);
        length += MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static void header(final ResponseHeaderEncoder header, final long correlationId)
    {
        header.correlationId(correlationId)
            .clusterId(CLUSTER_ID)
            .memberId(MEMBER_ID)
            .revision(REVISION)
            .leadershipTermId(TERM);
    }

    private static MetaStoreException failure(final CompletableFuture<Object> future)
    {
        final ExecutionException ex = assertThrows(ExecutionException.class, future::get);
        return assertInstanceOf(MetaStoreException.class, ex.getCause());
    }
}
