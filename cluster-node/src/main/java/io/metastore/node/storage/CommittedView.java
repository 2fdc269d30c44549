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
    private final long revision;

    CommittedView(final RocksDbStorage storage, final RocksDB db, final Snapshot snapshot, final long revision)
    {
        this.storage = storage;
        this.db = db;
        this.snapshot = snapshot;
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
        this.revision = revision;
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
