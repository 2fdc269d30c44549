package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.protocol.KeyRanges;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvStateMachineTest
{
    private static final byte[] EMPTY = new byte[0];

    @TempDir
    File tempDir;

    private RocksDbStorage storage;
    private KvStateMachine stateMachine;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void before()
    {
        storage = RocksDbStorage.open(tempDir);
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
    }

    @AfterEach
    void after()
    {
        storage.close();
    }

    @Test
    void shouldCreateKeyAtNewRevisionWithVersionOne()
    {
        put("a", "1");

        assertEquals(1, recorder.revision);
        range("a", "");
        assertEquals(1, recorder.count);
        final Recorder.Kv kv = recorder.kvs.get(0);
        assertEquals("a", kv.key());
        assertEquals("1", kv.value());
        assertEquals(1, kv.createRevision());
        assertEquals(1, kv.modRevision());
        assertEquals(1, kv.version());
        assertEquals(0, kv.lease());
    }

    @Test
    void shouldKeepCreateRevisionAndIncrementVersionOnOverwrite()
    {
        put("a", "1");
        put("b", "x");
        put("a", "2");

        range("a", "");
        final Recorder.Kv kv = recorder.kvs.get(0);
        assertEquals("2", kv.value());
        assertEquals(1, kv.createRevision());
        assertEquals(3, kv.modRevision());
        assertEquals(2, kv.version());
        assertEquals(3, stateMachine.revision());
    }

    @Test
    void shouldReturnPreviousPairOnlyWhenAsked()
    {
        put("a", "1");
        stateMachine.put(Ops.put(bytes("a"), buffer("2"), 0, 1, 0, false, false, false), recorder);
        assertTrue(recorder.kvs.isEmpty());

        stateMachine.put(Ops.put(bytes("a"), buffer("3"), 0, 1, 0, true, false, false), recorder);
        assertEquals(1, recorder.kvs.size());
        assertEquals("2", recorder.kvs.get(0).value());
        assertEquals(2, recorder.kvs.get(0).version());

        stateMachine.put(Ops.put(bytes("new"), buffer("v"), 0, 1, 0, true, false, false), recorder);
        assertTrue(recorder.kvs.isEmpty());
    }

    @Test
    void shouldKeepValueWithIgnoreValue()
    {
        put("a", "kept");
        stateMachine.put(Ops.put(bytes("a"), buffer(""), 0, 0, 0, false, true, false), recorder);
        assertNull(recorder.error);

        range("a", "");
        assertEquals("kept", recorder.kvs.get(0).value());
        assertEquals(2, recorder.kvs.get(0).version());
    }

    @Test
    void shouldRefuseIgnoreValueOnMissingKeyOrWithValue()
    {
        stateMachine.put(Ops.put(bytes("missing"), buffer(""), 0, 0, 0, false, true, false), recorder);
        assertEquals(ErrorCode.KEY_NOT_FOUND, recorder.error);

        put("a", "1");
        stateMachine.put(Ops.put(bytes("a"), buffer("v"), 0, 1, 0, false, true, false), recorder);
        assertEquals(ErrorCode.INVALID_ARGUMENT, recorder.error);
        assertEquals(1, stateMachine.revision());
    }

    @Test
    void shouldRefuseLeaseThatDoesNotExistAndChangeNothing()
    {
        stateMachine.put(Ops.put(bytes("a"), buffer("1"), 0, 1, 42, false, false, false), recorder);

        assertEquals(ErrorCode.LEASE_NOT_FOUND, recorder.error);
        assertEquals(0, stateMachine.revision());
        assertFalse(storage.hasPendingWrites());
    }

    @Test
    void shouldRangeOverPrefixFromKeyAndExplicitEnd()
    {
        for (final String key : new String[]{ "a", "ab", "abc", "b", "c" })
        {
            put(key, "v-" + key);
        }

        range("ab", new String(KeyRanges.prefixEnd(bytes("ab")), StandardCharsets.UTF_8));
        assertEquals(List.of("ab", "abc"), recorder.keys());
        assertEquals(2, recorder.count);

        stateMachine.range(Ops.range(bytes("b"), KeyRanges.fromKey(), 0, 0, false, false, false), recorder);
        assertEquals(List.of("b", "c"), recorder.keys());

        range("a", "b");
        assertEquals(List.of("a", "ab", "abc"), recorder.keys());

        range("b", "b");
        assertEquals(List.of(), recorder.keys());
        assertEquals(0, recorder.count);
    }

    @Test
    void shouldLimitAndReportMoreAndCount()
    {
        for (int i = 0; i < 5; i++)
        {
            put("k" + i, "v");
        }

        stateMachine.range(Ops.range(bytes("k"), KeyRanges.prefixEnd(bytes("k")), 2, 0, false, false, false), recorder);
        assertEquals(List.of("k0", "k1"), recorder.keys());
        assertEquals(5, recorder.count);
        assertTrue(recorder.more);

        stateMachine.range(Ops.range(bytes("k"), KeyRanges.prefixEnd(bytes("k")), 5, 0, false, false, false), recorder);
        assertFalse(recorder.more);
    }

    @Test
    void shouldSortDescendingBeforeLimit()
    {
        for (int i = 0; i < 5; i++)
        {
            put("k" + i, "v");
        }

        stateMachine.range(Ops.range(bytes("k1"), bytes("k4"), 2, 0, true, false, false), recorder);
        assertEquals(List.of("k3", "k2"), recorder.keys());
        assertEquals(3, recorder.count);
        assertTrue(recorder.more);

        stateMachine.range(Ops.range(bytes("k"), KeyRanges.fromKey(), 0, 0, true, false, false), recorder);
        assertEquals(List.of("k4", "k3", "k2", "k1", "k0"), recorder.keys());
    }

    @Test
    void shouldReturnKeysOnlyOrCountOnly()
    {
        put("a", "1");
        put("b", "2");

        stateMachine.range(Ops.range(bytes("a"), KeyRanges.fromKey(), 0, 0, false, true, false), recorder);
        assertTrue(recorder.keysOnly);
        assertEquals(2, recorder.kvs.size());

        stateMachine.range(Ops.range(bytes("a"), KeyRanges.fromKey(), 0, 0, false, false, true), recorder);
        assertEquals(2, recorder.count);
        assertTrue(recorder.kvs.isEmpty());
        assertFalse(recorder.more);
    }

    @Test
    void shouldReadPastRevisionsAndRefuseFutureOnes()
    {
        put("a", "1");
        put("a", "2");

        stateMachine.range(Ops.range(bytes("a"), EMPTY, 0, 1, false, false, false), recorder);
        assertNull(recorder.error);
        assertEquals("1", recorder.kvs.get(0).value());
        assertEquals(2, recorder.revision, "the answer reports the current revision, as etcd's");
        stateMachine.range(Ops.range(bytes("a"), EMPTY, 0, 3, false, false, false), recorder);
        assertEquals(ErrorCode.FUTURE_REVISION, recorder.error);
        stateMachine.range(Ops.range(bytes("a"), EMPTY, 0, 2, false, false, false), recorder);
        assertNull(recorder.error);
        assertEquals("2", recorder.kvs.get(0).value());
    }

    @Test
    void shouldDeleteRangeInOneRevision()
    {
        put("a", "1");
        put("b", "2");
        put("c", "3");

        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), bytes("c"), true), recorder);
        assertEquals(2, recorder.deleted);
        assertEquals(4, recorder.revision);
        assertEquals(List.of("a", "b"), recorder.keys());

        range("a", "\0");
        assertEquals(List.of("c"), recorder.keys());
    }

    @Test
    void shouldNotAdvanceRevisionWhenNothingDeleted()
    {
        put("a", "1");
        stateMachine.deleteRange(Ops.deleteRange(bytes("zzz"), EMPTY, false), recorder);

        assertEquals(0, recorder.deleted);
        assertEquals(1, recorder.revision);
        assertEquals(1, stateMachine.revision());
    }

    @Test
    void shouldRecreateDeletedKeyWithNewCreateRevisionAndVersionOne()
    {
        put("a", "1");
        put("a", "2");
        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), EMPTY, false), recorder);
        put("a", "3");

        range("a", "");
        assertEquals(4, recorder.kvs.get(0).createRevision());
        assertEquals(1, recorder.kvs.get(0).version());
    }

    @Test
    void shouldSeeUncommittedWritesAndSurviveCommitAndReopen()
    {
        put("a", "1");
        range("a", "");
        assertEquals(1, recorder.count);

        storage.commit(100, stateMachine.revision());
        storage.close();
        storage = RocksDbStorage.open(tempDir);
        stateMachine = new KvStateMachine(storage, 1024 * 1024);

        assertEquals(100, storage.appliedPosition());
        assertEquals(1, stateMachine.revision());
        range("a", "");
        assertEquals("1", recorder.kvs.get(0).value());
    }

    @Test
    void shouldRebuildKeyIndexFromStorageOnReopen()
    {
        put("a", "1");
        put("a", "2");
        put("b", "1");
        stateMachine.deleteRange(Ops.deleteRange(bytes("b"), EMPTY, false), recorder);
        storage.commit(10, stateMachine.revision());
        storage.close();
        storage = RocksDbStorage.open(tempDir);
        stateMachine = new KvStateMachine(storage, 1024 * 1024);

        assertEquals(1, stateMachine.keyCount());
        put("a", "3");
        put("b", "2");
        range("a", "c");
        assertEquals(3, recorder.kvs.get(0).version());
        assertEquals(1, recorder.kvs.get(0).createRevision());
        assertEquals(1, recorder.kvs.get(1).version());
        assertEquals(6, recorder.kvs.get(1).createRevision());
    }

    @Test
    void shouldBoundRangeResponseButAlwaysReturnOnePair()
    {
        stateMachine = new KvStateMachine(storage, 100);
        final String big = "x".repeat(80);
        put("a", big);
        put("b", big);
        put("c", big);

        stateMachine.range(Ops.range(bytes("a"), KeyRanges.fromKey(), 0, 0, false, false, false), recorder);
        assertEquals(List.of("a"), recorder.keys());
        assertEquals(3, recorder.count);
        assertTrue(recorder.more);
    }

    @Test
    void shouldCountOnlyKeysAndTheirRevisionsAgainstTheBoundWhenValuesAreLeftOut()
    {
        stateMachine = new KvStateMachine(storage, 200);
        final String big = "x".repeat(150);
        put("a", big);
        put("b", big);
        put("c", big);

        stateMachine.range(Ops.range(bytes("a"), KeyRanges.fromKey(), 0, 0, false, true, false), recorder);
        assertEquals(List.of("a", "b", "c"), recorder.keys());
        assertEquals(3, recorder.count);
        assertFalse(recorder.more);

        stateMachine.range(Ops.range(bytes("a"), KeyRanges.fromKey(), 0, 0, false, false, false), recorder);
        assertEquals(List.of("a"), recorder.keys());
        assertTrue(recorder.more);
    }

    @Test
    void shouldRangeKeysOnlyOverTheBoundInValues()
    {
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
        final String big = "x".repeat(600 * 1024);
        put("p/1", big);
        put("p/2", big);
        put("p/3", big);

        stateMachine.range(Ops.range(bytes("p/"), bytes("p0"), 0, 0, false, true, false), recorder);
        assertEquals(List.of("p/1", "p/2", "p/3"), recorder.keys());
        assertFalse(recorder.more);
    }

    @Test
    void shouldRefuseDeleteWhosePreviousPairsExceedResponseBound()
    {
        stateMachine = new KvStateMachine(storage, 100);
        put("a", "x".repeat(80));
        put("b", "x".repeat(80));

        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), KeyRanges.fromKey(), true), recorder);
        assertEquals(ErrorCode.RESPONSE_TOO_LARGE, recorder.error);
        assertEquals(2, stateMachine.revision());

        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), KeyRanges.fromKey(), false), recorder);
        assertEquals(2, recorder.deleted);
    }

    @Test
    void shouldStopARangeAndRefuseADeleteWithPreviousPairsAtTheLargestResponseGroup()
    {
        stateMachine = new KvStateMachine(storage, Long.MAX_VALUE);
        final int keys = KvStateMachine.MAX_LIST_ENTRIES + 1;
        for (int i = 0; i < keys; i++)
        {
            stateMachine.put(Ops.put(bytes("k" + i), buffer(""), 0, 0, 0, false, false, false), recorder);
        }

        stateMachine.range(Ops.range(bytes("k"), KeyRanges.fromKey(), 0, 0, false, true, false), recorder);
        assertEquals(KvStateMachine.MAX_LIST_ENTRIES, recorder.kvs.size());
        assertEquals(keys, recorder.count);
        assertTrue(recorder.more);

        stateMachine.deleteRange(Ops.deleteRange(bytes("k"), KeyRanges.fromKey(), true), recorder);
        assertEquals(ErrorCode.RESPONSE_TOO_LARGE, recorder.error);
        assertEquals(keys, stateMachine.keyCount());
    }

    private void put(final String key, final String value)
    {
        final byte[] valueBytes = bytes(value);
        stateMachine.put(Ops.put(
            bytes(key), new UnsafeBuffer(valueBytes), 0, valueBytes.length, 0, false, false, false), recorder);
        assertNull(recorder.error, recorder.message);
    }

    private void range(final String key, final String rangeEnd)
    {
        stateMachine.range(Ops.range(bytes(key), bytes(rangeEnd), 0, 0, false, false, false), recorder);
        assertNull(recorder.error, recorder.message);
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(bytes(text));
    }
}
