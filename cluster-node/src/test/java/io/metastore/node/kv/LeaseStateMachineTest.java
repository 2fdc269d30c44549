package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.lease.LeaseLimits;
import io.metastore.node.lease.LeaseTimers;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.protocol.KeyRanges;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases in the state machine alone, with cluster time passed in by the test and the timers it asks for recorded.
 */
class LeaseStateMachineTest
{
    private static final LeaseLimits LIMITS = new LeaseLimits(2, 1000, 3, 2);

    @TempDir
    File tempDir;

    private final Recorder recorder = new Recorder();
    private final RecordingTimers timers = new RecordingTimers();
    private RocksDbStorage storage;
    private KvStateMachine stateMachine;

    @BeforeEach
    void before()
    {
        storage = RocksDbStorage.open(tempDir);
        stateMachine = new KvStateMachine(storage, 1024 * 1024, LIMITS, timers);
    }

    @AfterEach
    void after()
    {
        storage.close();
    }

    @Test
    void shouldGrantRequestedIdAndScheduleExpiryAtTtl()
    {
        stateMachine.leaseGrant(0x1234, 10, 5_000, recorder);

        assertNull(recorder.error);
        assertEquals(0x1234, recorder.leaseId);
        assertEquals(10, recorder.ttl);
        assertEquals(15_000, timers.deadlines.get(0x1234));
        assertEquals(0, stateMachine.revision(), "a grant is not a write to the key space");
    }

    @Test
    void shouldPickTheSameIdOnEveryReplica() throws Exception
    {
        stateMachine.leaseGrant(0, 10, 0, recorder);
        final long first = recorder.leaseId;
        stateMachine.leaseGrant(0, 10, 0, recorder);
        final long second = recorder.leaseId;

        try (RocksDbStorage otherStorage = RocksDbStorage.open(new File(tempDir, "replica")))
        {
            final KvStateMachine replica = new KvStateMachine(otherStorage, 1024, LIMITS, LeaseTimers.NONE);
            replica.leaseGrant(0, 10, 0, recorder);
            assertEquals(first, recorder.leaseId);
            replica.leaseGrant(0, 10, 0, recorder);
            assertEquals(second, recorder.leaseId);
        }
        assertTrue(first > 0 && second > 0);
        assertNotEquals(first, second);
    }

    @Test
    void shouldRaiseTtlBelowMinimumAndRefuseOutOfRange()
    {
        stateMachine.leaseGrant(1, 1, 0, recorder);
        assertEquals(2, recorder.ttl);

        stateMachine.leaseGrant(2, 0, 0, recorder);
        assertEquals(ErrorCode.TTL_OUT_OF_RANGE, recorder.error);
        stateMachine.leaseGrant(2, 1001, 0, recorder);
        assertEquals(ErrorCode.TTL_OUT_OF_RANGE, recorder.error);
        assertEquals(1, stateMachine.leaseCount());
    }

    @Test
    void shouldRefuseExistingIdAndTooManyLeases()
    {
        stateMachine.leaseGrant(1, 10, 0, recorder);
        stateMachine.leaseGrant(1, 10, 0, recorder);
        assertEquals(ErrorCode.LEASE_EXISTS, recorder.error);

        stateMachine.leaseGrant(2, 10, 0, recorder);
        stateMachine.leaseGrant(3, 10, 0, recorder);
        stateMachine.leaseGrant(4, 10, 0, recorder);
        assertEquals(ErrorCode.LEASE_LIMIT_EXCEEDED, recorder.error);
        assertEquals(3, stateMachine.leaseCount());
    }

    @Test
    void shouldAttachOnPutWithLeaseAndDetachOnPutWithout()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        put("a", "1", 7, false);
        put("b", "1", 7, false);
        range("a");
        assertEquals(7, recorder.kvs.get(0).lease());

        put("a", "2", 0, false);
        range("a");
        assertEquals(0, recorder.kvs.get(0).lease());

