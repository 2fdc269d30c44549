package io.metastore.node.kv;

import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.node.lease.LeaseLimits;
import io.metastore.node.lease.LeaseTimers;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a start the key index is loaded from storage in slices while requests are applied: every answer and the
 * state reached must be the same as with the whole index loaded first, however far the loading got.
 */
class LazyKeyIndexTest
{
    private static final byte[] EMPTY = new byte[0];
    private static final int KEYS = 60;
    private static final long[] LEASES = {0, 0x11, 0x22};

    @TempDir
    File tempDir;

    private RocksDbStorage lazyStorage;
    private RocksDbStorage eagerStorage;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(lazyStorage, eagerStorage);
        lazyStorage = null;
        eagerStorage = null;
    }

    @Test
    void shouldAnswerAndChangeStateAsAFullyLoadedIndexDoes()
    {
        for (int seed = 1; seed <= 20; seed++)
        {
            runAgainstFullyLoaded(seed);
            after();
        }
    }

    @Test
    void shouldKnowEveryKeyOfALeaseBeforeRevokingIt()
    {
        lazyStorage = seeded(new File(tempDir, "lazy"), 7);
        final KvStateMachine stateMachine = lazy(lazyStorage);
        final Recorder recorder = new Recorder();
        final int keysBefore = countKeys(stateMachine, recorder);

        stateMachine.leaseTimeToLive(LEASES[1], true, 0, recorder);
        final int attached = recorder.leaseKeys.size();
        stateMachine.leaseRevoke(LEASES[1], recorder);

        assertTrue(attached > 0, "the seed attaches keys to the lease");
        assertEquals(keysBefore - attached, countKeys(stateMachine, recorder));
        assertEquals(keysBefore - attached, stateMachine.keyCount());
    }

    @Test
    void shouldLoadInSlicesUntilEveryKeyIsHeld()
    {
        lazyStorage = seeded(new File(tempDir, "lazy"), 3);
        final KvStateMachine stateMachine = lazy(lazyStorage);
        final int keys = countKeys(stateMachine, new Recorder());

        int slices = 0;
        int loaded = 0;
        for (int read; (read = stateMachine.loadIndex(7)) > 0; slices++)
        {
            loaded += read;
        }

        assertEquals(keys, loaded);
        assertEquals((keys + 6) / 7, slices);
        assertEquals(0, stateMachine.loadIndex(7));
        assertEquals(keys, stateMachine.keyCount());
    }

    @Test
    void shouldLoadASmallStoreWholeBeforeTheFirstRequest()
    {
        lazyStorage = seeded(new File(tempDir, "small"), 5);
        final KvStateMachine stateMachine = new KvStateMachine(lazyStorage, 1024 * 1024);

        assertEquals(0, stateMachine.loadIndex(7), "nothing left to load");
        assertEquals(countKeys(stateMachine, new Recorder()), stateMachine.keyCount());
    }

    private void runAgainstFullyLoaded(final int seed)
    {
        lazyStorage = seeded(new File(tempDir, "lazy-" + seed), seed);
        eagerStorage = seeded(new File(tempDir, "eager-" + seed), seed);
        assertEquals(StateDigest.of(eagerStorage), StateDigest.of(lazyStorage));

        final KvStateMachine lazy = lazy(lazyStorage);
        final KvStateMachine eager = new KvStateMachine(eagerStorage, 1024 * 1024);
        eager.keyCount();
        final Recorder lazyAnswers = new Recorder();
        final Recorder eagerAnswers = new Recorder();

        final Random random = new Random(seed);
        for (int step = 0; step < 400; step++)
        {
            final long choice = random.nextLong();
            apply(lazy, lazyAnswers, choice, step);
            apply(eager, eagerAnswers, choice, step);
            if (0 == step % 10)
            {
                lazy.loadIndex(3);
            }
            if (0 == step % 50)
            {
                lazyStorage.commit(step + 1, lazy.revision());
                eagerStorage.commit(step + 1, eager.revision());
            }
        }
        lazyStorage.commit(1_000, lazy.revision());
        eagerStorage.commit(1_000, eager.revision());

        assertEquals(eagerAnswers.events, lazyAnswers.events, "seed " + seed);
        assertEquals(StateDigest.of(eagerStorage), StateDigest.of(lazyStorage), "seed " + seed);
        assertEquals(eager.revision(), lazy.revision());
        assertEquals(eager.keyCount(), lazy.keyCount());
    }

    private static void apply(
        final KvStateMachine stateMachine, final Recorder recorder, final long choice, final int step)
    {
        final Random random = new Random(choice);
        final byte[] key = key(random.nextInt(KEYS));
        switch (random.nextInt(10))
        {
            case 0, 1, 2 -> stateMachine.put(Ops.put(
                key, value(step), 0, value(step).capacity(), LEASES[random.nextInt(LEASES.length)],
                random.nextBoolean(), false, false), recorder);
            case 3 -> stateMachine.put(Ops.put(key, value(0), 0, 0, 0, true, true, random.nextBoolean()), recorder);
            case 4 -> stateMachine.deleteRange(Ops.deleteRange(key, EMPTY, random.nextBoolean()), recorder);
            case 5 -> stateMachine.deleteRange(Ops.deleteRange(key, key(random.nextInt(KEYS)), true), recorder);
            case 6 -> stateMachine.range(Ops.range(key, EMPTY, 0, 0, false, false, false), recorder);
            case 7 -> stateMachine.leaseTimeToLive(LEASES[1 + random.nextInt(2)], true, 0, recorder);
            case 8 ->
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
            default -> stateMachine.txn(versionGuardedPut(key, random.nextInt(3), step), recorder);
        }
    }

    /**
     * A transaction that puts the key if its version is as guessed, and reads it otherwise.
     */
    private static TxnRequest versionGuardedPut(final byte[] key, final long version, final int step)
    {
        final TxnCompare compare = new TxnCompare();
        compare.key = key;
        compare.rangeEnd = EMPTY;
        compare.target = CompareTarget.VERSION;
        compare.result = CompareResult.EQUAL;
        compare.targetValue = version;
        compare.value = EMPTY;
        final TxnOp put = new TxnOp();
        put.type = TxnOp.PUT;
        put.key = key;
        put.valueBuffer = value(step);
        put.valueLength = put.valueBuffer.capacity();
        put.lease = LEASES[step % LEASES.length];
        final TxnOp range = new TxnOp();
        range.type = TxnOp.RANGE;
        range.key = key;
        range.rangeEnd = EMPTY;
        final TxnRequest txn = new TxnRequest();
        txn.compares.add(compare);
        txn.success.add(put);
        txn.failure.add(range);
        return txn;
    }

    /**
     * A store with keys put, overwritten, deleted and attached to leases, committed and reopened.
     */
    private static RocksDbStorage seeded(final File dir, final int seed)
    {
        final RocksDbStorage storage = RocksDbStorage.open(dir);
        final KvStateMachine stateMachine = new KvStateMachine(storage, 1024 * 1024);
        final Recorder recorder = new Recorder();
        stateMachine.leaseGrant(LEASES[1], 60, 0, recorder);
        stateMachine.leaseGrant(LEASES[2], 60, 0, recorder);
        final Random random = new Random(-seed);
        for (int i = 0; i < 3 * KEYS; i++)
        {
            final byte[] key = key(random.nextInt(KEYS));
            if (random.nextInt(5) == 0)
            {
                stateMachine.deleteRange(Ops.deleteRange(key, EMPTY, false), recorder);
            }
            else
            {
                stateMachine.put(Ops.put(
                    key, value(i), 0, value(i).capacity(), LEASES[random.nextInt(LEASES.length)], false, false,
                    false), recorder);
            }
        }
        storage.commit(1, stateMachine.revision());
        storage.close();

        return RocksDbStorage.open(dir);
    }

    private static final byte[] FROM_KEY = {0};

    /**
     * A state machine that loads none of the key index before the first request.
     */
    private static KvStateMachine lazy(final RocksDbStorage storage)
    {
        return new KvStateMachine(storage, 1024 * 1024, LeaseLimits.DEFAULT, LeaseTimers.NONE, 0);
    }

    private static int countKeys(final KvStateMachine stateMachine, final Recorder recorder)
    {
        stateMachine.range(Ops.range(key(0), FROM_KEY, 0, 0, false, false, true), recorder);
        assertFalse(recorder.more);
        return (int)recorder.count;
    }

    private static byte[] key(final int i)
    {
        return String.format("key-%03d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static UnsafeBuffer value(final int i)
    {
        return new UnsafeBuffer(("value-" + i).getBytes(StandardCharsets.UTF_8));
    }
}
