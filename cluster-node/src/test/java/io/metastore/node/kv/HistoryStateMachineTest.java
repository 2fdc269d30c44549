package io.metastore.node.kv;

import io.aeron.cluster.client.ClusterException;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.SnapshotBeginEncoder;
import io.metastore.codecs.SnapshotChunkDecoder;
import io.metastore.codecs.SnapshotChunkEncoder;
import io.metastore.codecs.SnapshotEndEncoder;
import io.metastore.codecs.SnapshotHistoryEncoder;
import io.metastore.codecs.SnapshotLeasesEncoder;
import io.metastore.node.snapshot.SnapshotLoader;
import io.metastore.node.snapshot.SnapshotWriter;
import io.metastore.node.storage.ChangeChunk;
import io.metastore.node.storage.CommittedState;
import io.metastore.node.storage.CommittedView;
import io.metastore.node.storage.HistoryHash;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import io.metastore.protocol.KeyRanges;
import io.metastore.test.Tests;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History as etcd's MVCC keeps it: a read at any kept revision answers as a read at the current revision did when
 * it was current; compaction, by request and automatic, refuses only what it should; the changes of a span of
 * revisions rebuild every state in between.
 */
class HistoryStateMachineTest
{
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ALL = {0};
    private static final long[] LEASES = {0, 7, 8};
    private static final String[] KEYS = {"a", "a\0", "a\0b", "ab", "b", "b/1", "b/2", "c", "d\0", "zz"};

    @TempDir
    File tempDir;

    private RocksDbStorage storage;
    private KvStateMachine stateMachine;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void before()
    {
        storage = RocksDbStorage.open(new File(tempDir, "store"));
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
    }

    @AfterEach
    void after()
    {
        storage.close();
    }

    @Test
    void shouldAnswerEveryPastRevisionAsTheCurrentRevisionWasAnsweredThen()
    {
        for (int seed = 1; seed <= 6; seed++)
        {
            after();
            storage = RocksDbStorage.open(new File(tempDir, "seed-" + seed));
            stateMachine = new KvStateMachine(storage, 1024 * 1024);
            final Map<Long, List<String>> answersThen = runRandomHistory(seed);

            for (final Map.Entry<Long, List<String>> then : answersThen.entrySet())
            {
                assertEquals(then.getValue(), answersAt(then.getKey()), "seed " + seed + " revision " + then.getKey());
            }
        }
    }

    @Test
    void shouldHashTheKeptHistoryAlikeWhateverRemovalHasReached()
    {
        runRandomHistory(13);
        final long current = stateMachine.revision();
        final long compactAt = current / 3;
        final long beforeCompaction = hashAt(current);
        stateMachine.compact(compactAt, recorder);
        storage.commit(2_000, current);
        final Map<Long, Long> hashes = new HashMap<>();
        for (long revision = compactAt; revision <= current; revision++)
        {
            hashes.put(revision, hashAt(revision));
        }
        assertNotEquals(beforeCompaction, hashes.get(current), "compaction changes what is kept");
        assertNotEquals(hashes.get(current - 1), hashes.get(current));

        while (storage.removedRevision() < compactAt)
        {
            storage.compactStep(50);
        }
        for (long revision = compactAt; revision <= current; revision++)
        {
            assertEquals(hashes.get(revision), hashAt(revision), "revision " + revision + " after removal");
        }
    }

