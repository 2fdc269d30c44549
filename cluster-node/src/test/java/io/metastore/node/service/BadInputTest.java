package io.metastore.node.service;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmRequestEncoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.CompactRequestEncoder;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.LeaseTimeToLiveRequestEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.RangeRequestEncoder;
import io.metastore.codecs.TxnRequestEncoder;
import io.metastore.node.storage.StateDigest;
import io.metastore.protocol.Protocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every kind of bad input gets an error response with a code on its correlation id, and changes nothing.
 */
class BadInputTest
{
    private static final int MAX_KEY = 16;
    private static final int MAX_VALUE = 64;

    @TempDir
    File tempDir;

    private ServiceHarness harness;
    private final Requests requests = new Requests();
    private String digestBefore;
    private long revisionBefore;

    @BeforeEach
    void before()
    {
        harness = new ServiceHarness(tempDir, MAX_KEY, MAX_VALUE);
        harness.apply(requests.put(1, "existing", "value").build());
        harness.commit();
        harness.egress.reset();
        digestBefore = StateDigest.of(harness.storage);
        revisionBefore = harness.stateMachine.revision();
    }

    @AfterEach
    void after()
    {
        harness.close();
    }

    @Test
    void shouldRefuseUnknownTemplate()
    {
        final byte[] message = requests.put(10, "k", "v").build();
        new UnsafeBuffer(message).putShort(2, (short)999);

        assertRefused(message, 10, ErrorCode.UNKNOWN_TEMPLATE);
    }

    @Test
    void shouldRefuseUnknownSchemaIdAndNewerVersion()
    {
        final byte[] wrongSchema = requests.put(11, "k", "v").build();
        new UnsafeBuffer(wrongSchema).putShort(4, (short)1234);
        assertRefused(wrongSchema, 11, ErrorCode.UNSUPPORTED_SCHEMA);

        final byte[] newerVersion = requests.put(12, "k", "v").build();
        new UnsafeBuffer(newerVersion).putShort(6, (short)(MessageHeaderEncoder.SCHEMA_VERSION + 1));
        assertRefused(newerVersion, 12, ErrorCode.UNSUPPORTED_SCHEMA);
    }

    @Test
    void shouldRefuseMessageShorterThanHeaderWithNullCorrelationId()
    {
        assertRefused(new byte[]{ 1, 2, 3 }, Protocol.NULL_CORRELATION_ID, ErrorCode.MALFORMED);
    }

    @Test
    void shouldRefuseBlockLengthBelowTemplate()
    {
        final byte[] message = requests.put(13, "k", "v").build();
        new UnsafeBuffer(message).putShort(0, (short)(PutRequestEncoder.BLOCK_LENGTH - 1));

        assertRefused(message, 13, ErrorCode.MALFORMED);
    }

    @Test
    void shouldRefuseLengthsPastTheEndOfTheBuffer()
    {
        final byte[] message = requests.put(14, "key", "value").build();
        assertRefused(Arrays.copyOf(message, message.length - 1), 14, ErrorCode.MALFORMED);

        final byte[] hugeKeyLength = requests.put(15, "key", "value").build();
        new UnsafeBuffer(hugeKeyLength).putInt(
            MessageHeaderEncoder.ENCODED_LENGTH + PutRequestEncoder.BLOCK_LENGTH, 0xFFFF_FFFF);
        assertRefused(hugeKeyLength, 15, ErrorCode.MALFORMED);
    }

    @Test
    void shouldRefuseEmptyKeys()
    {
        assertRefused(requests.put(16, "", "v").build(), 16, ErrorCode.EMPTY_KEY);
        assertRefused(requests.range(17, "", "").build(), 17, ErrorCode.EMPTY_KEY);
        assertRefused(requests.delete(18, "", "z").build(), 18, ErrorCode.EMPTY_KEY);
    }

    @Test
    void shouldRefuseKeysAndValuesOverTheLimits()
    {
        final String longKey = "k".repeat(MAX_KEY + 1);
        assertRefused(requests.put(19, longKey, "v").build(), 19, ErrorCode.KEY_TOO_LARGE);
        assertRefused(requests.put(20, "k", "v".repeat(MAX_VALUE + 1)).build(), 20, ErrorCode.VALUE_TOO_LARGE);
        assertRefused(requests.range(21, "a", longKey).build(), 21, ErrorCode.KEY_TOO_LARGE);
    }

    @Test
    void shouldRefuseInvertedRanges()
    {
        assertRefused(requests.range(22, "b", "a").build(), 22, ErrorCode.INVALID_RANGE);
        assertRefused(requests.delete(23, "existing", "a").build(), 23, ErrorCode.INVALID_RANGE);
    }

