package io.metastore.node.storage;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

import java.nio.ByteBuffer;
import java.util.HashMap;

/**
 * The committed state at one revision, for a thread other than the service's (serializable reads on a member's read
 * port, a snapshot saved from a running member): a RocksDB snapshot of the store together with the applied marker
 * written in the same atomic write, so the revision it reports is exactly the state it reads. Cheap enough to take
 * once per batch of reads, not per read.
 */
public final class CommittedView implements CommittedState, AutoCloseable
{
    private static final long SCAN_READAHEAD_BYTES = 4L * 1024 * 1024;

    private final RocksDbStorage storage;
    private final RocksDB db;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    private final long position;
    private final long revision;
    private final long compactedRevision;
    private volatile boolean isAborted;

    CommittedView(
        final RocksDbStorage storage,
        final RocksDB db,
        final Snapshot snapshot,
        final long position,
        final long revision,
        final long compactedRevision)
    {
        this.storage = storage;
        this.db = db;
        this.snapshot = snapshot;
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
        this.position = position;
        this.revision = revision;
        this.compactedRevision = compactedRevision;
    }

    /**
     * @return the compacted revision of the state this view reads, from the same applied marker.
     */
    public long compactedRevision()
    {
        return compactedRevision;
    }

    /**
     * Every change of this view's history up to a revision, in revision and sub revision order, including what
     * compaction has passed but physical removal has not yet reached: the caller tells kept from not.
     *
     * @param toRevision last revision to visit.
     * @param consumer   of each change; returns false to stop.
     */
    public void forEachChange(final long toRevision, final KvStorage.ChangeConsumer consumer)
    {
        storage.forEachCommittedChange(toRevision, readOptions, consumer);
    }

    /**
     * @return the revision of the state this view reads.
     */
    public long revision()
    {
        return revision;
    }

    /**
     * @param key to read.
     * @return its record (create and mod revision, version, lease, value), or null if it does not exist.
     */
    public byte[] get(final byte[] key)
    {
        return storage.getCommitted(key, readOptions);
    }

    /**
     * @return a cursor over the keys of this view; close it before the view.
     */
    public KvCursor cursor()
    {
        return storage.committedCursor(readOptions);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long appliedPosition()
    {
        return position;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long appliedRevision()
    {
        return revision;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long committedCompactedRevision()
    {
        return compactedRevision;
    }

    /**
     * Counts the keys: a walk of every key of the view.
     * <p>
     * {@inheritDoc}
     */
    @Override
    public long liveKeyCount()
    {
        long count = 0;
        try (ReadOptions options = scanOptions();
            RocksIterator keys = storage.viewIterator(RocksDbStorage.VIEW_KEYS, options))
        {
            for (keys.seekToFirst(); keys.isValid(); keys.next())
            {
                checkNotAborted();
                count++;
            }
        }
        return count;
    }

    /**
     * Without the service's index of the history by key, which only its thread may read: a first pass over the chunks
     * at or below the compacted revision finds each key's newest change there (memory for each such key), a second
     * streams what is kept. What physical removal has or has not reached is skipped alike, so the changes visited are
     * those the service's own {@link RocksDbStorage#forEachKeptChange} visits at the same revision.
     * <p>
     * {@inheritDoc}
     */
    @Override
    public void forEachKeptChange(final KvStorage.ChangeConsumer consumer)
    {
        final HashMap<ByteBuffer, long[]> newestCompacted = newestAtOrBelowCompacted();
        final ChangeChunk.Reader reader = new ChangeChunk.Reader();
        try (ReadOptions options = scanOptions();
            RocksIterator chunks = storage.viewIterator(RocksDbStorage.VIEW_REVISIONS, options))
        {
            for (chunks.seekToFirst(); chunks.isValid(); chunks.next())
            {
                checkNotAborted();
                reader.wrap(chunks.value());
                while (reader.next())
                {
                    final long changeRevision = reader.revision();
                    final byte[] key = reader.key();
                    if (changeRevision <= compactedRevision)
                    {
                        final long[] newest = newestCompacted.get(ByteBuffer.wrap(key));
                        if (reader.isDelete() || null == newest ||
                            newest[0] != changeRevision || newest[1] != reader.subRevision())
                        {
                            continue;
                        }
                    }
                    if (!consumer.accept(
                        changeRevision, reader.subRevision(), reader.timestampMs(), key, reader.record()))
                    {
                        return;
                    }
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void forEachKeptChunk(final ChunkConsumer consumer)
    {
        final HashMap<ByteBuffer, long[]> newestCompacted = newestAtOrBelowCompacted();
        try (ReadOptions options = scanOptions();
            RocksIterator chunks = storage.viewIterator(RocksDbStorage.VIEW_REVISIONS, options))
        {
            new KeptChunks().forEach(chunks, compactedRevision,
                (key, changeRevision, subRevision, isDelete) ->
                {
                    final long[] newest = newestCompacted.get(ByteBuffer.wrap(key));
                    return !isDelete && null != newest && newest[0] == changeRevision && newest[1] == subRevision;
                },
                consumer, this::checkNotAborted);
        }
    }

    private HashMap<ByteBuffer, long[]> newestAtOrBelowCompacted()
    {
        final HashMap<ByteBuffer, long[]> newest = new HashMap<>();
        if (0 == compactedRevision)
        {
            return newest;
        }
        final ChangeChunk.Reader reader = new ChangeChunk.Reader();
        try (ReadOptions options = scanOptions();
            RocksIterator chunks = storage.viewIterator(RocksDbStorage.VIEW_REVISIONS, options))
        {
            for (chunks.seekToFirst(); chunks.isValid(); chunks.next())
            {
                checkNotAborted();
                reader.wrap(chunks.value());
                while (reader.next())
                {
                    if (reader.revision() > compactedRevision)
                    {
                        // Chunks are in revision order: nothing later is at or below it.
                        return newest;
                    }
                    newest.put(ByteBuffer.wrap(reader.key()), new long[]{ reader.revision(), reader.subRevision() });
                }
            }
        }
        return newest;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long committedLeaseSequence()
    {
        final byte[] bytes = storage.viewGetDefault(RocksDbStorage.VIEW_LEASE_SEQUENCE, readOptions);
        return null == bytes ? 0 : new UnsafeBuffer(bytes).getLong(0);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void forEachCommittedLease(final KvStorage.LeaseConsumer consumer)
    {
        try (RocksIterator leases = storage.viewIterator(RocksDbStorage.VIEW_LEASES, readOptions))
        {
            RocksDbStorage.visitLeases(leases, consumer);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public byte[] committedAlarms()
    {
        return storage.viewGetDefault(RocksDbStorage.VIEW_ALARMS, readOptions);
    }

    /**
     * Make the walks of this view in progress on another thread stop at their next entry, with a
     * {@link StorageException}: the store is about to close.
     */
    public void abort()
    {
        isAborted = true;
    }

    /**
     * @return true once {@link #abort()} was called.
     */
    public boolean isAborted()
    {
        return isAborted;
    }

    /**
     * Release the snapshot.
     */
    public void close()
    {
        CloseHelper.closeAll(readOptions, () -> db.releaseSnapshot(snapshot));
    }

    private void checkNotAborted()
    {
        if (isAborted)
        {
            throw new StorageException("the store is closing", null);
        }
    }

    private ReadOptions scanOptions()
    {
        return new ReadOptions(readOptions).setFillCache(false).setReadaheadSize(SCAN_READAHEAD_BYTES);
    }
}