    @Test
    void shouldLoadASnapshotIntoAnEmptyStoreThatAnswersAsTheStoreItWasTakenFrom()
    {
        // Changes larger than the buffers a snapshot reads and rebuilds chunks in at first, below and above the
        // compacted revision.
        final String big = "b".repeat(200_000);
        stateMachine.put(Ops.put(bytes("big"), value(big), 0, big.length(), 0, false, false, false), recorder);
        storage.commit(1, stateMachine.revision());
        final Map<Long, List<String>> answersThen = runRandomHistory(17);
        stateMachine.put(Ops.put(bytes("big"), value(big + "2"), 0, big.length() + 1, 0, false, false, false),
            recorder);
        storage.commit(1_001, stateMachine.revision());
        final long current = stateMachine.revision();
        final long compactAt = current / 3;
        stateMachine.compact(compactAt, recorder);
        storage.commit(2_000, current);
        // Removal has not started: chunks at or below the compacted revision still hold changes compaction hides,
        // which the snapshot leaves out; the chunks above it are copied as they are.
        final List<byte[]> snapshot = snapshotOf(storage);
        try (CommittedView view = storage.openCommittedView())
        {
            assertArrayEquals(snapshot.toArray(), snapshotOf(view).toArray(), "a saved snapshot is the same");
        }
        final long[] kept = new long[1];
        storage.forEachKeptChange((revision, subRevision, timestampMs, key, record) -> ++kept[0] > 0);
        assertEquals(kept[0], changesIn(snapshot), "the kept changes, and none that compaction hides");
        final String digest = StateDigest.of(storage);
        final Map<Long, Long> hashes = new HashMap<>();
        for (long revision = compactAt; revision <= current; revision++)
        {
            hashes.put(revision, hashAt(revision));
        }
        final List<Recorder.Change> changes = changesFrom(compactAt + 1);

        for (final List<byte[]> records : List.of(snapshot, format5SnapshotOf(storage)))
        {
            after();
            final String name = records == snapshot ? "loaded-format-6" : "loaded-format-5";
            storage = RocksDbStorage.open(new File(tempDir, name));
            assertEquals(0, storage.appliedPosition());
            load(records);
            assertEquals(2_000, storage.appliedPosition(), "loaded");
            stateMachine = new KvStateMachine(storage, 1024 * 1024);
            assertEquals(digest, StateDigest.of(storage));
            assertEquals(current, stateMachine.revision());
            assertEquals(compactAt, stateMachine.compactedRevision());
            for (long revision = compactAt; revision <= current; revision++)
            {
                assertEquals(hashes.get(revision), hashAt(revision), "revision " + revision);
            }
            for (final Map.Entry<Long, List<String>> then : answersThen.entrySet())
            {
                if (then.getKey() >= compactAt)
                {
                    assertEquals(then.getValue(), answersAt(then.getKey()), "revision " + then.getKey());
                }
            }
            assertEquals(changes, changesFrom(compactAt + 1));
            if (records == snapshot)
            {
                assertArrayEquals(snapshot.toArray(), snapshotOf(storage).toArray(), "a snapshot of what it loaded");
            }
        }
    }

    @Test
    void shouldRefuseASnapshotWhoseChunksAreOutOfOrderAndKeepNothingOfIt()
    {
        // Over a MiB of chunks, so that the loader has written some before the one it refuses.
        final String value = "v".repeat(1000);
        for (int i = 0; i < 3000; i++)
        {
            stateMachine.put(Ops.put(bytes("key-" + (i % 50)), value(value), 0, value.length(), 0, false, false, false),
                recorder);
            if (i % 10 == 9)
            {
                storage.commit(i + 1, stateMachine.revision());
            }
        }
        final List<byte[]> snapshot = snapshotOf(storage);
        final int last = lastChunkIndex(snapshot);
        assertTrue(last > 300, "chunks: " + last);

        final List<List<byte[]>> refusedSnapshots = new ArrayList<>();
        // The last chunk's key names a revision after its first change.
        final List<byte[]> wrongKey = copyOf(snapshot);
        final UnsafeBuffer keyOf = new UnsafeBuffer(wrongKey.get(last));
        final int keyOffset = MessageHeaderDecoder.ENCODED_LENGTH + Integer.BYTES;
        keyOf.putLong(keyOffset, keyOf.getLong(keyOffset, ByteOrder.BIG_ENDIAN) + 1, ByteOrder.BIG_ENDIAN);
        refusedSnapshots.add(wrongKey);
        // The last two chunks swapped; a chunk twice.
        final List<byte[]> swapped = copyOf(snapshot);
        swapped.set(last, snapshot.get(last - 1));
        swapped.set(last - 1, snapshot.get(last));
        refusedSnapshots.add(swapped);
        final List<byte[]> repeated = copyOf(snapshot);
        repeated.add(last, snapshot.get(last - 1));
        refusedSnapshots.add(repeated);
        // A chunk that holds no change, under the key of the last one.
        final List<byte[]> empty = copyOf(snapshot);
        final ExpandableArrayBuffer emptyChunk = new ExpandableArrayBuffer();
        final SnapshotChunkEncoder encoder = new SnapshotChunkEncoder()
            .wrapAndApplyHeader(emptyChunk, 0, new MessageHeaderEncoder())
            .putKey(new UnsafeBuffer(snapshot.get(last)), keyOffset, Long.BYTES + Integer.BYTES)
            .putChanges(new byte[0], 0, 0);
        empty.add(last + 1, Arrays.copyOf(emptyChunk.byteArray(),
            MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()));
        refusedSnapshots.add(empty);

        after();
        for (int i = 0; i < refusedSnapshots.size(); i++)
        {
            final File dir = new File(tempDir, "refused-" + i);
            storage = RocksDbStorage.open(dir);
            final List<byte[]> refusedSnapshot = refusedSnapshots.get(i);
            final ClusterException refused = assertThrows(ClusterException.class, () -> load(refusedSnapshot));
            assertTrue(refused.getMessage().contains(3 == i ? "holds no change" : "out of order"),
                refused.getMessage());
            after();

            storage = RocksDbStorage.open(dir);
            final long[] changes = new long[1];
            storage.forEachKeptChange((revision, subRevision, timestampMs, key, record) -> ++changes[0] > 0);
            assertEquals(0, changes[0], "no history left of snapshot " + i);
            assertEquals(0, storage.liveKeyCount(), "no keys left of snapshot " + i);
            assertEquals(0, storage.appliedRevision());
            after();
        }
        storage = RocksDbStorage.open(new File(tempDir, "loaded"));
        load(snapshot);
        assertEquals(50, storage.liveKeyCount(), "the snapshot as taken loads");
    }