    @Test
    void shouldRefuseUnknownFlagsAndEnumValues()
    {
        final int flagsOffset = MessageHeaderEncoder.ENCODED_LENGTH + PutRequestEncoder.flagsEncodingOffset();
        final byte[] put = requests.put(24, "k", "v").build();
        put[flagsOffset] = (byte)0x80;
        assertRefused(put, 24, ErrorCode.UNKNOWN_FLAGS);

        final byte[] range = requests.range(25, "a", "b").build();
        range[MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.flagsEncodingOffset()] = (byte)0x04;
        assertRefused(range, 25, ErrorCode.UNKNOWN_FLAGS);

        final byte[] sortOrder = requests.range(26, "a", "b").build();
        sortOrder[MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.sortOrderEncodingOffset()] = 9;
        assertRefused(sortOrder, 26, ErrorCode.INVALID_ARGUMENT);

        final byte[] negativeLimit = requests.range(27, "a", "b").build();
        new UnsafeBuffer(negativeLimit).putLong(
            MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.keyLimitEncodingOffset(), -1);
        assertRefused(negativeLimit, 27, ErrorCode.INVALID_ARGUMENT);
        assertEquals("negative limit -1", harness.errors().get(0)[2]);

        final byte[] negativeRevision = requests.range(28, "a", "b").build();
        new UnsafeBuffer(negativeRevision).putLong(
            MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.revisionEncodingOffset(), -1);
        assertRefused(negativeRevision, 28, ErrorCode.INVALID_ARGUMENT);
        assertEquals("negative revision -1", harness.errors().get(0)[2]);
    }

    @Test
    void shouldStillApplyWellFramedRequestsAfterARefusedOneInTheSameMessage()
    {
        final byte[] message = requests.put(30, "", "refused").put(31, "good", "applied").build();
        harness.apply(message);

        final List<Object[]> errors = harness.errors();
        assertEquals(1, errors.size());
        assertEquals(30L, errors.get(0)[0]);
        assertEquals(revisionBefore + 1, harness.stateMachine.revision());
    }

    @Test
    void shouldRefuseTheRestOfAMessageOnceFramingIsLost()
    {
        final byte[] good = requests.put(41, "good", "v").build();
        final byte[] bad = requests.put(40, "k", "v").build();
        new UnsafeBuffer(bad).putShort(2, (short)999);
        final byte[] message = Arrays.copyOf(bad, bad.length + good.length);
        System.arraycopy(good, 0, message, bad.length, good.length);

        assertRefused(message, 40, ErrorCode.UNKNOWN_TEMPLATE);
    }

    @Test
    void shouldSurviveRandomBytesAndChangeNothing()
    {
        final Random random = new Random(1);
        for (int i = 0; i < 2000; i++)
        {
            final byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            harness.apply(garbage);
        }
        harness.commit();

        assertEquals(revisionBefore, harness.stateMachine.revision());
        assertEquals(digestBefore, StateDigest.of(harness.storage));
    }

    @Test
    void shouldServeAGoodRequestAfterBadOnes()
    {
        harness.apply(requests.put(50, "", "v").build());
        harness.apply(new byte[]{ 9 });
        harness.egress.reset();

        harness.apply(requests.put(51, "after", "ok").build());
        assertEquals(0, harness.errors().size());
        assertEquals(revisionBefore + 1, harness.stateMachine.revision());
    }

    @Test
    void shouldRefuseWholeTransactionWhenAnInnerRequestIsBad()
    {
        final byte[] success = new Requests().put(0, "ok", "v").put(0, "", "empty key").build();
        assertRefused(requests.txn(60, new Requests.Compare[0], success, new byte[0]).build(), 60, ErrorCode.EMPTY_KEY);

        final byte[] tooLarge = new Requests().put(0, "ok", "v").put(0, "k", "v".repeat(MAX_VALUE + 1)).build();
        assertRefused(
            requests.txn(61, new Requests.Compare[0], new byte[0], tooLarge).build(), 61, ErrorCode.VALUE_TOO_LARGE);

        final byte[] unknownTemplate = new Requests().put(0, "ok", "v").leaseList(0).build();
        assertRefused(requests.txn(62, new Requests.Compare[0], unknownTemplate, new byte[0]).build(), 62,
            ErrorCode.UNKNOWN_TEMPLATE);
    }