        stateMachine.leaseTimeToLive(7, true, 0, recorder);
        assertEquals(List.of("b"), recorder.leaseKeys);
    }

    @Test
    void shouldKeepLeaseWithIgnoreLease()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        put("a", "1", 7, false);
        put("a", "2", 0, true);

        range("a");
        assertEquals("2", recorder.kvs.get(0).value());
        assertEquals(7, recorder.kvs.get(0).lease());
    }

    @Test
    void shouldRefusePutWithUnknownLeaseOrOverKeyLimit()
    {
        putExpectingError("a", 99, ErrorCode.LEASE_NOT_FOUND);

        stateMachine.leaseGrant(7, 10, 0, recorder);
        put("a", "1", 7, false);
        put("b", "1", 7, false);
        put("a", "again", 7, false);
        putExpectingError("c", 7, ErrorCode.KEY_LIMIT_EXCEEDED);
        assertEquals(3, stateMachine.revision());
        assertEquals(2, stateMachine.keyCount());
    }

    @Test
    void shouldCountEveryAttachmentOfATransactionAgainstTheKeyLimit()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        put("a", "1", 7, false);
        final TxnRequest txn = new TxnRequest();
        txn.success.add(leasedPut("b", 7));
        txn.success.add(leasedPut("c", 7));

        stateMachine.txn(txn, recorder);

        assertEquals(ErrorCode.KEY_LIMIT_EXCEEDED, recorder.error);
        assertEquals(1, stateMachine.keyCount());
        final TxnRequest fits = new TxnRequest();
        fits.success.add(leasedPut("a", 7));
        fits.success.add(leasedPut("b", 7));
        stateMachine.txn(fits, recorder);
        assertNull(recorder.error, "a key already attached does not count again");
        assertEquals(2, stateMachine.keyCount());
    }

    private static TxnOp leasedPut(final String key, final long lease)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.PUT;
        op.key = bytes(key);
        op.valueBuffer = new UnsafeBuffer(new byte[1]);
        op.valueLength = 1;
        op.lease = lease;
        return op;
    }

    @Test
    void shouldDeleteAttachedKeysInOneRevisionOnRevoke()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        put("a", "1", 7, false);
        put("b", "1", 7, false);
        put("c", "1", 0, false);

        stateMachine.leaseRevoke(7, recorder);

        assertNull(recorder.error);
        assertEquals(4, recorder.revision);
        assertEquals(1, stateMachine.keyCount());
        assertTrue(timers.cancelled.contains(7L));
        stateMachine.leaseRevoke(7, recorder);
        assertEquals(ErrorCode.LEASE_NOT_FOUND, recorder.error);
    }

    @Test
    void shouldNotMoveRevisionWhenRevokedLeaseHasNoKeys()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        stateMachine.leaseRevoke(7, recorder);

        assertEquals(0, recorder.revision);
        assertEquals(0, stateMachine.leaseCount());
    }

    @Test
    void shouldForgetDeletedKeysSoTheyAreNotDeletedAgainOnExpiry()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        put("a", "1", 7, false);
        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), new byte[0], false), recorder);
        put("a", "unleased", 0, false);

        assertTrue(stateMachine.onLeaseTimer(7, 10_000));
        range("a");
        assertEquals(1, recorder.count);
    }

    @Test
    void shouldRenewToFullTtlOnKeepAliveAndReportRemaining()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        stateMachine.leaseTimeToLive(7, false, 4_000, recorder);
        assertEquals(6, recorder.ttl);
        assertEquals(10, recorder.grantedTtl);

        stateMachine.leaseKeepAlive(7, 4_000, recorder);
        assertEquals(10, recorder.ttl);
        assertEquals(14_000, timers.deadlines.get(7));
        stateMachine.leaseTimeToLive(7, false, 4_500, recorder);
        assertEquals(9, recorder.ttl);

        stateMachine.leaseKeepAlive(8, 4_000, recorder);
        assertEquals(ErrorCode.LEASE_NOT_FOUND, recorder.error);
    }

    @Test
    void shouldAnswerTimeToLiveOfMissingLeaseWithMinusOne()
    {
        stateMachine.leaseTimeToLive(42, true, 0, recorder);

        assertNull(recorder.error);
        assertEquals(-1, recorder.ttl);
    }

    @Test
    void shouldExpireAtDeadlineOnlyAndIgnoreStaleTimer()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        put("a", "1", 7, false);
        stateMachine.leaseKeepAlive(7, 5_000, recorder);

        assertFalse(stateMachine.onLeaseTimer(7, 10_000), "the timer of the deadline before the keep-alive");
        assertEquals(1, stateMachine.keyCount());

        assertTrue(stateMachine.onLeaseTimer(7, 15_000));
        assertEquals(0, stateMachine.keyCount());
        assertEquals(0, stateMachine.leaseCount());
        assertEquals(2, stateMachine.revision());
        assertFalse(stateMachine.onLeaseTimer(7, 20_000));
    }

    @Test
    void shouldGiveEveryLeaseItsFullTtlOnNewTermAndScheduleAgain()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        stateMachine.leaseGrant(8, 100, 0, recorder);
        timers.deadlines.clear();

        stateMachine.onNewLeadershipTerm(9_000);

        assertEquals(19_000, timers.deadlines.get(7));
        assertEquals(109_000, timers.deadlines.get(8));
        assertFalse(stateMachine.onLeaseTimer(7, 10_000));
    }

    @Test
    void shouldListLeasesAscending()
    {
        stateMachine.leaseGrant(9, 10, 0, recorder);
        stateMachine.leaseGrant(3, 10, 0, recorder);

        stateMachine.leaseList(recorder);

        assertEquals(List.of(3L, 9L), recorder.leaseIds);
    }

    @Test
    void shouldKeepLeasesAttachmentsAndSequenceAcrossReload()
    {
        stateMachine.leaseGrant(7, 10, 0, recorder);
        stateMachine.leaseGrant(0, 10, 0, recorder);
        final long picked = recorder.leaseId;
        put("a", "1", 7, false);
        storage.commit(100, stateMachine.revision());
        storage.close();

        storage = RocksDbStorage.open(tempDir);
        stateMachine = new KvStateMachine(storage, 1024 * 1024, LIMITS, timers);
        stateMachine.leaseTimeToLive(7, true, 1_000, recorder);
        assertEquals(9, recorder.ttl);
        assertEquals(List.of("a"), recorder.leaseKeys);
        stateMachine.leaseGrant(0, 10, 0, recorder);
        assertNotEquals(picked, recorder.leaseId, "the id sequence continues");

        stateMachine.leaseRevoke(7, recorder);
        stateMachine.range(Ops.range(bytes("a"), KeyRanges.fromKey(), 0, 0, false, false, false), recorder);
        assertEquals(0, recorder.count);
    }

    private void put(final String key, final String value, final long lease, final boolean ignoreLease)
    {
        final byte[] valueBytes = bytes(value);
        stateMachine.put(Ops.put(
            bytes(key), new UnsafeBuffer(valueBytes), 0, valueBytes.length, lease, false, false, ignoreLease),
            recorder);
        assertNull(recorder.error, recorder.message);
    }

    private void putExpectingError(final String key, final long lease, final ErrorCode expected)
    {
        stateMachine.put(Ops.put(
            bytes(key), new UnsafeBuffer(new byte[1]), 0, 1, lease, false, false, false), recorder);
        assertEquals(expected, recorder.error);
    }

    private void range(final String key)
    {
        stateMachine.range(Ops.range(bytes(key), new byte[0], 0, 0, false, false, false), recorder);
        assertNull(recorder.error, recorder.message);
    }

    static final class RecordingTimers implements LeaseTimers
    {
        final Long2LongHashMap deadlines = new Long2LongHashMap(-1);
        final List<Long> cancelled = new ArrayList<>();

        public void schedule(final long leaseId, final long deadlineMs)
        {
            deadlines.put(leaseId, deadlineMs);
        }

        public void cancel(final long leaseId)
        {
            deadlines.remove(leaseId);
            cancelled.add(leaseId);
        }
    }
}