    private static int lastChunkIndex(final List<byte[]> snapshot)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int last = -1;
        for (int i = 0; i < snapshot.size(); i++)
        {
            header.wrap(new UnsafeBuffer(snapshot.get(i)), 0);
            if (SnapshotChunkDecoder.TEMPLATE_ID == header.templateId())
            {
                last = i;
            }
        }
        return last;
    }

    private static List<byte[]> copyOf(final List<byte[]> records)
    {
        final List<byte[]> copy = new ArrayList<>();
        for (final byte[] record : records)
        {
            copy.add(record.clone());
        }
        return copy;
    }

    private static long changesIn(final List<byte[]> snapshot)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final SnapshotChunkDecoder chunk = new SnapshotChunkDecoder();
        final ChangeChunk.Reader reader = new ChangeChunk.Reader();
        long count = 0;
        for (final byte[] record : snapshot)
        {
            header.wrap(new UnsafeBuffer(record), 0);
            if (SnapshotChunkDecoder.TEMPLATE_ID == header.templateId())
            {
                chunk.wrapAndApplyHeader(new UnsafeBuffer(record), 0, header);
                chunk.skipKey();
                final byte[] changes = new byte[chunk.changesLength()];
                chunk.getChanges(changes, 0, changes.length);
                reader.wrap(changes);
                while (reader.next())
                {
                    count++;
                }
            }
        }
        return count;
    }

    private List<Recorder.Change> changesFrom(final long from)
    {
        final List<Recorder.Change> changes = new ArrayList<>();
        long next = from;
        while (next <= stateMachine.revision())
        {
            stateMachine.changes(Ops.range(ALL, ALL, 7, 0, false, false, false), next, 0, recorder);
            assertNull(recorder.error);
            changes.addAll(recorder.changes);
            next = recorder.nextRevision;
        }
        return changes;
    }

    private static List<byte[]> snapshotOf(final CommittedState state)
    {
        final List<byte[]> records = new ArrayList<>();
        new SnapshotWriter(256, new NoOpIdleStrategy()).write((buffer, offset, length) ->
        {
            final byte[] record = new byte[length];
            buffer.getBytes(offset, record);
            records.add(record);
        }, state);
        return records;
    }

    /**
     * The layout snapshots had before this version (format 5): the kept history change by change.
     */
    private static List<byte[]> format5SnapshotOf(final RocksDbStorage state)
    {
        final List<byte[]> records = new ArrayList<>();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final SnapshotBeginEncoder begin = new SnapshotBeginEncoder().wrapAndApplyHeader(buffer, 0, header)
            .formatVersion(5).revision(state.appliedRevision()).logPosition(state.appliedPosition())
            .compactRevision(state.committedCompactedRevision());
        records.add(Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + begin.encodedLength()));
        state.forEachKeptChange((revision, subRevision, timestampMs, key, record) ->
        {
            final SnapshotHistoryEncoder history = new SnapshotHistoryEncoder().wrapAndApplyHeader(buffer, 0, header);
            final SnapshotHistoryEncoder.ChangesEncoder change = history.changesCount(1).next()
                .revision(revision).subRevision(subRevision).timestamp(timestampMs);
            if (null == record)
            {
                change.changeType(ChangeType.DELETE).createRevision(0).version(0).lease(0)
                    .putKey(key, 0, key.length).putValue(key, 0, 0);
            }
            else
            {
                change.changeType(ChangeType.PUT).createRevision(KeyValueRecord.createRevision(record))
                    .version(KeyValueRecord.version(record)).lease(KeyValueRecord.lease(record))
                    .putKey(key, 0, key.length)
                    .putValue(record, KeyValueRecord.HEADER_LENGTH, KeyValueRecord.valueLength(record));
            }
            records.add(Arrays.copyOf(buffer.byteArray(),
                MessageHeaderEncoder.ENCODED_LENGTH + history.encodedLength()));
            return true;
        });
        final List<long[]> leases = new ArrayList<>();
        state.forEachCommittedLease((id, ttl, deadline) -> leases.add(new long[]{ id, ttl, deadline }));
        final SnapshotLeasesEncoder leasesRecord = new SnapshotLeasesEncoder().wrapAndApplyHeader(buffer, 0, header)
            .leaseIdSequence(state.committedLeaseSequence());
        final SnapshotLeasesEncoder.LeasesEncoder group = leasesRecord.leasesCount(leases.size());
        for (final long[] lease : leases)
        {
            group.next().id(lease[0]).ttl(lease[1]).deadline(lease[2]);
        }
        records.add(Arrays.copyOf(buffer.byteArray(),
            MessageHeaderEncoder.ENCODED_LENGTH + leasesRecord.encodedLength()));
        final SnapshotEndEncoder end = new SnapshotEndEncoder().wrapAndApplyHeader(buffer, 0, header)
            .keyCount(state.liveKeyCount());
        records.add(Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + end.encodedLength()));
        return records;
    }

    private void load(final List<byte[]> records)
    {
        final SnapshotLoader loader = new SnapshotLoader(storage);
        for (final byte[] record : records)
        {
            loader.onRecord(new UnsafeBuffer(record), 0, record.length);
        }
    }

    private long hashAt(final long revision)
    {
        try (CommittedView view = storage.openCommittedView())
        {
            return HistoryHash.of(view, revision, () -> false).hash();
        }
    }

    @Test
    void shouldAnswerEveryKeptRevisionAlikeAfterTheStoreIsOpenedAgain()
    {
        final Map<Long, List<String>> answersThen = runRandomHistory(11);
        final long compactAt = stateMachine.revision() / 3;
        stateMachine.compact(compactAt, recorder);
        storage.commit(2_000, stateMachine.revision());
        final String digest = StateDigest.of(storage);

        after();
        storage = RocksDbStorage.open(new File(tempDir, "store"));
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
        assertEquals(digest, StateDigest.of(storage), "the index rebuilt from the stored history");
        while (storage.removedRevision() < compactAt)
        {
            storage.compactStep(50);
        }
        assertEquals(digest, StateDigest.of(storage), "after removal");
        for (final Map.Entry<Long, List<String>> then : answersThen.entrySet())
        {
            if (then.getKey() >= compactAt)
            {
                assertEquals(then.getValue(), answersAt(then.getKey()), "revision " + then.getKey());
            }
        }
    }

    @Test
    void shouldKeepADeletedKeyDeletedWhenRemovalDropsItsDeleteAndTheStoreIsOpenedAgain()
    {
        // The put of k shares its record of changes with a put of j that stays visible; the delete of k has one of its
        // own. Removal must not drop the delete and leave the put, which the index rebuilt at the next start would
        // take for k's newest change.
        final String big = "j".repeat(2000);
        stateMachine.put(Ops.put(bytes("k"), value("v"), 0, 1, 0, false, false, false), recorder);
        stateMachine.put(Ops.put(bytes("j"), value(big), 0, big.length(), 0, false, false, false), recorder);
        storage.commit(1, stateMachine.revision());
        stateMachine.deleteRange(Ops.deleteRange(bytes("k"), EMPTY, false), recorder);
        storage.commit(2, stateMachine.revision());
        final long deleted = stateMachine.revision();
        stateMachine.compact(deleted, recorder);
        storage.commit(3, stateMachine.revision());
        final String digest = StateDigest.of(storage);
        while (storage.removedRevision() < deleted)
        {
            storage.compactStep(100);
        }

        after();
        storage = RocksDbStorage.open(new File(tempDir, "store"));
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
        assertEquals(digest, StateDigest.of(storage));
        get("k", deleted);
        assertEquals(0, recorder.count, "k stays deleted");
        get("j", deleted);
        assertEquals(1, recorder.count);
    }

    @Test
    void shouldDropTheFilesOfRemovedHistoryWholeAndKeepWhatReadsSeeAcrossAReopen()
    {
        // Hundreds of commits, each a record of changes of its own, flushed into files: removal deletes them as
        // ranges and drops the files wholly inside, once the flush it asks for (never waits for) has made its
        // rewrites durable.
        final String value = "v".repeat(1000);
        for (int i = 0; i < 600; i++)
        {
            stateMachine.put(Ops.put(bytes("key-" + (i % 20)), value(value + i), 0, value.length() +
                Integer.toString(i).length(), 0, false, false, false), recorder);
            storage.commit(i + 1, stateMachine.revision());
            if (i % 100 == 99)
            {
                storage.flush();
            }
        }
        stateMachine.deleteRange(Ops.deleteRange(bytes("key-0"), EMPTY, false), recorder);
        storage.commit(601, stateMachine.revision());
        final long current = stateMachine.revision();
        final List<String> answersThen = answersAt(current);
        stateMachine.compact(current, recorder);
        storage.commit(602, stateMachine.revision());
        storage.flush();
        final String digest = StateDigest.of(storage);
        final long sizeBefore = storage.sizeBytes();

        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (storage.removedRevision() < current)
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "removal ends, at " + storage.removedRevision());
            storage.compactStep(100);
        }

        // RocksDB deletes the files no version needs any more in a job of its own, later on a busy machine.
        Tests.await(() -> storage.sizeBytes() + " bytes after removal, " + sizeBefore + " before",
            Tests.AWAIT_TIMEOUT_MS, () -> storage.sizeBytes() < sizeBefore / 2);
        assertEquals(answersThen, answersAt(current));
        after();
        storage = RocksDbStorage.open(new File(tempDir, "store"));
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
        assertEquals(digest, StateDigest.of(storage));
        assertEquals(answersThen, answersAt(current));
        get("key-0", current);
        assertEquals(0, recorder.count, "key-0 stays deleted");
    }

    @Test
    void shouldRebuildEveryRevisionFromItsChanges()
    {
        runRandomHistory(42);
        final TreeMap<String, String> state = new TreeMap<>();
        long revision = 0;
        long from = 1;
        while (from <= stateMachine.revision())
        {
            stateMachine.changes(Ops.range(ALL, ALL, 7, 0, false, false, false), from, 0, recorder);
            assertNull(recorder.error);
            assertTrue(recorder.nextRevision > from, "progress from " + from);
            final long next = recorder.nextRevision;
            for (final Recorder.Change change : List.copyOf(recorder.changes))
            {
                assertTrue(change.revision() >= revision, "revision order");
                if (change.revision() != revision && revision > 0)
                {
                    assertEquals(keysAt(revision), state, "revision " + revision);
                }
                revision = change.revision();
                if ("PUT".equals(change.type()))
                {
                    state.put(change.key(), change.value());
                }
                else
                {
                    state.remove(change.key());
                }
            }
            from = next;
        }
        assertEquals(stateMachine.revision(), revision);
        assertEquals(keysAt(revision), state);
    }

    @Test
    void shouldKeepAnswersAndDigestWhilePhysicallyRemovingWhatCompactionHides()
    {
        final Map<Long, List<String>> answersThen = runRandomHistory(7);
        final long compactAt = stateMachine.revision() / 2;

        stateMachine.compact(compactAt, recorder);
        assertNull(recorder.error);
        assertEquals(compactAt, recorder.compactedRevision);
        storage.commit(10_000, stateMachine.revision());
        final String digestBefore = StateDigest.of(storage);

        int steps = 0;
        while (storage.removedRevision() < compactAt)
        {
            // A step may be held back by the pacing of removal: it then looks at nothing.
            if (storage.compactStep(5) > 0)
            {
                steps++;
                assertEquals(answersThen.get(compactAt), answersAt(compactAt), "after " + steps + " steps");
            }
        }
        assertTrue(steps > 1, "removal goes in steps");
        assertEquals(digestBefore, StateDigest.of(storage));

        for (final Map.Entry<Long, List<String>> then : answersThen.entrySet())
        {
            if (then.getKey() >= compactAt)
            {
                assertEquals(then.getValue(), answersAt(then.getKey()), "revision " + then.getKey());
            }
            else
            {
                stateMachine.range(Ops.range(ALL, ALL, 0, then.getKey(), false, false, false), recorder);
                assertEquals(ErrorCode.COMPACTED, recorder.error);
                assertEquals(compactAt, recorder.compactedRevision);
            }
        }
    }

    @Test
    void shouldRefuseCompactionAsEtcdDoes()
    {
        put("a", "1");
        put("a", "2");
        put("a", "3");

        stateMachine.compact(4, recorder);
        assertEquals(ErrorCode.FUTURE_REVISION, recorder.error);
        stateMachine.compact(0, recorder);
        assertEquals(ErrorCode.COMPACTED, recorder.error);

        stateMachine.compact(2, recorder);
        assertNull(recorder.error);
        assertEquals(3, recorder.revision, "compaction moves no revision");
        stateMachine.compact(2, recorder);
        assertEquals(ErrorCode.COMPACTED, recorder.error, "twice at the same revision");
        assertEquals(2, recorder.compactedRevision);
        stateMachine.compact(1, recorder);
        assertEquals(ErrorCode.COMPACTED, recorder.error, "below the compacted revision");

        get("a", 2);
        assertEquals("2", recorder.kvs.get(0).value(), "a read at the compacted revision is answered");
        get("a", 1);
        assertEquals(ErrorCode.COMPACTED, recorder.error);
        assertEquals(2, recorder.compactedRevision);
        assertTrue(recorder.message.contains("required revision has been compacted"), recorder.message);
        get("a", 4);
        assertEquals(ErrorCode.FUTURE_REVISION, recorder.error);

        stateMachine.compact(3, recorder);
        assertNull(recorder.error, "at the current revision");
        get("a", 3);
        assertEquals("3", recorder.kvs.get(0).value());
        assertEquals(3, stateMachine.revision());
    }

    @Test
    void shouldForgetADeletedKeyOnlyOnceCompactedPastItsDelete()
    {
        put("a", "1");
        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), EMPTY, false), recorder);
        put("b", "1");

        stateMachine.compact(1, recorder);
        get("a", 1);
        assertEquals(1, recorder.count);
        get("a", 2);
        assertEquals(0, recorder.count);

        stateMachine.compact(2, recorder);
        storage.commit(1, stateMachine.revision());
        while (storage.removedRevision() < 2)
        {
            storage.compactStep(100);
        }
        get("a", 2);
        assertEquals(0, recorder.count);
        get("b", 3);
        assertEquals(1, recorder.count);
    }

    @Test
    void shouldKeepEveryChangeOfATransactionAtOneRevisionInTheOrderApplied()
    {
        put("a", "1");
        put("b", "1");
        final TxnRequest txn = new TxnRequest();
        final TxnCompare compare = new TxnCompare();
        compare.key = bytes("a");
        compare.rangeEnd = EMPTY;
        compare.target = CompareTarget.VERSION;
        compare.result = CompareResult.EQUAL;
        compare.targetValue = 1;
        compare.value = EMPTY;
        txn.compares.add(compare);
        txn.success.add(Ops.put(bytes("c"), value("2"), 0, 1, 0, false, false, false));
        txn.success.add(Ops.deleteRange(bytes("a"), bytes("b\0"), false));
        stateMachine.txn(txn, recorder);
        assertNull(recorder.error);

        stateMachine.changes(Ops.range(ALL, ALL, 0, 0, false, false, false), 3, 0, recorder);
        assertEquals(List.of(
            new Recorder.Change("PUT", "c", "2", 3, 0),
            new Recorder.Change("DELETE", "a", null, 3, 0),
            new Recorder.Change("DELETE", "b", null, 3, 0)), recorder.changes);
        assertEquals(4, recorder.nextRevision);
    }

    @Test
    void shouldReadChangesOfAKeyRangeInWholeRevisions()
    {
        put("a", "1");
        put("b", "1");
        put("a", "2");
        put("c", "1");

        stateMachine.changes(Ops.range(bytes("a"), EMPTY, 0, 0, false, false, false), 1, 0, recorder);
        assertEquals(List.of(new Recorder.Change("PUT", "a", "1", 1, 0), new Recorder.Change("PUT", "a", "2", 3, 0)),
            recorder.changes);
        assertEquals(5, recorder.nextRevision);

        stateMachine.changes(Ops.range(bytes("a"), bytes("c"), 2, 0, false, false, false), 1, 3, recorder);
        assertEquals(2, recorder.changes.size(), "the limit");
        assertEquals(3, recorder.nextRevision, "goes on from the first revision not read");

        stateMachine.changes(Ops.range(ALL, ALL, 0, 0, false, false, false), 5, 0, recorder);
        assertNull(recorder.error);
        assertTrue(recorder.changes.isEmpty());
        assertEquals(5, recorder.nextRevision, "nothing after the current revision yet");

        stateMachine.changes(Ops.range(ALL, ALL, 0, 0, false, false, false), 2, 5, recorder);
        assertEquals(ErrorCode.FUTURE_REVISION, recorder.error);

        stateMachine.compact(2, recorder);
        stateMachine.changes(Ops.range(ALL, ALL, 0, 0, false, false, false), 2, 0, recorder);
        assertEquals(ErrorCode.COMPACTED, recorder.error);
        assertEquals(2, recorder.compactedRevision);
        stateMachine.changes(Ops.range(ALL, ALL, 0, 0, false, false, false), 3, 0, recorder);
        assertEquals(2, recorder.changes.size());
    }

    @Test
    void shouldStampChangesWithTheClusterTimeOfTheirEntry()
    {
        stateMachine.entryTime(1_000);
        put("a", "1");
        stateMachine.leaseGrant(LEASES[1], 10, 1_000, recorder);
        stateMachine.entryTime(2_000);
        stateMachine.put(Ops.put(bytes("b"), value("1"), 0, 1, LEASES[1], false, false, false), recorder);
        stateMachine.onLeaseTimer(LEASES[1], 20_000);

        stateMachine.changes(Ops.range(ALL, ALL, 0, 0, false, false, false), 1, 0, recorder);
        assertEquals(List.of(
            new Recorder.Change("PUT", "a", "1", 1, 1_000),
            new Recorder.Change("PUT", "b", "1", 2, 2_000),
            new Recorder.Change("DELETE", "b", null, 3, 20_000)), recorder.changes);
    }

    @Test
    void shouldCompactAutomaticallyByRevisionOnTheTimerItsSettingNames()
    {
        for (int i = 0; i < 10; i++)
        {
            put("k", "v" + i);
        }
        final AutoCompaction keepThree = new AutoCompaction(AutoCompaction.Mode.REVISION, 3);

        assertEquals(7, stateMachine.onCompactionTimer(keepThree.timerId(), 0));
        assertEquals(7, stateMachine.compactedRevision());
        assertEquals(0, stateMachine.onCompactionTimer(keepThree.timerId(), 1), "nothing new to compact");
        get("k", 6);
        assertEquals(ErrorCode.COMPACTED, recorder.error);
        get("k", 7);
        assertEquals("v6", recorder.kvs.get(0).value());
    }

    @Test
    void shouldCompactAutomaticallyToTheRevisionOfThePeriodAgo()
    {
        for (int i = 1; i <= 10; i++)
        {
            stateMachine.entryTime(i * 60_000L);
            put("k", "v" + i);
        }
        final AutoCompaction keepFiveMinutes = new AutoCompaction(AutoCompaction.Mode.PERIODIC, 300_000);
        assertEquals(30_000, keepFiveMinutes.checkIntervalMs());
        assertTrue(AutoCompaction.isTimer(keepFiveMinutes.timerId()));
        assertEquals(keepFiveMinutes, AutoCompaction.ofTimer(keepFiveMinutes.timerId()));

        assertEquals(0, stateMachine.onCompactionTimer(keepFiveMinutes.timerId(), 299_999), "nothing that old");
        assertEquals(5, stateMachine.onCompactionTimer(keepFiveMinutes.timerId(), 10 * 60_000L));
        assertEquals(7, stateMachine.onCompactionTimer(keepFiveMinutes.timerId(), 12 * 60_000L + 1));
        assertEquals(0, stateMachine.onCompactionTimer(AutoCompaction.OFF.timerId(), 20 * 60_000L), "off");
        assertEquals(7, stateMachine.compactedRevision());
    }

    /**
     * Run random puts, deletes, delete-ranges, transactions and lease expiries and revocations, committing now and
     * then; record, at every revision, the answers to a set of reads at the current revision.
     */
    private Map<Long, List<String>> runRandomHistory(final int seed)
    {
        final Map<Long, List<String>> answersThen = new TreeMap<>();
        final Random random = new Random(seed);
        stateMachine.leaseGrant(LEASES[1], 60, 0, recorder);
        stateMachine.leaseGrant(LEASES[2], 60, 0, recorder);
        for (int step = 0; step < 300; step++)
        {
            final long revisionBefore = stateMachine.revision();
            final byte[] key = bytes(KEYS[random.nextInt(KEYS.length)]);
            stateMachine.entryTime(step);
            switch (random.nextInt(10))
            {
                case 0, 1, 2, 3 -> stateMachine.put(Ops.put(key, value("v" + step), 0, ("v" + step).length(),
                    LEASES[random.nextInt(LEASES.length)], false, false, false), recorder);
                case 4 -> stateMachine.deleteRange(Ops.deleteRange(key, EMPTY, false), recorder);
                case 5 ->
                {
                    final byte[] other = bytes(KEYS[random.nextInt(KEYS.length)]);
                    final boolean ordered = KeyRanges.compare(key, other) <= 0;
                    stateMachine.deleteRange(Ops.deleteRange(ordered ? key : other, ordered ? other : key, false),
                        recorder);
                }
                case 6 ->
                {
                    final TxnRequest txn = new TxnRequest();
                    txn.success.add(Ops.put(key, value("t" + step), 0, ("t" + step).length(), 0, false, false, false));
                    final byte[] other = bytes(KEYS[random.nextInt(KEYS.length)] + "/t");
                    txn.success.add(Ops.put(other, value("u" + step), 0, ("u" + step).length(), 0, false, false,
                        false));
                    stateMachine.txn(txn, recorder);
                }
                case 7 ->
                {
                    final long lease = LEASES[1 + random.nextInt(2)];
                    if (random.nextBoolean())
                    {
                        stateMachine.leaseRevoke(lease, recorder);
                    }
                    else
                    {
                        stateMachine.onLeaseTimer(lease, Long.MAX_VALUE / 2);
                    }
                    stateMachine.leaseGrant(lease, 60, 0, recorder);
                }
                default -> stateMachine.range(Ops.range(key, EMPTY, 0, 0, false, false, false), recorder);
            }
            if (0 == step % 17)
            {
                storage.commit(step + 1, stateMachine.revision());
            }
            if (stateMachine.revision() != revisionBefore)
            {
                answersThen.put(stateMachine.revision(), answersAt(0));
            }
        }
        storage.commit(1_000, stateMachine.revision());
        return answersThen;
    }

    /**
     * Answers to a set of reads at a revision (0 for the current one), each as text.
     */
    private List<String> answersAt(final long revision)
    {
        final List<String> answers = new ArrayList<>();
        answers.add(answer(Ops.range(ALL, ALL, 0, revision, false, false, false)));
        answers.add(answer(Ops.range(bytes("a"), bytes("b/2"), 3, revision, true, false, false)));
        answers.add(answer(Ops.range(bytes("a\0"), bytes("c"), 2, revision, false, true, false)));
        answers.add(answer(Ops.range(bytes("b"), ALL, 0, revision, false, false, true)));
        answers.add(answer(Ops.range(ALL, ALL, 0, revision, true, false, false)));
        for (final String key : KEYS)
        {
            answers.add(answer(Ops.range(bytes(key), EMPTY, 0, revision, false, false, false)));
        }
        return answers;
    }

    private String answer(final TxnOp range)
    {
        stateMachine.range(range, recorder);
        return recorder.error + " count=" + recorder.count + " more=" + recorder.more + " " + recorder.kvs;
    }

    private Map<String, String> keysAt(final long revision)
    {
        stateMachine.range(Ops.range(ALL, ALL, 0, revision, false, false, false), recorder);
        final Map<String, String> keys = new TreeMap<>();
        for (final Recorder.Kv kv : recorder.kvs)
        {
            keys.put(kv.key(), kv.value());
        }
        return keys;
    }

    private void put(final String key, final String value)
    {
        stateMachine.put(Ops.put(bytes(key), value(value), 0, value.length(), 0, false, false, false), recorder);
    }

    private void get(final String key, final long revision)
    {
        stateMachine.range(Ops.range(bytes(key), EMPTY, 0, revision, false, false, false), recorder);
    }

    private static UnsafeBuffer value(final String value)
    {
        return new UnsafeBuffer(value.getBytes(StandardCharsets.UTF_8));
    }
}
