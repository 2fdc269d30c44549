package io.metastore.node.kv;

import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.codecs.ErrorCode;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.protocol.KeyRanges;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Transactions in the state machine alone: compares, branches, nesting, atomicity and etcd's duplicate key rule.
 */
class TxnStateMachineTest
{
    private static final byte[] EMPTY = new byte[0];

    @TempDir
    File tempDir;

    private final Recorder recorder = new Recorder();
    private RocksDbStorage storage;
    private KvStateMachine stateMachine;

    @BeforeEach
    void before()
    {
        storage = RocksDbStorage.open(tempDir);
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
        stateMachine.leaseGrant(5, 60, 0, recorder);
        put("a", "m");      // revision 1
        put("b", "x");      // revision 2
        put("a", "m", 5);   // revision 3: a has create 1, mod 3, version 2, lease 5, value "m"
    }

    @AfterEach
    void after()
    {
        storage.close();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        "VERSION, EQUAL, 2, true", "VERSION, EQUAL, 1, false", "VERSION, NOT_EQUAL, 1, true",
        "VERSION, GREATER, 1, true", "VERSION, GREATER, 2, false", "VERSION, LESS, 3, true", "VERSION, LESS, 2, false",
        "CREATE, EQUAL, 1, true", "CREATE, NOT_EQUAL, 1, false", "CREATE, GREATER, 0, true", "CREATE, LESS, 1, false",
        "MOD, EQUAL, 3, true", "MOD, NOT_EQUAL, 3, false", "MOD, GREATER, 2, true", "MOD, LESS, 3, false",
        "LEASE, EQUAL, 5, true", "LEASE, NOT_EQUAL, 0, true", "LEASE, GREATER, 5, false", "LEASE, LESS, 6, true",
    })
    void shouldCompareNumericTargets(
        final CompareTarget target, final CompareResult result, final long value, final boolean expected)
    {
        final TxnRequest txn = txn(List.of(compare("a", target, result, value)), List.of(), List.of());

        stateMachine.txn(txn, recorder);

        assertEquals(List.of("txn " + (expected ? "success" : "failure"), "end@3"), tail(2));
    }

    @ParameterizedTest(name = "value {0} {1} -> {2}")
    @CsvSource({
        "EQUAL, m, true", "EQUAL, n, false", "NOT_EQUAL, n, true", "GREATER, l, true", "GREATER, mm, false",
        "LESS, mm, true", "LESS, m, false",
    })
    void shouldCompareValues(final CompareResult result, final String value, final boolean expected)
    {
        final TxnRequest txn = txn(List.of(valueCompare("a", EMPTY, result, value)), List.of(), List.of());

        stateMachine.txn(txn, recorder);

        assertEquals("txn " + (expected ? "success" : "failure"), tail(2).get(0));
    }

    @Test
    void shouldCompareMissingKeyAsZeroesAndNeverByValue()
    {
        stateMachine.txn(txn(List.of(compare("zz", CompareTarget.VERSION, CompareResult.EQUAL, 0)),
            List.of(), List.of()), recorder);
        assertEquals("txn success", tail(2).get(0));

        stateMachine.txn(txn(List.of(valueCompare("zz", EMPTY, CompareResult.NOT_EQUAL, "q")),
            List.of(), List.of()), recorder);
        assertEquals("txn failure", tail(2).get(0));
    }

    @Test
    void shouldRequireEveryKeyOfARangeCompareToHold()
    {
        final TxnCompare allPositive = compare("a", CompareTarget.VERSION, CompareResult.GREATER, 0);
        allPositive.rangeEnd = KeyRanges.fromKey();
        stateMachine.txn(txn(List.of(allPositive), List.of(), List.of()), recorder);
        assertEquals("txn success", tail(2).get(0));

        final TxnCompare allModAbove2 = compare("a", CompareTarget.MOD, CompareResult.GREATER, 2);
        allModAbove2.rangeEnd = bytes("c");
        stateMachine.txn(txn(List.of(allModAbove2), List.of(), List.of()), recorder);
        assertEquals("txn failure", tail(2).get(0), "b has mod revision 2");
    }

    @Test
    void shouldRunSuccessWritesAtOneRevisionWithEachResult()
    {
        final TxnRequest txn = txn(
            List.of(compare("a", CompareTarget.VERSION, CompareResult.EQUAL, 2)),
            List.of(putOp("c", "1"), putOp("d", "2"), rangeOp("c", KeyRanges.fromKey()), deleteOp("b")),
            List.of(putOp("never", "1")));

        stateMachine.txn(txn, recorder);

        assertEquals(List.of(
            "txn success", "put@4[]", "put@4[]", "range@4 count=2 [c, d]", "delete@4 deleted=1", "end@4"), tail(6));
        assertEquals(4, stateMachine.revision());
        range("c");
        assertEquals(4, recorder.kvs.get(0).modRevision());
        range("never");
        assertEquals(0, recorder.count);
    }

    @Test
    void shouldRunFailureBranch()
    {
        final TxnRequest txn = txn(
            List.of(compare("a", CompareTarget.VERSION, CompareResult.EQUAL, 99)),
            List.of(putOp("never", "1")),
            List.of(rangeOp("b", EMPTY)));

        stateMachine.txn(txn, recorder);

        assertEquals(List.of("txn failure", "range@3 count=1 [b]", "end@3"), tail(3));
        assertEquals(3, stateMachine.revision(), "a read-only branch writes nothing");
    }

    @Test
    void shouldNotMoveRevisionWhenNothingChanges()
    {
        stateMachine.txn(txn(List.of(), List.of(deleteOp("nothing")), List.of()), recorder);

        assertEquals(List.of("txn success", "delete@3 deleted=0", "end@3"), tail(3));
        assertEquals(3, stateMachine.revision());
    }

    @Test
    void shouldEvaluateNestedComparesAgainstStateBeforeTheTransaction()
    {
        final TxnRequest inner = txn(
            List.of(valueCompare("a", EMPTY, CompareResult.EQUAL, "m")), List.of(putOp("inner", "yes")), List.of());
        final TxnRequest outer = txn(List.of(), List.of(putOp("a", "changed"), txnOp(inner)), List.of());

        stateMachine.txn(outer, recorder);

        assertEquals(List.of("txn success", "put@4[]", "txn success", "put@4[]", "end@4", "end@4"), tail(6));
        range("inner");
        assertEquals(1, recorder.count);
    }

    @Test
    void shouldChangeNothingWhenALaterOperationIsInvalid()
    {
        final TxnOp leased = putOp("z", "1");
        leased.lease = 404;
        final TxnRequest txn = txn(List.of(), List.of(putOp("c", "1"), deleteOp("b"), leased), List.of());

        stateMachine.txn(txn, recorder);

        assertEquals(ErrorCode.LEASE_NOT_FOUND, recorder.error);
        assertEquals(3, stateMachine.revision());
        range("c");
        assertEquals(0, recorder.count);
        range("b");
        assertEquals(1, recorder.count);
    }

    @Test
    void shouldRefuseReadAtCompactedRevisionInsideTransaction()
    {
        final TxnOp old = rangeOp("a", EMPTY);
        old.revision = 1;
        stateMachine.compact(2, recorder);

        stateMachine.txn(txn(List.of(), List.of(putOp("c", "1"), old), List.of()), recorder);

        assertEquals(ErrorCode.COMPACTED, recorder.error);
        assertEquals(3, stateMachine.revision());
    }

    @Test
    void shouldRefuseKeyPutTwiceOrPutInsideDeletedRange()
    {
        stateMachine.txn(txn(List.of(), List.of(putOp("c", "1"), putOp("c", "2")), List.of()), recorder);
        assertEquals(ErrorCode.DUPLICATE_KEY, recorder.error);

        stateMachine.txn(txn(List.of(), List.of(putOp("c", "1"), deleteOp("a", KeyRanges.fromKey())), List.of()),
            recorder);
        assertEquals(ErrorCode.DUPLICATE_KEY, recorder.error);

        final TxnRequest nested = txn(List.of(), List.of(putOp("c", "1")), List.of());
        stateMachine.txn(txn(List.of(), List.of(putOp("c", "0"), txnOp(nested)), List.of()), recorder);
        assertEquals(ErrorCode.DUPLICATE_KEY, recorder.error);
        assertEquals(3, stateMachine.revision());
    }

    @Test
    void shouldAllowSameKeyInBothBranchesOfNestedTransactionAndOverlappingDeletes()
    {
        final TxnRequest nested = txn(List.of(), List.of(putOp("c", "then")), List.of(putOp("c", "else")));
        stateMachine.txn(txn(List.of(), List.of(txnOp(nested)), List.of()), recorder);
        assertNull(recorder.error);

        stateMachine.txn(txn(List.of(), List.of(deleteOp("a", KeyRanges.fromKey()), deleteOp("b")), List.of()),
            recorder);
        assertNull(recorder.error);
        assertEquals(List.of("txn success", "delete@5 deleted=3", "delete@5 deleted=0", "end@5"), tail(4));
    }

    private List<String> tail(final int count)
    {
        return recorder.events.subList(recorder.events.size() - count, recorder.events.size());
    }

    private void put(final String key, final String value)
    {
        put(key, value, 0);
    }

    private void put(final String key, final String value, final long lease)
    {
        final byte[] valueBytes = bytes(value);
        stateMachine.put(Ops.put(
            bytes(key), new UnsafeBuffer(valueBytes), 0, valueBytes.length, lease, false, false, false), recorder);
        assertNull(recorder.error, recorder.message);
    }

    private void range(final String key)
    {
        stateMachine.range(Ops.range(bytes(key), EMPTY, 0, 0, false, false, false), recorder);
    }

    private static TxnRequest txn(final List<TxnCompare> compares, final List<TxnOp> success, final List<TxnOp> failure)
    {
        final TxnRequest txn = new TxnRequest();
        txn.compares.addAll(compares);
        txn.success.addAll(success);
        txn.failure.addAll(failure);
        return txn;
    }

    private static TxnCompare compare(
        final String key, final CompareTarget target, final CompareResult result, final long value)
    {
        final TxnCompare compare = new TxnCompare();
        compare.key = bytes(key);
        compare.rangeEnd = EMPTY;
        compare.target = target;
        compare.result = result;
        compare.targetValue = value;
        compare.value = EMPTY;
        return compare;
    }

    private static TxnCompare valueCompare(
        final String key, final byte[] rangeEnd, final CompareResult result, final String value)
    {
        final TxnCompare compare = compare(key, CompareTarget.VALUE, result, 0);
        compare.rangeEnd = rangeEnd;
        compare.value = bytes(value);
        return compare;
    }

    private static TxnOp putOp(final String key, final String value)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.PUT;
        op.key = bytes(key);
        op.valueBuffer = new UnsafeBuffer(bytes(value));
        op.valueLength = value.length();
        return op;
    }

    private static TxnOp rangeOp(final String key, final byte[] rangeEnd)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.RANGE;
        op.key = bytes(key);
        op.rangeEnd = rangeEnd;
        return op;
    }

    private static TxnOp deleteOp(final String key)
    {
        return deleteOp(key, EMPTY);
    }

    private static TxnOp deleteOp(final String key, final byte[] rangeEnd)
    {
        final TxnOp op = rangeOp(key, rangeEnd);
        op.type = TxnOp.DELETE_RANGE;
        return op;
    }

    private static TxnOp txnOp(final TxnRequest txn)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.TXN;
        op.txn = txn;
        return op;
    }
}
