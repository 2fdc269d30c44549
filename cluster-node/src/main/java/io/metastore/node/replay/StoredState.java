package io.metastore.node.replay;

import io.metastore.client.CompactedException;
import io.metastore.client.KeyValue;
import io.metastore.client.MetaStoreException;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.SortOrder;
import io.metastore.node.alarm.Alarm;
import io.metastore.node.kv.ChangeList;
import io.metastore.node.kv.KeyValueList;
import io.metastore.node.kv.KeyValueRecord;
import io.metastore.node.kv.KvResponder;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.node.kv.TxnOp;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StorageException;
import org.agrona.collections.LongArrayList;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A member's state as stored, read offline: the directory {@code log replay} rebuilt a state in, or a stopped
 * member's own store. Reads go through the node's own state machine, so they answer exactly as the member would
 * have at the store's revision, reads at past revisions included; nothing is written.
 */
public final class StoredState implements AutoCloseable
{
    private static final long NO_RESPONSE_BOUND = Long.MAX_VALUE;

    private final RocksDbStorage storage;
    private final KvStateMachine stateMachine;

    private StoredState(final RocksDbStorage storage)
    {
        this.storage = storage;
        this.stateMachine = new KvStateMachine(storage, NO_RESPONSE_BOUND);
    }

    /**
     * @param dir a RocksDB store of MetaStore's.
     * @return the state, to be closed.
     * @throws IllegalArgumentException if the directory holds no store.
     * @throws IllegalStateException    if a running member holds the store.
     */
    public static StoredState open(final File dir)
    {
        if (!new File(dir, "CURRENT").isFile())
        {
            throw new IllegalArgumentException("no MetaStore state in " + dir + ": give the directory `log replay " +
                "--out` built, or a stopped member's data directory with its --member-id");
        }
        try
        {
            return new StoredState(RocksDbStorage.open(dir));
        }
        catch (final StorageException ex)
        {
            throw new IllegalStateException("cannot open the state in " + dir + " (is its member running?): " +
                ex.getMessage(), ex);
        }
    }

    /**
     * @return the revision of the state.
     */
    public long revision()
    {
        return storage.appliedRevision();
    }

    /**
     * Read a range as the member would have answered it.
     *
     * @param key     first key.
     * @param options range end, revision, limit, order, keys-only, count-only.
     * @return the result.
     * @throws CompactedException if the revision asked for was compacted.
     * @throws MetaStoreException if the read is refused otherwise (a future revision).
     */
    public RangeResult range(final byte[] key, final RangeOptions options)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.RANGE;
        op.key = key;
        op.rangeEnd = options.rangeEndFor(key);
        op.limit = options.limit();
        op.revision = options.revision();
        op.descending = SortOrder.DESCEND == options.sortOrder();
        op.keysOnly = options.keysOnly();
        op.countOnly = options.countOnly();
        final RangeCollector collector = new RangeCollector();
        stateMachine.range(op, collector);
        if (null != collector.failure)
        {
            throw collector.failure;
        }

        return collector.result;
    }

    /**
     * Close the store; nothing was written to it.
     */
    public void close()
    {
        storage.discardPending();
        storage.close();
    }

    /**
     * Takes the one answer a range has: its pairs, or the error it was refused with.
     */
    private static final class RangeCollector implements KvResponder
    {
        private RangeResult result;
        private RuntimeException failure;

        @Override
        public void onRange(
            final long revision, final long count, final boolean more, final boolean keysOnly, final KeyValueList kvs)
        {
            final List<KeyValue> pairs = new ArrayList<>(kvs.size());
            for (int i = 0; i < kvs.size(); i++)
            {
                final byte[] record = kvs.record(i);
                final byte[] value = keysOnly ? new byte[0] :
                    Arrays.copyOfRange(record, KeyValueRecord.HEADER_LENGTH, record.length);
                pairs.add(new KeyValue(kvs.key(i), value, KeyValueRecord.createRevision(record),
                    KeyValueRecord.modRevision(record), KeyValueRecord.version(record), KeyValueRecord.lease(record)));
            }
            result = new RangeResult(new ResponseHeader(0, 0, revision, 0), pairs, count, more);
        }

        @Override
        public void onCompacted(final long revision, final long compactedRevision, final String message)
        {
            failure = new CompactedException(compactedRevision, message);
        }

        @Override
        public void onError(final long revision, final ErrorCode code, final String message)
        {
            failure = new MetaStoreException(code, message);
        }

        @Override
        public void onPut(final long revision, final KeyValueList prevKv)
        {
            throw unexpected();
        }

        @Override
        public void onDeleteRange(final long revision, final long deleted, final KeyValueList prevKvs)
        {
            throw unexpected();
        }

        @Override
        public void onTxnBegin(final boolean succeeded)
        {
            throw unexpected();
        }

        @Override
        public void onTxnEnd(final long revision)
        {
            throw unexpected();
        }

        @Override
        public void onLeaseGrant(final long revision, final long id, final long ttl)
        {
            throw unexpected();
        }

        @Override
        public void onLeaseRevoke(final long revision)
        {
            throw unexpected();
        }

        @Override
        public void onLeaseKeepAlive(final long revision, final long id, final long ttl)
        {
            throw unexpected();
        }

        @Override
        public void onLeaseTimeToLive(
            final long revision, final long id, final long ttl, final long grantedTtl, final List<byte[]> keys)
        {
            throw unexpected();
        }

        @Override
        public void onLeaseList(final long revision, final LongArrayList ids)
        {
            throw unexpected();
        }

        @Override
        public void onAlarm(final long revision, final List<Alarm> alarms)
        {
            throw unexpected();
        }

        @Override
        public void onCompact(final long revision, final long compactedRevision)
        {
            throw unexpected();
        }

        @Override
        public void onChanges(
            final long revision, final long compactedRevision, final long nextRevision, final ChangeList changes)
        {
            throw unexpected();
        }

        private static IllegalStateException unexpected()
        {
            return new IllegalStateException("a range answered with another kind of response");
        }
    }
}