    @Test
    void shouldRefuseTransactionWithTooManyOperationsOrTooDeep()
    {
        final Requests many = new Requests();
        for (int i = 0; i < 129; i++)
        {
            many.put(0, "k" + i, "v");
        }
        assertRefused(requests.txn(63, new Requests.Compare[0], many.build(), new byte[0]).build(), 63,
            ErrorCode.TOO_MANY_OPERATIONS);

        byte[] nested = new Requests().put(0, "deep", "v").build();
        for (int depth = 0; depth < IngressAdapter.MAX_TXN_DEPTH; depth++)
        {
            nested = new Requests().txn(0, new Requests.Compare[0], nested, new byte[0]).build();
        }
        assertRefused(requests.txn(64, new Requests.Compare[0], nested, new byte[0]).build(), 64,
            ErrorCode.TXN_TOO_DEEP);
    }

    @Test
    void shouldRefuseTransactionWritingAKeyTwice()
    {
        final byte[] success = new Requests().put(0, "twice", "1").put(0, "twice", "2").build();

        assertRefused(
            requests.txn(65, new Requests.Compare[0], success, new byte[0]).build(), 65, ErrorCode.DUPLICATE_KEY);
    }

    @Test
    void shouldRefuseUnknownCompareTargetAndResult()
    {
        final Requests.Compare compare =
            new Requests.Compare("existing", CompareTarget.VERSION, CompareResult.EQUAL, 1, "");
        final byte[] message = requests.txn(66, new Requests.Compare[]{ compare }, new byte[0], new byte[0]).build();
        final int compareEntry = MessageHeaderEncoder.ENCODED_LENGTH + TxnRequestEncoder.BLOCK_LENGTH +
            TxnRequestEncoder.ComparesEncoder.HEADER_SIZE;
        final byte[] badTarget = message.clone();
        badTarget[compareEntry + TxnRequestEncoder.ComparesEncoder.targetEncodingOffset()] = 9;
        assertRefused(badTarget, 66, ErrorCode.INVALID_ARGUMENT);

        final byte[] badResult = message.clone();
        badResult[compareEntry + TxnRequestEncoder.ComparesEncoder.resultEncodingOffset()] = 7;
        assertRefused(badResult, 66, ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void shouldRefuseTransactionWhoseListRunsPastTheEndAndReadTheNextOneWhenOnlyAnInnerRequestIsCut()
    {
        final byte[] txn = requests.txn(67, new Requests.Compare[0], new byte[0], new byte[0]).build();
        final byte[] cut = Arrays.copyOf(txn, txn.length - 2);
        assertRefused(cut, 67, ErrorCode.MALFORMED);

        final byte[] inner = new Requests().put(0, "inner", "value").build();
        final byte[] innerCut = Arrays.copyOf(inner, inner.length - 3);
        final byte[] message = concat(
            requests.txn(68, new Requests.Compare[0], innerCut, new byte[0]).build(),
            requests.put(69, "after", "ok").build());
        harness.egress.reset();
        harness.apply(message);
        final List<Object[]> errors = harness.errors();
        assertEquals(1, errors.size());
        assertEquals(68L, errors.get(0)[0]);
        assertEquals(ErrorCode.MALFORMED, errors.get(0)[1]);
        assertEquals(revisionBefore + 1, harness.stateMachine.revision(), "the put after the txn applied");
    }

    @Test
    void shouldRefuseBadLeaseRequests()
    {
        assertRefused(requests.leaseGrant(70, -1, 10).build(), 70, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.leaseGrant(71, 0, 0).build(), 71, ErrorCode.TTL_OUT_OF_RANGE);
        assertRefused(requests.leaseRevoke(72, 12345).build(), 72, ErrorCode.LEASE_NOT_FOUND);
        assertRefused(requests.leaseKeepAlive(73, 12345).build(), 73, ErrorCode.LEASE_NOT_FOUND);
        assertRefused(requests.put(74, "k", "v", 12345).build(), 74, ErrorCode.LEASE_NOT_FOUND);

        final byte[] unknownFlags = requests.leaseTimeToLive(75, 1, true).build();
        unknownFlags[MessageHeaderEncoder.ENCODED_LENGTH + LeaseTimeToLiveRequestEncoder.flagsEncodingOffset()] = 4;
        assertRefused(unknownFlags, 75, ErrorCode.UNKNOWN_FLAGS);

        final byte[] shortBlock = requests.leaseGrant(76, 0, 10).build();
        new UnsafeBuffer(shortBlock).putShort(0, (short)8);
        assertRefused(shortBlock, 76, ErrorCode.MALFORMED);
    }

    @Test
    void shouldRefuseBadAlarmRequests()
    {
        final byte[] unknownAction = requests.alarm(80, AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE).build();
        unknownAction[MessageHeaderEncoder.ENCODED_LENGTH + AlarmRequestEncoder.actionEncodingOffset()] = 3;
        assertRefused(unknownAction, 80, ErrorCode.INVALID_ARGUMENT);

        final byte[] unknownType = requests.alarm(81, AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE).build();
        unknownType[MessageHeaderEncoder.ENCODED_LENGTH + AlarmRequestEncoder.alarmEncodingOffset()] = 3;
        assertRefused(unknownType, 81, ErrorCode.INVALID_ARGUMENT);

        final byte[] shortBlock = requests.alarm(82, AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE).build();
        new UnsafeBuffer(shortBlock).putShort(0, (short)(AlarmRequestEncoder.BLOCK_LENGTH - 1));
        assertRefused(shortBlock, 82, ErrorCode.MALFORMED);
    }

    @Test
    void shouldRefuseReadsAndCompactionsAtRevisionsOutOfRange()
    {
        assertRefused(requests.range(100, "existing", "", -1).build(), 100, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.range(101, "existing", "", Long.MIN_VALUE).build(), 101, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.range(102, "existing", "", revisionBefore + 1).build(), 102,
            ErrorCode.FUTURE_REVISION);

        assertRefused(requests.compact(103, -1).build(), 103, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.compact(104, revisionBefore + 1).build(), 104, ErrorCode.FUTURE_REVISION);
        assertRefused(requests.compact(105, Long.MAX_VALUE).build(), 105, ErrorCode.FUTURE_REVISION);
        // As etcd: nothing is compacted yet, and a compaction at revision 0 is one at the compacted revision.
        assertRefused(requests.compact(106, 0).build(), 106, ErrorCode.COMPACTED);

        final byte[] unknownFlags = requests.compact(107, revisionBefore).build();
        unknownFlags[MessageHeaderEncoder.ENCODED_LENGTH + CompactRequestEncoder.flagsEncodingOffset()] = 2;
        assertRefused(unknownFlags, 107, ErrorCode.UNKNOWN_FLAGS);

        final byte[] shortBlock = requests.compact(108, revisionBefore).build();
        new UnsafeBuffer(shortBlock).putShort(0, (short)(CompactRequestEncoder.BLOCK_LENGTH - 1));
        assertRefused(shortBlock, 108, ErrorCode.MALFORMED);
    }

    @Test
    void shouldRefuseReadsOfChangesOutOfRange()
    {
        assertRefused(requests.changes(110, "existing", "", 0, 0, 0).build(), 110, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.changes(111, "existing", "", -1, 0, 0).build(), 111, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.changes(112, "existing", "", 1, -1, 0).build(), 112, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.changes(113, "existing", "", 1, 0, -1).build(), 113, ErrorCode.INVALID_ARGUMENT);
        assertRefused(requests.changes(114, "existing", "", 1, revisionBefore + 1, 0).build(), 114,
            ErrorCode.FUTURE_REVISION);
        assertRefused(requests.changes(115, "existing", "", revisionBefore + 2, revisionBefore + 5, 0).build(), 115,
            ErrorCode.FUTURE_REVISION);
        assertRefused(requests.changes(116, "", "", 1, 0, 0).build(), 116, ErrorCode.EMPTY_KEY);
        assertRefused(requests.changes(117, "b", "a", 1, 0, 0).build(), 117, ErrorCode.INVALID_RANGE);
    }

    @Test
    void shouldRefuseWritesWithNoSpaceWhileTheAlarmIsActive()
    {
        harness.apply(requests.alarm(90, AlarmAction.ACTIVATE, 2, AlarmType.NOSPACE).build());
        harness.commit();
        digestBefore = StateDigest.of(harness.storage);
        assertEquals(revisionBefore, harness.stateMachine.revision(), "an alarm consumes no revision");

        assertRefused(requests.put(91, "k", "v").build(), 91, ErrorCode.NO_SPACE);
        assertRefused(requests.leaseGrant(92, 0, 10).build(), 92, ErrorCode.NO_SPACE);
        final byte[] put = new Requests().put(0, "k", "v").build();
        assertRefused(requests.txn(93, new Requests.Compare[0], new byte[0], put).build(), 93, ErrorCode.NO_SPACE);
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private void assertRefused(final byte[] message, final long correlationId, final ErrorCode code)
    {
        harness.egress.reset();
        harness.apply(message);
        harness.commit();

        final List<Object[]> errors = harness.errors();
        assertEquals(1, errors.size(), "one error response");
        assertEquals(correlationId, errors.get(0)[0]);
        assertEquals(code, errors.get(0)[1]);
        assertFalse(((String)errors.get(0)[2]).isBlank(), "a message for " + code);
        assertEquals(revisionBefore, harness.stateMachine.revision());
        assertEquals(digestBefore, StateDigest.of(harness.storage));
        assertFalse(harness.storage.hasPendingWrites());
    }
}
