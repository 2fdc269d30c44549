package io.metastore.node.storage;

import org.agrona.CloseHelper;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.Snapshot;

/**
 * The committed state at one revision, for a thread other than the service's (serializable reads on a member's read
 * port): a RocksDB snapshot of the keys together with the applied marker written in the same atomic write, so the
 * revision it reports is exactly the state it reads. Cheap enough to take once per batch of reads, not per read.
 */
public final class CommittedView implements AutoCloseable
{
    private final RocksDbStorage storage;
    private final RocksDB db;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;
    private final long appliedPosition;
    private final long revision;
    private final long compactedRevision;

    CommittedView(
        final RocksDbStorage storage,
        final RocksDB db,
        final Snapshot snapshot,
        final long appliedPosition,
        final long revision,
        final long compactedRevision)
    {
        this.storage = storage;
        this.db = db;
        this.snapshot = snapshot;
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
        this.appliedPosition = appliedPosition;
        this.revision = revision;
        this.compactedRevision = compactedRevision;
    }

    /**
     * @return the log position of the state this view reads, from the same applied marker.
     */
    public long appliedPosition()
    {
        return appliedPosition;
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
     * Release the snapshot.
     */
    public void close()
    {
        CloseHelper.closeAll(readOptions, () -> db.releaseSnapshot(snapshot));
    }
}
