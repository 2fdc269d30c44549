package io.metastore.node.kv;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.codecs.ErrorCode;
import io.metastore.node.alarm.Alarm;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alarms in the state machine alone: etcd's activate, deactivate and get, and what a NOSPACE alarm refuses.
 */
class AlarmStateMachineTest
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
        put("a", "1", 5);   // revision 1
        put("b", "2", 0);   // revision 2
        storage.commit(100, stateMachine.revision());
    }

    @AfterEach
    void after()
    {
        storage.close();
    }

    @Test
    void shouldListNoAlarmsAtFirst()
    {
        alarm(AlarmAction.GET, 0, AlarmType.NONE);

        assertNull(recorder.error);
        assertEquals(List.of(), recorder.alarms);
        assertFalse(stateMachine.isNoSpace());
    }

    @Test
    void shouldActivateWithoutConsumingARevision()
    {
        alarm(AlarmAction.ACTIVATE, 2, AlarmType.NOSPACE);

        assertEquals(List.of(new Alarm(2, AlarmType.NOSPACE)), recorder.alarms);
        assertEquals(2, recorder.revision);
        assertEquals(2, stateMachine.revision());
        assertTrue(stateMachine.isNoSpace());
        alarm(AlarmAction.GET, 0, AlarmType.NONE);
        assertEquals(List.of(new Alarm(2, AlarmType.NOSPACE)), recorder.alarms);
    }

    @Test
    void shouldActivateAnActiveAlarmAgainWithoutError()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE);
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE);

        assertNull(recorder.error);
        assertEquals(List.of(new Alarm(1, AlarmType.NOSPACE)), recorder.alarms);
        alarm(AlarmAction.GET, 0, AlarmType.NONE);
        assertEquals(1, recorder.alarms.size());
    }

    @Test
    void shouldListAlarmsOrderedByMemberAndFilteredByType()
    {
        alarm(AlarmAction.ACTIVATE, 2, AlarmType.NOSPACE);
        alarm(AlarmAction.ACTIVATE, 0, AlarmType.CORRUPT);
        alarm(AlarmAction.ACTIVATE, 0, AlarmType.NOSPACE);

        alarm(AlarmAction.GET, 0, AlarmType.NONE);
        assertEquals(List.of(
            new Alarm(0, AlarmType.NOSPACE), new Alarm(0, AlarmType.CORRUPT), new Alarm(2, AlarmType.NOSPACE)),
            recorder.alarms);

        alarm(AlarmAction.GET, 0, AlarmType.CORRUPT);
        assertEquals(List.of(new Alarm(0, AlarmType.CORRUPT)), recorder.alarms);
    }

    @Test
    void shouldActivateNothingForTypeNone()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NONE);

        assertNull(recorder.error);
        assertEquals(List.of(), recorder.alarms);
        alarm(AlarmAction.GET, 0, AlarmType.NONE);
        assertEquals(List.of(), recorder.alarms);
    }

    @Test
    void shouldDeactivateOneAlarmAndAnswerIt()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE);
        alarm(AlarmAction.ACTIVATE, 2, AlarmType.NOSPACE);

        alarm(AlarmAction.DEACTIVATE, 1, AlarmType.NOSPACE);

        assertEquals(List.of(new Alarm(1, AlarmType.NOSPACE)), recorder.alarms);
        assertTrue(stateMachine.isNoSpace(), "member 2's alarm is still active");
        alarm(AlarmAction.GET, 0, AlarmType.NONE);
        assertEquals(List.of(new Alarm(2, AlarmType.NOSPACE)), recorder.alarms);
    }

    @Test
    void shouldDeactivateAnInactiveAlarmWithoutError()
    {
        alarm(AlarmAction.DEACTIVATE, 1, AlarmType.NOSPACE);

        assertNull(recorder.error);
        assertEquals(List.of(), recorder.alarms);
        assertFalse(storage.hasPendingWrites(), "nothing changed");
    }

    @Test
    void shouldDeactivateEveryAlarmForTypeNone()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE);
        alarm(AlarmAction.ACTIVATE, 2, AlarmType.CORRUPT);

        alarm(AlarmAction.DEACTIVATE, 0, AlarmType.NONE);

        assertEquals(List.of(new Alarm(1, AlarmType.NOSPACE), new Alarm(2, AlarmType.CORRUPT)), recorder.alarms);
        assertFalse(stateMachine.isNoSpace());
        alarm(AlarmAction.GET, 0, AlarmType.NONE);
        assertEquals(List.of(), recorder.alarms);
    }

    @Test
    void shouldRefusePutsTxnPutsAndLeaseGrantsUnderNoSpaceChangingNothing()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE);
        storage.commit(200, stateMachine.revision());
        final String digest = StateDigest.of(storage);

        putRefused("c", "3");
        assertRefused(() -> stateMachine.txn(txn(List.of(putOp("c", "3")), List.of()), recorder));
        // etcd refuses a transaction with a put in either branch, even when the branch that would run has none.
        assertRefused(() -> stateMachine.txn(txn(List.of(rangeOp("a")), List.of(putOp("c", "3"))), recorder));
        assertRefused(() -> stateMachine.txn(
            txn(List.of(), List.of(txnOp(txn(List.of(putOp("c", "3")), List.of())))), recorder));
        assertRefused(() -> stateMachine.leaseGrant(6, 60, 0, recorder));

        assertEquals(2, stateMachine.revision());
        assertEquals(1, stateMachine.leaseCount());
        assertFalse(storage.hasPendingWrites());
        assertEquals(digest, StateDigest.of(storage));
    }

    @Test
    void shouldAllowReadsDeletesReadOnlyTxnsAndOtherLeaseRequestsUnderNoSpace()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE);

        stateMachine.range(Ops.range(bytes("a"), EMPTY, 0, 0, false, false, false), recorder);
        assertNull(recorder.error);
        assertEquals(1, recorder.count);

        stateMachine.txn(txn(List.of(rangeOp("a"), deleteOp("b")), List.of(rangeOp("b"))), recorder);
        assertNull(recorder.error);
        assertEquals(3, recorder.revision, "the txn deleted b");

        stateMachine.leaseKeepAlive(5, 1_000, recorder);
        assertNull(recorder.error);
        stateMachine.leaseTimeToLive(5, true, 1_000, recorder);
        assertNull(recorder.error);
        stateMachine.leaseList(recorder);
        assertEquals(List.of(5L), recorder.leaseIds);

        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), EMPTY, false), recorder);
        assertNull(recorder.error);
        assertEquals(1, recorder.deleted);

        stateMachine.leaseRevoke(5, recorder);
        assertNull(recorder.error);
        assertEquals(0, stateMachine.leaseCount());
    }

    @Test
    void shouldNotRefuseWritesUnderCorruptAlone()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.CORRUPT);

        assertFalse(stateMachine.isNoSpace());
        putRefusedOrNot("c", "3", null);
    }

    @Test
    void shouldAcceptWritesAgainOnceDeactivated()
    {
        alarm(AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE);
        putRefused("c", "3");

        alarm(AlarmAction.DEACTIVATE, 1, AlarmType.NOSPACE);

        putRefusedOrNot("c", "3", null);
        assertEquals(3, stateMachine.revision());
    }

    @Test
    void shouldKeepAlarmsInStorageAcrossAReload()
    {
        alarm(AlarmAction.ACTIVATE, 7, AlarmType.NOSPACE);
        storage.commit(200, stateMachine.revision());
        final String digestWith = StateDigest.of(storage);

        final KvStateMachine reloaded = new KvStateMachine(storage, 1024 * 1024);
        assertTrue(reloaded.isNoSpace());
        reloaded.alarm(AlarmAction.GET, 0, AlarmType.NONE, recorder);
        assertEquals(List.of(new Alarm(7, AlarmType.NOSPACE)), recorder.alarms);

        reloaded.alarm(AlarmAction.DEACTIVATE, 7, AlarmType.NOSPACE, recorder);
        storage.commit(300, reloaded.revision());
        assertNotEquals(digestWith, StateDigest.of(storage), "the digest covers the alarms");
    }

    private void alarm(final AlarmAction action, final long memberId, final AlarmType type)
    {
        stateMachine.alarm(action, memberId, type, recorder);
    }

    private void putRefused(final String key, final String value)
    {
        putRefusedOrNot(key, value, ErrorCode.NO_SPACE);
    }

    private void putRefusedOrNot(final String key, final String value, final ErrorCode expected)
    {
        final byte[] valueBytes = bytes(value);
        stateMachine.put(Ops.put(
            bytes(key), new UnsafeBuffer(valueBytes), 0, valueBytes.length, 0, false, false, false), recorder);
        assertEquals(expected, recorder.error, recorder.message);
        if (null != expected)
        {
            assertEquals(KvStateMachine.NO_SPACE_MESSAGE, recorder.message);
        }
    }

    private void assertRefused(final Runnable request)
    {
        request.run();
        assertEquals(ErrorCode.NO_SPACE, recorder.error);
        assertEquals("etcdserver: mvcc: database space exceeded", recorder.message);
    }

    private void put(final String key, final String value, final long lease)
    {
        final byte[] valueBytes = bytes(value);
        stateMachine.put(Ops.put(
            bytes(key), new UnsafeBuffer(valueBytes), 0, valueBytes.length, lease, false, false, false), recorder);
        assertNull(recorder.error, recorder.message);
    }

    private static TxnRequest txn(final List<TxnOp> success, final List<TxnOp> failure)
    {
        final TxnRequest txn = new TxnRequest();
        final TxnCompare compare = new TxnCompare();
        compare.key = bytes("a");
        compare.rangeEnd = EMPTY;
        compare.target = CompareTarget.VERSION;
        compare.result = CompareResult.GREATER;
        compare.targetValue = 0;
        compare.value = EMPTY;
        txn.compares.add(compare);
        txn.success.addAll(success);
        txn.failure.addAll(failure);
        return txn;
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

    private static TxnOp rangeOp(final String key)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.RANGE;
        op.key = bytes(key);
        op.rangeEnd = EMPTY;
        return op;
    }

    private static TxnOp deleteOp(final String key)
    {
        final TxnOp op = rangeOp(key);
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
