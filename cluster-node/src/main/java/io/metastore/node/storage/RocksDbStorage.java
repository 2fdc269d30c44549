package io.metastore.node.storage;

import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Logger;
import org.rocksdb.Options;
import org.rocksdb.Priority;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link KvStorage} on RocksDB.
 * <p>
 * Writes collect in a {@link WriteBatchWithIndex}, so a read sees every earlier write of the same batch, and
 * {@link #commit(long, long)} writes the batch together with the applied log position and revision in one atomic
 * write. The user's keys live in their own column family, leases in another (big-endian id: TTL and deadline); the
 * default one holds only the applied marker, the lease id sequence and the active alarms (one record). The history
 * is in a fourth, {@code revisions}, in revision order ({@link ChangeChunk}), found by key through {@link
 * HistoryIndex}, which is built from it at open.
 * <p>
 * RocksDB is a cache of the log's prefix, so its own write-ahead log is off: the Aeron log already is one. Writes
 * land in the memtables and reach disk when RocksDB flushes them, every column family in the same atomic flush,
 * so what survives a crash is always the state at some earlier commit together with the applied marker of that
 * commit; the node replays the log from there. Closing flushes everything.
 */
public final class RocksDbStorage implements KvStorage, CommittedState, AutoCloseable
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RocksDbStorage.class);
    private static final byte[] KV_COLUMN_FAMILY = "kv".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEASE_COLUMN_FAMILY = "lease".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REVISIONS_COLUMN_FAMILY = "revisions".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEVELOPMENT_HISTORY_COLUMN_FAMILY = "history".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPACTED_KEY = "metastore.compacted".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] APPLIED_KEY = "metastore.applied".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEASE_SEQUENCE_KEY = "metastore.lease.sequence".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ALARMS_KEY = "metastore.alarms".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAYOUT_KEY = "metastore.layout".getBytes(StandardCharsets.US_ASCII);
    /**
     * Version of the layout of the history's chunks, recorded in the store: 2 since a change names the put it replaces.
     */
    private static final byte LAYOUT_VERSION = 2;
    private static final byte[] CLUSTER_ID_KEY = "metastore.cluster.id".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_BYTES_KEY = "metastore.snapshot.bytes".getBytes(StandardCharsets.US_ASCII);
    private static final int LEASE_RECORD_LENGTH = 2 * Long.BYTES;
    private static final int APPLIED_LENGTH = 3 * Long.BYTES;
    private static final int APPLIED_LENGTH_BEFORE_HISTORY = 2 * Long.BYTES;
    private static final int BACKFILL_BATCH_KEYS = 4096;
    private static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final long SCAN_READAHEAD_BYTES = 4L * 1024 * 1024;
    private static final long MAX_COMPACTION_STEP_NS = 200_000;
    private static final long MAX_REMOVED_CHUNKS_PER_SECOND = 5_000;
    private static final int MAX_POINT_DELETES = 64;
    private static final long FLUSH_CHECK_INTERVAL_NS = 1_000_000;
    private static final long MAX_FLUSH_WAIT_NS = 10_000_000_000L;
    private static final long INDEX_WALK_PACE = 5;
    static final int VIEW_KEYS = 0;
    static final int VIEW_REVISIONS = 1;
    static final int VIEW_LEASES = 2;
    static final int VIEW_LEASE_SEQUENCE = 0;
    static final int VIEW_ALARMS = 1;

    /**
     * Run RocksDB's compactions at the lowest CPU priority (nice 19), its flushes at the normal one; for every store of
     * the process, default true.
     * <p>
     * On a machine with fewer cores than busy threads a compaction (the deleted ranges of a removal of compacted
     * history, a large key space) otherwise takes a core from the log's threads: puts sent while a million revisions
     * were removed had a p99 1.5-3.5 times that of the same run without the removal, against 1.0-1.5 times at nice
     * 19; 45 s of puts at 100 in flight over a million keys ran as fast or faster (p99 7 ms rather than 9.5). Set it to
     * false where every core runs an agent that never parks (the low-latency idle profile), as a nice 19 thread then
     * gets too little of a core for compactions to keep up.
     */
    public static final String LOW_PRIORITY_COMPACTIONS_PROP_NAME = "metastore.rocksdb.low.priority.compactions";

    static
    {
        RocksDbLibrary.load();
        if (Boolean.parseBoolean(System.getProperty(LOW_PRIORITY_COMPACTIONS_PROP_NAME, "true")))
        {
            Env.getDefault().lowerThreadPoolCPUPriority(Priority.LOW);
        }
    }

    private final File dir;
    private final Logger logger;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnFamilyOptions;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final WriteBatchWithIndex batch;
    private final RocksDB db;
    private final ColumnFamilyHandle defaultColumnFamily;
    private ColumnFamilyHandle kvColumnFamily;
    private ColumnFamilyHandle leaseColumnFamily;
    private ColumnFamilyHandle revisionsColumnFamily;
    private volatile long compactedRevision;
    private final HistoryIndex historyIndex = new HistoryIndex();
    private final ByteBuffer chunkKey = ByteBuffer.allocateDirect(ChangeChunk.KEY_LENGTH);
    private ByteBuffer chunk = ByteBuffer.allocateDirect(2 * ChangeChunk.TARGET_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private boolean isChunkOpen;
    private long chunkRevision;
    private int chunkSubRevision;
    private final byte[] readKey = new byte[ChangeChunk.KEY_LENGTH];
    private final UnsafeBuffer readKeyBuffer = new UnsafeBuffer(readKey);
    private byte[] readValue = new byte[2 * ChangeChunk.TARGET_BYTES];
    /**
     * Taken shared by whoever uses the column families' handles from another thread (the read port, the space
     * monitor), exclusive by {@link #clear()}, which replaces them: a reclaim taking minutes must not stop reads.
     */
    private final ReentrantReadWriteLock columnFamilyLock = new ReentrantReadWriteLock();
    private RocksIterator compactionChunks;
    private long compactionTarget = -1;
    private byte[] compactionKey;
    private byte[] compactionEnd;
    private final TreeSet<byte[]> keptChunks = new TreeSet<>(Arrays::compareUnsigned);
    private byte[] runStart;
    private long compactionRemoved;
    private long compactionPassStartNs;
    private boolean isAwaitingFlush;
    private long dropNs;
    private long passRemovedChunks;
    private boolean isRemovalFlushRequested;
    private long awaitFlushSinceNs;
    private final ChangeChunk.Reader compactionReader = new ChangeChunk.Reader();
    private final ChangeChunk.Reader readReader = new ChangeChunk.Reader();
    private final ChangeChunk.Reader loadReader = new ChangeChunk.Reader();
    private long loadedRevision;
    private int loadedSubRevision;
    private final UnsafeBuffer readValueBuffer = new UnsafeBuffer(0, 0);
    private boolean isCompactionPassDone;
    private final ArrayList<byte[]> runKeys = new ArrayList<>();
    private final ArrayList<byte[]> removedRanges = new ArrayList<>();
    private long nextCompactionStepNs;
    private long stateVersion;
    private long pendingCompactedRevision;
    private volatile long physicallyCompactedRevision;
    private volatile long publishedCompactedRevision;
    private volatile long publishedRevision;
    private final byte[] appliedBytes = new byte[APPLIED_LENGTH];
    private final UnsafeBuffer appliedBuffer = new UnsafeBuffer(appliedBytes);
    private long appliedPosition;
    private long appliedRevision;
    private int lastCommitUpdates;

    private RocksDbStorage(final File dir)
    {
        this.dir = dir;
        // RocksDB's own LOG file would sit on the data disk: when that disk is full, RocksDB aborts the process in its
        // file logger while reporting the error. Its warnings and errors go to stderr instead, and nothing else.
        logger = new Slf4jLogger();
        dbOptions = new DBOptions()
            .setLogger(logger)
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setAtomicFlush(true)
            // Written out a MiB at a time as files are built, not all at once when each is synced: a flush or
            // compaction of hundreds of MiB otherwise left so many dirty pages that the log's writes to the same disk
            // were throttled by the kernel.
            .setBytesPerSync(1024 * 1024)
            // Files no version needs any more are deleted by a background job, not by the thread that drops the last
            // reference: closing the iterator of a removal pass (it pins every file the pass dropped) deleted hundreds
            // of MiB of files on the service's thread, and a put waited 70-100 ms.
            .setAvoidUnnecessaryBlockingIO(true);
        // In-place memtable updates would make a put a third cheaper, but break reverse iteration (descending ranges).
        // A 16 MiB memtable rather than the default 64 MiB: a put's skip-list insert (its cost is cache misses,
        // ~14 % of all CPU at 100 puts in flight) walks a smaller list; measured -10-15 % CPU per put.
        // No compression, as etcd's bbolt: metadata is small, and flushes and compactions that compress compete for
        // the same two cores as the apply thread; measured +10 % puts/s at 100 in flight.
        columnFamilyOptions = new ColumnFamilyOptions()
            .setWriteBufferSize(MEMTABLE_BYTES)
            .setCompressionType(CompressionType.NO_COMPRESSION);
        writeOptions = new WriteOptions().setSync(false).setDisableWAL(true);
        readOptions = new ReadOptions();
        batch = new WriteBatchWithIndex(true);

        final List<ColumnFamilyDescriptor> descriptors = List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnFamilyOptions),
            new ColumnFamilyDescriptor(KV_COLUMN_FAMILY, columnFamilyOptions),
            new ColumnFamilyDescriptor(LEASE_COLUMN_FAMILY, columnFamilyOptions),
            new ColumnFamilyDescriptor(REVISIONS_COLUMN_FAMILY, columnFamilyOptions));
        final List<ColumnFamilyHandle> handles = new ArrayList<>();
        try
        {
            if (!dir.exists() && !dir.mkdirs())
            {
                throw new StorageException("cannot create " + dir, null);
            }
            refuseDevelopmentLayout(dir);
            db = RocksDB.open(dbOptions, dir.getAbsolutePath(), descriptors, handles);
        }
        catch (final RocksDBException ex)
        {
            CloseHelper.closeAll(
                batch, readOptions, writeOptions, columnFamilyOptions, dbOptions, logger);
            throw new StorageException("cannot open RocksDB at " + dir, ex);
        }
        defaultColumnFamily = handles.get(0);
        kvColumnFamily = handles.get(1);
        leaseColumnFamily = handles.get(2);
        revisionsColumnFamily = handles.get(3);
    }

    /**
     * A development build kept the history in two other column families; its stores are not read.
     */
    private static void refuseDevelopmentLayout(final File dir) throws RocksDBException
    {
        if (!new File(dir, "CURRENT").exists())
        {
            return;
        }
        try (Options options = new Options())
        {
            for (final byte[] name : RocksDB.listColumnFamilies(options, dir.getAbsolutePath()))
            {
                if (Arrays.equals(DEVELOPMENT_HISTORY_COLUMN_FAMILY, name))
                {
                    throw new StorageException("the store at " + dir + " was written by a development build that " +
                        "kept history in another layout: remove it, the node rebuilds it from the log or a snapshot",
                        null);
                }
            }
        }
    }

    /**
     * A store records the layout of its history when first opened; one whose chunks were written in an earlier
     * development layout is refused, as their changes would be misread.
     */
    private void checkLayout()
    {
        try
        {
            final byte[] layout = db.get(defaultColumnFamily, LAYOUT_KEY);
            if (null != layout && 1 == layout.length && LAYOUT_VERSION == layout[0])
            {
                return;
            }
            final boolean hasChunks;
            try (RocksIterator chunks = db.newIterator(revisionsColumnFamily))
            {
                chunks.seekToFirst();
                hasChunks = chunks.isValid();
            }
            if (null != layout || hasChunks)
            {
                throw new StorageException("the store at " + dir + " was written by a development build that " +
                    "kept history in another layout: remove it, the node rebuilds it from the log or a snapshot",
                    null);
            }
            db.put(defaultColumnFamily, LAYOUT_KEY, new byte[]{ LAYOUT_VERSION });
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("check the store's layout", ex);
        }
    }

    /**
     * Open, or create, the storage in a directory. Keys without an applied marker, left by a load that did not
     * finish, are discarded.
     *
     * @param dir of the RocksDB files.
     * @return the storage.
     */
    public static RocksDbStorage open(final File dir)
    {
        final RocksDbStorage storage = new RocksDbStorage(dir);
        try
        {
            storage.checkLayout();
            storage.readApplied();
            storage.loadHistoryIndex();
        }
        catch (final RuntimeException ex)
        {
            storage.close();
            throw ex;
        }

        return storage;
    }

    /**
     * Directory holding the files.
     *
     * @return the directory.
     */
    public File dir()
    {
        return dir;
    }

    @Override
    public byte[] get(final byte[] key)
    {
        try
        {
            return batch.getFromBatchAndDB(db, kvColumnFamily, readOptions, key);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("get", ex);
        }
    }

    @Override
    public void put(final byte[] key, final byte[] record)
    {
        try
        {
            batch.put(kvColumnFamily, key, record);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("put", ex);
        }
    }

    @Override
    public void delete(final byte[] key)
    {
        try
        {
            batch.delete(kvColumnFamily, key);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("delete", ex);
        }
    }

    @Override
    public KvCursor cursor()
    {
        // The iterator with base owns, and closes, the database iterator it is built on.
        return new RocksKvCursor(batch.newIteratorWithBase(kvColumnFamily, db.newIterator(kvColumnFamily)));
    }

    @Override
    public KvCursor scanCursor()
    {
        final ReadOptions scanOptions = new ReadOptions()
            .setFillCache(false)
            .setVerifyChecksums(false)
            .setReadaheadSize(SCAN_READAHEAD_BYTES);
        return new RocksKvCursor(db.newIterator(kvColumnFamily, scanOptions), scanOptions);
    }

    @Override
    public long estimatedKeyCount()
    {
        try
        {
            return db.getLongProperty(kvColumnFamily, "rocksdb.estimate-num-keys");
        }
        catch (final RocksDBException ex)
        {
            return 0;
        }
    }

    @Override
    public void putLease(final long id, final long ttl, final long deadline)
    {
        final byte[] record = new byte[LEASE_RECORD_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        buffer.putLong(0, ttl);
        buffer.putLong(Long.BYTES, deadline);
        try
        {
            batch.put(leaseColumnFamily, leaseKey(id), record);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("put lease", ex);
        }
    }

    @Override
    public void deleteLease(final long id)
    {
        try
        {
            batch.delete(leaseColumnFamily, leaseKey(id));
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("delete lease", ex);
        }
    }

    @Override
    public void forEachLease(final LeaseConsumer consumer)
    {
        try (RocksIterator iterator =
            batch.newIteratorWithBase(leaseColumnFamily, db.newIterator(leaseColumnFamily)))
        {
            visitLeases(iterator, consumer);
        }
    }

    /**
     * Visit every committed lease, ignoring the batch: what a snapshot streams after a commit.
     *
     * @param consumer of each lease.
     */
    public void forEachCommittedLease(final LeaseConsumer consumer)
    {
        try (RocksIterator iterator = db.newIterator(leaseColumnFamily))
        {
            visitLeases(iterator, consumer);
        }
    }

    @Override
    public void putLeaseSequence(final long sequence)
    {
        final byte[] bytes = new byte[Long.BYTES];
        new UnsafeBuffer(bytes).putLong(0, sequence);
        try
        {
            batch.put(defaultColumnFamily, LEASE_SEQUENCE_KEY, bytes);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("put lease sequence", ex);
        }
    }

    @Override
    public long leaseSequence()
    {
        try
        {
            final byte[] bytes = batch.getFromBatchAndDB(db, defaultColumnFamily, readOptions, LEASE_SEQUENCE_KEY);
            return null == bytes ? 0 : new UnsafeBuffer(bytes).getLong(0);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("get lease sequence", ex);
        }
    }

    /**
     * The lease id sequence as last committed, ignoring the batch.
     *
     * @return the committed sequence, 0 if none.
     */
    public long committedLeaseSequence()
    {
        try
        {
            final byte[] bytes = db.get(defaultColumnFamily, LEASE_SEQUENCE_KEY);
            return null == bytes ? 0 : new UnsafeBuffer(bytes).getLong(0);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("get lease sequence", ex);
        }
    }

    @Override
    public void putAlarms(final byte[] record)
    {
        try
        {
            if (null == record)
            {
                batch.delete(defaultColumnFamily, ALARMS_KEY);
            }
            else
            {
                batch.put(defaultColumnFamily, ALARMS_KEY, record);
            }
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("put alarms", ex);
        }
    }

    @Override
    public byte[] alarms()
    {
        try
        {
            return batch.getFromBatchAndDB(db, defaultColumnFamily, readOptions, ALARMS_KEY);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("get alarms", ex);
        }
    }

    /**
     * The active alarms as last committed, ignoring the batch: what a snapshot streams after a commit.
     *
     * @return the committed record of the alarms, or null if none is active.
     */
    public byte[] committedAlarms()
    {
        try
        {
            return db.get(defaultColumnFamily, ALARMS_KEY);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("get alarms", ex);
        }
    }

    static void visitLeases(final RocksIterator iterator, final LeaseConsumer consumer)
    {
        for (iterator.seekToFirst(); iterator.isValid(); iterator.next())
        {
            final long id = new UnsafeBuffer(iterator.key()).getLong(0, ByteOrder.BIG_ENDIAN);
            final UnsafeBuffer record = new UnsafeBuffer(iterator.value());
            consumer.accept(id, record.getLong(0), record.getLong(Long.BYTES));
        }
    }

    @Override
    public Object putHistory(
        final byte[] key,
        final long revision,
        final int subRevision,
        final long timestampMs,
        final byte[] record,
        final Object hint)
    {
        final Object history = appendChange(key, revision, subRevision, timestampMs, record, hint);
        if (chunk.position() >= ChangeChunk.TARGET_BYTES)
        {
            sealChunk(batch);
        }
        return history;
    }

    /**
     * Record a change of a key that comes out of revision order, from a store or snapshot written before history was
     * kept, in a chunk of its own: chunks then still sort by revision.
     *
     * @param key         changed.
     * @param revision    of the change: the key's modification revision.
     * @param subRevision unique among these changes.
     * @param record      the key's record.
     */
    public void putHistoryAlone(final byte[] key, final long revision, final int subRevision, final byte[] record)
    {
        sealChunk(batch);
        appendChange(key, revision, subRevision, 0, record, null);
        sealChunk(batch);
    }

    /**
     * Add a change to the chunk being built and to the index.
     */
    private HistoryIndex.KeyHistory appendChange(
        final byte[] key,
        final long revision,
        final int subRevision,
        final long timestampMs,
        final byte[] record,
        final Object hint)
    {
        if (!isChunkOpen)
        {
            isChunkOpen = true;
            chunkRevision = revision;
            chunkSubRevision = subRevision;
            chunk.clear();
        }
        final int length = ChangeChunk.length(key, record);
        final int offset = chunk.position();
        if (chunk.remaining() < length)
        {
            final int capacity = Math.max(2 * chunk.capacity(), chunk.position() + length);
            final ByteBuffer larger = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
            chunk.flip();
            larger.put(chunk);
            chunk = larger;
        }
        final HistoryIndex.KeyHistory history = historyIndex.historyOf(key, hint);
        final long previousRevision = history.newestPutRevision();
        final int previousSubRevision = 0 == previousRevision ? 0 : history.newestSubRevision();
        ChangeChunk.append(
            chunk, revision, subRevision, timestampMs, previousRevision, previousSubRevision, key, record);
        historyIndex.add(
            history, revision, subRevision, chunkRevision, chunkSubRevision, null == record, offset, length);
        return history;
    }

    /**
     * Write the chunk being built, if any, into a batch: from a direct buffer kept for it, no array to make nor for
     * JNI to pin and copy.
     */
    private void sealChunk(final AbstractWriteBatch writes)
    {
        if (!isChunkOpen)
        {
            return;
        }
        try
        {
            chunkKey.clear();
            chunkKey.putLong(chunkRevision).putInt(chunkSubRevision).flip();
            chunk.flip();
            writes.put(revisionsColumnFamily, chunkKey, chunk);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("put history", ex);
        }
        chunk.clear();
        isChunkOpen = false;
    }

    @Override
    public KvCursor cursorAt(final long revision)
    {
        sealChunk(batch);
        return new HistoryCursor(historyIndex, this::readRecord, revision);
    }

    @Override
    public byte[] getAt(final byte[] key, final long revision)
    {
        final HistoryIndex.KeyHistory history = historyIndex.find(key);
        if (null == history)
        {
            return null;
        }
        final int newest = history.newestAt(revision);
        if (newest < 0 || history.isDelete(newest))
        {
            return null;
        }
        sealChunk(batch);
        return readRecord(history, newest);
    }

    /**
     * Read the record of a put from its chunk, through the batch. With nothing pending, only the chunk's bytes up to
     * the change's end are copied, into an array kept for it: a chunk is a few KiB, a record a few hundred bytes.
     */
    private byte[] readRecord(final HistoryIndex.KeyHistory history, final int index)
    {
        final int offset = history.offset(index);
        final int end = offset + history.length(index);
        readKeyBuffer.putLong(0, history.chunkRevision(index), ByteOrder.BIG_ENDIAN);
        readKeyBuffer.putInt(Long.BYTES, history.chunkSubRevision(index), ByteOrder.BIG_ENDIAN);
        byte[] value = readValue;
        try
        {
            if (0 == batch.count())
            {
                if (value.length < end)
                {
                    value = new byte[Math.max(end, 2 * value.length)];
                    readValue = value;
                }
                if (db.get(revisionsColumnFamily, readOptions, readKey, 0, readKey.length, value, 0, end) < end)
                {
                    value = null;
                }
            }
            else
            {
                value = batch.getFromBatchAndDB(db, revisionsColumnFamily, readOptions, readKey);
                if (null != value && value.length < end)
                {
                    value = null;
                }
            }
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("read history", ex);
        }
        if (null == value)
        {
            throw new StorageException("the change at revision " + history.revision(index) + "." +
                history.subRevision(index) + " is not in its chunk", null);
        }
        readValueBuffer.wrap(value);
        return ChangeChunk.recordAt(readValueBuffer, offset);
    }

    /**
     * An iterator over the chunks, through the batch, positioned on the one that holds the first change at or after
     * a revision, or on the first one after it.
     */
    private RocksIterator chunksFrom(final long revision)
    {
        sealChunk(batch);
        final RocksIterator chunks =
            batch.newIteratorWithBase(revisionsColumnFamily, db.newIterator(revisionsColumnFamily));
        seekChunkOf(chunks, revision);
        return chunks;
    }

    private static void seekChunkOf(final RocksIterator chunks, final long revision)
    {
        chunks.seekForPrev(ChangeChunk.key(revision, 0));
        if (!chunks.isValid())
        {
            chunks.seekToFirst();
        }
    }

    @Override
    public long compactedRevision()
    {
        return pendingCompactedRevision;
    }

    @Override
    public void putCompactedRevision(final long revision)
    {
        pendingCompactedRevision = revision;
    }

    @Override
    public int readChanges(
        final long fromRevision, final long toRevision, final int maxChanges, final ChangeConsumer consumer)
    {
        int count = 0;
        final ChangeChunk.Reader reader = readReader;
        try (RocksIterator chunks = chunksFrom(fromRevision))
        {
            for (; chunks.isValid() && count < maxChanges; chunks.next())
            {
                reader.wrap(chunks.value());
                while (count < maxChanges && reader.next())
                {
                    final long revision = reader.revision();
                    if (revision < fromRevision)
                    {
                        continue;
                    }
                    if (revision > toRevision)
                    {
                        return count;
                    }
                    count++;
                    if (!consumer.accept(
                        revision, reader.subRevision(), reader.timestampMs(), reader.key(), reader.record()))
                    {
                        return count;
                    }
                }
            }
        }

        return count;
    }

    @Override
    public long lastRevisionAt(final long timestampMs, final long currentRevision)
    {
        long low = pendingCompactedRevision + 1;
        long high = currentRevision;
        long found = 0;
        final ChangeChunk.Reader reader = readReader;
        try (RocksIterator chunks = chunksFrom(low))
        {
            while (low <= high)
            {
                final long middle = (low + high) >>> 1;
                long revision = -1;
                long changedAtMs = 0;
                for (seekChunkOf(chunks, middle); chunks.isValid() && revision < 0; chunks.next())
                {
                    reader.wrap(chunks.value());
                    while (reader.next())
                    {
                        if (reader.revision() >= middle)
                        {
                            revision = reader.revision();
                            changedAtMs = reader.timestampMs();
                            break;
                        }
                    }
                }
                if (revision < 0)
                {
                    high = middle - 1;
                }
                else if (changedAtMs <= timestampMs && revision <= currentRevision)
                {
                    found = revision;
                    low = revision + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
        }

        return found;
    }

    /**
     * Remove, in one small step, changes that no read at or after the committed compacted revision can see: every
     * change of a key older than its newest one at or below that revision, and that newest one too if it is a
     * delete. What no read can see is all it removes, so how far it got never changes an answer, a digest or a
     * snapshot; a restart starts the pass again.
     * <p>
     * A pass needs no chunk read. First it walks the index by key, a slice per step, dropping each key's hidden
     * changes and noting the chunk that holds the change each key keeps at or below the revision. Then it walks the
     * chunks' keys below the revision and deletes every chunk none of those hold: a run of more than
     * {@link #MAX_POINT_DELETES} as one range deletion, as RocksDB drops covered files whole when it compacts them.
     * A chunk that holds a kept change and hidden ones is rewritten, under its key, with only what reads can see (the
     * index learns where the kept changes moved). Chunks go in revision order, so whatever a crash loses of a pass,
     * a hidden change never outlives the change that hides it. Steps are bounded in time and paced: the index walk
     * to a fifth of the thread, deleting and rewriting chunks to 5,000 a second. A pass that deleted ranges ends by
     * dropping the files wholly inside them once a flush has made its rewrites durable, without waiting for that
     * flush.
     *
     * @param maxChanges most keys, or chunks, to look at.
     * @return the keys or chunks looked at, 1 when a pass's files are dropped, 0 once everything below the compacted
     *         revision is removed, while removal is paced or while its flush is under way.
     */
    public int compactStep(final int maxChanges)
    {
        final long target = compactedRevision;
        final long nowNs = System.nanoTime();
        if (nowNs - nextCompactionStepNs < 0)
        {
            return 0;
        }
        if (isAwaitingFlush)
        {
            // Whatever the target now, the pass that ended drops its files first: its rewrites are on their way to
            // disk.
            return dropRemovedFiles(nowNs);
        }
        if (physicallyCompactedRevision >= target)
        {
            return 0;
        }
        if (target != compactionTarget)
        {
            // A new target starts the pass again: what the old one kept, the new one may remove.
            startCompactionPass(target);
        }

        final long deadlineNs = nowNs + MAX_COMPACTION_STEP_NS;
        if (null == compactionChunks)
        {
            final int count = trimIndex(target, maxChanges, deadlineNs);
            // The walk takes a fifth of the thread at most: back to back, a million revisions' walk kept the service's
            // thread busy for 50 ms, which on a small machine starved the threads the log needs of their core.
            nextCompactionStepNs = nowNs + (System.nanoTime() - nowNs) * INDEX_WALK_PACE;
            return count;
        }

        final int count;
        try (WriteBatch removals = new WriteBatch())
        {
            count = removeChunks(removals, maxChanges, deadlineNs);
            // Not a low priority write: RocksDB throttles those by sleeping in the writer, the service's thread.
            db.write(writeOptions, removals);
            stateVersion++;
            if (isCompactionPassDone)
            {
                if (removedRanges.isEmpty())
                {
                    endRemovalPass();
                }
                else
                {
                    isAwaitingFlush = true;
                }
                return count;
            }
            nextCompactionStepNs =
                System.nanoTime() + compactionRemoved * (1_000_000_000L / MAX_REMOVED_CHUNKS_PER_SECOND);
            compactionRemoved = 0;
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("compact history to revision " + target, ex);
        }

        return count;
    }

    /**
     * The end of a pass that deleted ranges of chunks: the files wholly inside them go without RocksDB rewriting
     * them (a compaction of hundreds of MiB of them stalled the log's writes on the same disk). Their going is
     * durable at once, so the pass's rewrites of earlier chunks must be on disk first: a flush is asked for, never
     * waited for, as the service's thread must not stop applying (waiting measured 20-40 ms after a million
     * revisions), and only when no flush is under way, as a second memtable switched while one is still being
     * written stops every write until it is.
     *
     * @return 1 once the files are dropped, 0 while the flush is still to come.
     */
    private int dropRemovedFiles(final long nowNs)
    {
        nextCompactionStepNs = nowNs + FLUSH_CHECK_INTERVAL_NS;
        if (0 == awaitFlushSinceNs)
        {
            awaitFlushSinceNs = nowNs;
        }
        try
        {
            if (hasImmutableMemtables())
            {
                if (nowNs - awaitFlushSinceNs > MAX_FLUSH_WAIT_NS)
                {
                    // Flushes never caught up (a load that fills memtables as fast as they are written): the files
                    // stay for RocksDB's compactions to reclaim, as the deleted ranges already hide what they hold.
                    LOG.info("history below revision {}: files not dropped whole, flushes busy for {} s",
                        compactionTarget, MAX_FLUSH_WAIT_NS / 1_000_000_000L);
                    endRemovalPass();
                    return 1;
                }
                return 0;
            }
            if (!isRemovalFlushRequested)
            {
                try (FlushOptions flushOptions = new FlushOptions().setWaitForFlush(false).setAllowWriteStall(true))
                {
                    db.flush(flushOptions, columnFamilies());
                }
                catch (final RocksDBException ex)
                {
                    if (null != ex.getStatus() && Status.Code.TryAgain == ex.getStatus().getCode())
                    {
                        // Writes are stopped (too many level-0 files, say): a flush that does not wait is refused then.
                        return 0;
                    }
                    throw ex;
                }
                // The memtables are switched by the time flush returns: once none is left to write, these are written.
                isRemovalFlushRequested = true;
                return 0;
            }
            final long startNs = System.nanoTime();
            db.deleteFilesInRanges(revisionsColumnFamily, removedRanges, false);
            dropNs = System.nanoTime() - startNs;
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("drop the files of history compacted to revision " + compactionTarget, ex);
        }
        endRemovalPass();
        return 1;
    }

    private boolean hasImmutableMemtables() throws RocksDBException
    {
        for (final ColumnFamilyHandle handle : columnFamilies())
        {
            if (db.getLongProperty(handle, "rocksdb.num-immutable-mem-table") > 0)
            {
                return true;
            }
        }
        return false;
    }

    private void endRemovalPass()
    {
        final long target = compactionTarget;
        if (passRemovedChunks > 0)
        {
            LOG.info("history below revision {} removed from disk in {} ms: {} records deleted or rewritten " +
                "(dropping whole files {} µs)", target, (System.nanoTime() - compactionPassStartNs) / 1_000_000,
                passRemovedChunks, dropNs / 1000);
        }
        endCompactionPass();
        // Only once the last removals are written: the quota monitor reclaims their space when it moves.
        physicallyCompactedRevision = target;
    }

    /**
     * Walk a slice of the index by key, dropping each key's hidden changes and noting the chunk of the one it keeps
     * at or below the revision; at the end of the index, start on the chunks.
     *
     * @return the keys looked at.
     */
    private int trimIndex(final long target, final int maxKeys, final long deadlineNs)
    {
        int count = 0;
        HistoryIndex.KeyHistory history =
            null == compactionKey ? historyIndex.first() : historyIndex.higher(compactionKey);
        while (null != history && count < maxKeys && !(count > 0 && System.nanoTime() - deadlineNs > 0))
        {
            count++;
            while (history.count() > 0 && !history.isKept(0, target))
            {
                historyIndex.removeOldest(history);
            }
            if (history.count() > 0 && history.revision(0) <= target)
            {
                keptChunks.add(ChangeChunk.key(history.chunkRevision(0), history.chunkSubRevision(0)));
            }
            compactionKey = history.key();
            history = historyIndex.higher(compactionKey);
        }
        if (null == history)
        {
            compactionChunks = db.newIterator(revisionsColumnFamily);
            compactionChunks.seekForPrev(compactionEnd);
            if (compactionChunks.isValid())
            {
                // The chunk that may hold changes on both sides of the revision stays.
                keptChunks.add(compactionChunks.key());
            }
            compactionChunks.seekToFirst();
        }
        return count;
    }

    /**
     * Walk a slice of the chunks below the revision, deleting those that hold nothing kept.
     *
     * @return the chunks looked at; {@link #isCompactionPassDone} once past the last one below the revision.
     */
    private int removeChunks(final WriteBatch removals, final int maxChunks, final long deadlineNs)
        throws RocksDBException
    {
        final RocksIterator chunks = compactionChunks;
        int count = 0;
        while (count < maxChunks && !(count > 0 && System.nanoTime() - deadlineNs > 0))
        {
            final byte[] key = chunks.isValid() ? chunks.key() : compactionEnd;
            if (Arrays.compareUnsigned(key, compactionEnd) >= 0)
            {
                endRemovalRun(removals, compactionEnd);
                isCompactionPassDone = true;
                return count;
            }
            count++;
            if (keptChunks.contains(key))
            {
                endRemovalRun(removals, key);
                rewriteIfMostlyHidden(removals, key, chunks.value());
            }
            else
            {
                if (null == runStart)
                {
                    runStart = key;
                }
                if (runKeys.size() <= MAX_POINT_DELETES)
                {
                    runKeys.add(key);
                }
                compactionRemoved++;
                passRemovedChunks++;
            }
            chunks.next();
        }
        return count;
    }

    /**
     * Rewrite a chunk that holds a kept change, under its key, with only what reads can still see: the changes it
     * keeps move, and the index learns where to. A hidden change must never outlive the later change that hides it:
     * a key's put left in a kept chunk after the chunk of its delete went would be the key's newest change once the
     * index is rebuilt from the chunks at the next start, and the key would live again on that member alone.
     */
    private void rewriteIfMostlyHidden(final WriteBatch removals, final byte[] key, final byte[] chunk)
        throws RocksDBException
    {
        final long target = compactionTarget;
        final ChangeChunk.Reader reader = compactionReader.wrap(chunk);
        int keptBytes = 0;
        while (reader.next())
        {
            if (isKept(reader.key(), reader.revision(), reader.subRevision(), target))
            {
                keptBytes += reader.end() - reader.offset();
            }
        }
        if (keptBytes == chunk.length)
        {
            return;
        }
        compactionRemoved++;
        passRemovedChunks++;
        if (0 == keptBytes)
        {
            removals.delete(revisionsColumnFamily, key);
            return;
        }
        final byte[] rewritten = new byte[keptBytes];
        int position = 0;
        reader.wrap(chunk);
        while (reader.next())
        {
            final HistoryIndex.KeyHistory history = historyIndex.find(reader.key());
            final int index = null == history ? -1 : history.indexOf(reader.revision(), reader.subRevision());
            if (index >= 0 && history.isKept(index, target))
            {
                final int length = reader.end() - reader.offset();
                System.arraycopy(chunk, reader.offset(), rewritten, position, length);
                history.relocate(index, position);
                position += length;
            }
        }
        removals.put(revisionsColumnFamily, key, rewritten);
    }

    private void startCompactionPass(final long target)
    {
        endCompactionPass();
        compactionTarget = target;
        compactionEnd = ChangeChunk.key(target + 1, 0);
        compactionPassStartNs = System.nanoTime();
        dropNs = 0;
        passRemovedChunks = 0;
    }

    private void endCompactionPass()
    {
        CloseHelper.close(compactionChunks);
        compactionChunks = null;
        compactionTarget = -1;
        compactionKey = null;
        isCompactionPassDone = false;
        isAwaitingFlush = false;
        isRemovalFlushRequested = false;
        awaitFlushSinceNs = 0;
        keptChunks.clear();
        removedRanges.clear();
        runStart = null;
        runKeys.clear();
    }

    /**
     * Delete a run of chunks that hold nothing kept, ending before a key: one by one if few, else as a range.
     */
    private void endRemovalRun(final WriteBatch removals, final byte[] end) throws RocksDBException
    {
        if (null == runStart)
        {
            return;
        }
        if (runKeys.size() > MAX_POINT_DELETES)
        {
            removals.deleteRange(revisionsColumnFamily, runStart, end);
            removedRanges.add(runStart);
            removedRanges.add(end);
        }
        else
        {
            for (int i = 0, size = runKeys.size(); i < size; i++)
            {
                removals.delete(revisionsColumnFamily, runKeys.get(i));
            }
        }
        runStart = null;
        runKeys.clear();
    }

    /**
     * Visit the committed history a read at or after the compacted revision can see, in revision order: every
     * change above the compacted revision, and each key's newest at or below it unless that is a delete. What
     * physical removal has not reached yet is skipped, so digests and snapshots of replicas agree.
     *
     * @param consumer of each change kept.
     */
    public void forEachKeptChange(final ChangeConsumer consumer)
    {
        final long compacted = compactedRevision;
        final ChangeChunk.Reader reader = new ChangeChunk.Reader();
        final ReadOptions scanOptions = new ReadOptions().setFillCache(false).setReadaheadSize(SCAN_READAHEAD_BYTES);
        try (scanOptions; RocksIterator chunks = db.newIterator(revisionsColumnFamily, scanOptions))
        {
            for (chunks.seekToFirst(); chunks.isValid(); chunks.next())
            {
                reader.wrap(chunks.value());
                while (reader.next())
                {
                    final long revision = reader.revision();
                    final byte[] key = reader.key();
                    if (revision <= compacted && !isKept(key, revision, reader.subRevision(), compacted))
                    {
                        continue;
                    }
                    if (!consumer.accept(revision, reader.subRevision(), reader.timestampMs(), key, reader.record()))
                    {
                        return;
                    }
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * Reads what is committed, not the batch being applied.
     */
    @Override
    public void forEachKeptChunk(final ChunkConsumer consumer)
    {
        final long compacted = compactedRevision;
        final ReadOptions scanOptions = new ReadOptions().setFillCache(false).setReadaheadSize(SCAN_READAHEAD_BYTES);
        try (scanOptions; RocksIterator chunks = db.newIterator(revisionsColumnFamily, scanOptions))
        {
            new KeptChunks().forEach(chunks, compacted,
                (key, revision, subRevision, isDelete) -> isKept(key, revision, subRevision, compacted), consumer,
                () -> {});
        }
    }

    /**
     * Load a chunk of history from a snapshot into the batch (format 6, chunks in revision order): the chunk as it is,
     * its changes into the index, and each changed key as the change leaves it, so the keys end as the newest change
     * of each left them.
     *
     * @param key   of the chunk: the revision and sub revision of its first change, big-endian.
     * @param chunk its changes, in the layout of {@link ChangeChunk}.
     * @throws StorageException if the chunk is not one of changes in revision order, each after those before it.
     */
    public void putChunk(final byte[] key, final byte[] chunk)
    {
        if (ChangeChunk.KEY_LENGTH != key.length)
        {
            throw new StorageException("a chunk of history with a key of " + key.length + " bytes", null);
        }
        final long chunkRevision = ChangeChunk.revisionOf(key);
        final int chunkSubRevision = ChangeChunk.subRevisionOf(key);
        checkChunk(chunkRevision, chunkSubRevision, chunk);
        sealChunk(batch);
        final ChangeChunk.Reader reader = loadReader.wrap(chunk);
        try
        {
            batch.put(revisionsColumnFamily, key, chunk);
            while (reader.next())
            {
                final byte[] changedKey = reader.key();
                if (reader.isDelete())
                {
                    batch.delete(kvColumnFamily, changedKey);
                }
                else
                {
                    batch.put(kvColumnFamily, changedKey, reader.record());
                }
                historyIndex.add(changedKey, reader.revision(), reader.subRevision(), chunkRevision, chunkSubRevision,
                    reader.isDelete(), reader.offset(), reader.end() - reader.offset(), null);
            }
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("load a chunk of history", ex);
        }
    }

    /**
     * Check a chunk whole before any of it is loaded: not empty, starting with the change its key names, each change
     * within it and after every change loaded before.
     */
    private void checkChunk(final long chunkRevision, final int chunkSubRevision, final byte[] chunk)
    {
        final ChangeChunk.Reader reader = loadReader.wrap(chunk);
        long lastRevision = loadedRevision;
        int lastSubRevision = loadedSubRevision;
        boolean isFirst = true;
        try
        {
            while (reader.next())
            {
                final long revision = reader.revision();
                final int subRevision = reader.subRevision();
                if (reader.keyLength() < 0 || reader.recordLength() < -1 || reader.end() > chunk.length ||
                    reader.end() <= reader.offset())
                {
                    throw new StorageException("a chunk of history at " + chunkRevision + "." + chunkSubRevision +
                        " holds a change of a wrong length", null);
                }
                if ((isFirst && (revision != chunkRevision || subRevision != chunkSubRevision)) ||
                    revision < lastRevision || (revision == lastRevision && subRevision <= lastSubRevision))
                {
                    throw new StorageException("a chunk of history at " + chunkRevision + "." + chunkSubRevision +
                        " holds a change at " + revision + "." + subRevision + " out of order, after " +
                        lastRevision + "." + lastSubRevision, null);
                }
                isFirst = false;
                lastRevision = revision;
                lastSubRevision = subRevision;
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            throw new StorageException("a chunk of history at " + chunkRevision + "." + chunkSubRevision +
                " ends inside a change", ex);
        }
        if (isFirst)
        {
            throw new StorageException("a chunk of history at " + chunkRevision + "." + chunkSubRevision +
                " holds no change", null);
        }
        loadedRevision = lastRevision;
        loadedSubRevision = lastSubRevision;
    }

    private boolean isKept(final byte[] key, final long revision, final int subRevision, final long compacted)
    {
        final HistoryIndex.KeyHistory history = historyIndex.find(key);
        if (null == history)
        {
            return false;
        }
        final int index = history.indexOf(revision, subRevision);
        return index >= 0 && history.isKept(index, compacted);
    }

    /**
     * @return the number of keys whose newest change is a put: the keys of the current state.
     */
    public long liveKeyCount()
    {
        return historyIndex.liveKeyCount();
    }

    /**
     * The bytes the store takes: its files on disk and its memtables. Safe to call from any thread.
     *
     * @return the size of the store.
     */
    public long sizeBytes()
    {
        try
        {
            return db.getAggregatedLongProperty("rocksdb.total-sst-files-size") +
                db.getAggregatedLongProperty("rocksdb.size-all-mem-tables");
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("read the size of the store", ex);
        }
    }

    /**
     * Reclaim the space of deleted keys and removed history now, as etcd's defragmentation: flush, then compact every
     * column family whole. Safe to call from any thread; it takes as long as rewriting the store.
     */
    public void reclaim()
    {
        columnFamilyLock.readLock().lock();
        try
        {
            try
            {
                flush();
                for (final ColumnFamilyHandle columnFamily : columnFamilies())
                {
                    db.compactRange(columnFamily);
                }
            }
            catch (final RocksDBException ex)
            {
                throw new StorageException("compact the store", ex);
            }
        }
        finally
        {
            columnFamilyLock.readLock().unlock();
        }
    }

    /**
     * @return the compacted revision as committed.
     */
    public long committedCompactedRevision()
    {
        return compactedRevision;
    }

    /**
     * @return the compacted revision below which {@link #compactStep(int)} has removed the history no read can see,
     *         since the store was opened: it trails {@link #committedCompactedRevision()}. Safe from any thread.
     */
    public long removedRevision()
    {
        return physicallyCompactedRevision;
    }

    private static byte[] leaseKey(final long id)
    {
        final byte[] key = new byte[Long.BYTES];
        new UnsafeBuffer(key).putLong(0, id, ByteOrder.BIG_ENDIAN);
        return key;
    }

    /**
     * A cursor over the committed keys only, ignoring the batch: what a snapshot streams after a commit.
     *
     * @return a cursor over the committed state.
     */
    public KvCursor committedCursor()
    {
        return new RocksKvCursor(db.newIterator(kvColumnFamily));
    }

    /**
     * The committed state at its latest revision, for a thread other than the service's.
     *
     * @return a view of it; close it when done.
     */
    public CommittedView openCommittedView()
    {
        columnFamilyLock.readLock().lock();
        try
        {
            final Snapshot snapshot = db.getSnapshot();
            try (ReadOptions options = new ReadOptions().setSnapshot(snapshot))
            {
                final byte[] applied = db.get(defaultColumnFamily, options, APPLIED_KEY);
                final UnsafeBuffer buffer = new UnsafeBuffer(null == applied ? new byte[APPLIED_LENGTH] : applied);
                final long compacted = null != applied && APPLIED_LENGTH == applied.length ?
                    buffer.getLong(2 * Long.BYTES) : 0;
                return new CommittedView(this, db, snapshot, buffer.getLong(0), buffer.getLong(Long.BYTES), compacted);
            }
            catch (final RocksDBException ex)
            {
                db.releaseSnapshot(snapshot);
                throw new StorageException("read the applied marker", ex);
            }
        }
        finally
        {
            columnFamilyLock.readLock().unlock();
        }
    }

    /**
     * Every change of the history in revision order up to a revision, as a snapshot's read options see them, under the
     * column families' read lock.
     */
    void forEachCommittedChange(final long toRevision, final ReadOptions options, final ChangeConsumer consumer)
    {
        final ChangeChunk.Reader reader = new ChangeChunk.Reader();
        columnFamilyLock.readLock().lock();
        try (RocksIterator chunks = db.newIterator(revisionsColumnFamily, options))
        {
            for (chunks.seekToFirst(); chunks.isValid(); chunks.next())
            {
                if (ChangeChunk.revisionOf(chunks.key()) > toRevision)
                {
                    return;
                }
                reader.wrap(chunks.value());
                while (reader.next())
                {
                    final long revision = reader.revision();
                    if (revision > toRevision)
                    {
                        return;
                    }
                    if (!consumer.accept(
                        revision, reader.subRevision(), reader.timestampMs(), reader.key(), reader.record()))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            columnFamilyLock.readLock().unlock();
        }
    }

    /**
     * A raw iterator over one of the history's, leases' or default column family under a view's read options; the
     * caller closes it.
     */
    RocksIterator viewIterator(final int family, final ReadOptions options)
    {
        columnFamilyLock.readLock().lock();
        try
        {
            return db.newIterator(switch (family)
            {
                case VIEW_REVISIONS -> revisionsColumnFamily;
                case VIEW_LEASES -> leaseColumnFamily;
                default -> kvColumnFamily;
            }, options);
        }
        finally
        {
            columnFamilyLock.readLock().unlock();
        }
    }

    byte[] viewGetDefault(final int key, final ReadOptions options)
    {
        try
        {
            return db.get(defaultColumnFamily, options, VIEW_LEASE_SEQUENCE == key ? LEASE_SEQUENCE_KEY : ALARMS_KEY);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("read a committed view", ex);
        }
    }

    KvCursor committedCursor(final ReadOptions options)
    {
        columnFamilyLock.readLock().lock();
        try
        {
            return new RocksKvCursor(db.newIterator(kvColumnFamily, options));
        }
        finally
        {
            columnFamilyLock.readLock().unlock();
        }
    }

    byte[] getCommitted(final byte[] key, final ReadOptions options)
    {
        try
        {
            columnFamilyLock.readLock().lock();
            try
            {
                return db.get(kvColumnFamily, options, key);
            }
            finally
            {
                columnFamilyLock.readLock().unlock();
            }
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("read", ex);
        }
    }

    @Override
    public long appliedPosition()
    {
        return appliedPosition;
    }

    @Override
    public long appliedRevision()
    {
        return appliedRevision;
    }

    @Override
    public boolean hasPendingWrites()
    {
        return batch.count() > 0 || isChunkOpen;
    }

    /**
     * @return the updates (puts and deletes of keys, the applied marker's included) of the last
     *         {@link #commit(long, long)}'s atomic write; for the service's counters.
     */
    public int lastCommitUpdates()
    {
        return lastCommitUpdates;
    }

    @Override
    public void commit(final long logPosition, final long revision)
    {
        appliedBuffer.putLong(0, logPosition);
        appliedBuffer.putLong(Long.BYTES, revision);
        appliedBuffer.putLong(2 * Long.BYTES, pendingCompactedRevision);
        try
        {
            sealChunk(batch);
            batch.put(defaultColumnFamily, APPLIED_KEY, appliedBytes);
            db.write(writeOptions, batch);
            stateVersion++;
            lastCommitUpdates = batch.count();
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("commit at logPosition=" + logPosition, ex);
        }
        batch.clear();
        appliedPosition = logPosition;
        appliedRevision = revision;
        compactedRevision = pendingCompactedRevision;
        publishCommitted();
    }

    /**
     * Drop the writes not yet committed: what a failed apply leaves behind must never reach RocksDB.
     */
    public void discardPending()
    {
        batch.clear();
        isChunkOpen = false;
        stateVersion++;
        pendingCompactedRevision = compactedRevision;
        // The index held the batch's changes: it is built again from what is committed.
        loadHistoryIndex();
    }

    /**
     * Write the current batch without moving the applied marker: a chunk of a snapshot being loaded, which
     * counts only once its last chunk is followed by {@link #commit(long, long)}.
     */
    public void writePending()
    {
        try
        {
            sealChunk(batch);
            db.write(writeOptions, batch);
            stateVersion++;
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("write", ex);
        }
        batch.clear();
    }

    /**
     * Note the length of the snapshot just taken, for the next start that keeps this store: it reads no more than the
     * snapshot's header, and the snapshot schedule waits for as much log as the last snapshot held. Not replicated
     * state and not in the digest; written through RocksDB's write-ahead log and synced, as the cluster id, so that a
     * start after kill -9 finds it too (one sync per snapshot).
     *
     * @param bytes the snapshot's length.
     */
    public void recordSnapshotBytes(final long bytes)
    {
        try (WriteOptions durable = new WriteOptions().setSync(true))
        {
            db.put(defaultColumnFamily, durable, SNAPSHOT_BYTES_KEY,
                ByteBuffer.allocate(Long.BYTES).putLong(bytes).array());
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("cannot record the snapshot's length", ex);
        }
    }

    /**
     * @return the length of the last snapshot {@link #recordSnapshotBytes(long)} noted, 0 if none.
     */
    public long recordedSnapshotBytes()
    {
        try
        {
            final byte[] stored = db.get(defaultColumnFamily, SNAPSHOT_BYTES_KEY);
            return null == stored || stored.length != Long.BYTES ? 0 : ByteBuffer.wrap(stored).getLong();
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("cannot read the snapshot's length", ex);
        }
    }

    /**
     * Bind the store to a cluster: the first start records the cluster's id, so that a later start with another
     * id (another cluster's configuration pointed at this directory) can be refused. The id stays when a snapshot
     * replaces the store's contents.
     *
     * @param clusterId of the cluster starting on this store.
     * @return the id the store is bound to: the one given, or the one recorded by an earlier start.
     */
    public int bindClusterId(final int clusterId)
    {
        try
        {
            final byte[] stored = db.get(defaultColumnFamily, CLUSTER_ID_KEY);
            if (null != stored)
            {
                return ByteBuffer.wrap(stored).getInt();
            }
            try (WriteOptions durable = new WriteOptions().setSync(true))
            {
                db.put(defaultColumnFamily, durable, CLUSTER_ID_KEY, ByteBuffer.allocate(Integer.BYTES)
                    .putInt(clusterId).array());
            }

            return clusterId;
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("cannot record the cluster id", ex);
        }
    }

    /**
     * Discard every key, lease, alarm and the applied marker, committed: the start of loading a snapshot.
     */
    public void clear()
    {
        batch.clear();
        stateVersion++;
        endCompactionPass();
        historyIndex.clear();
        isChunkOpen = false;
        loadedRevision = 0;
        loadedSubRevision = 0;
        try
        {
            db.delete(defaultColumnFamily, APPLIED_KEY);
            db.delete(defaultColumnFamily, LEASE_SEQUENCE_KEY);
            db.delete(defaultColumnFamily, ALARMS_KEY);
            db.delete(defaultColumnFamily, COMPACTED_KEY);
            columnFamilyLock.writeLock().lock();
            try
            {
                kvColumnFamily = recreate(kvColumnFamily, KV_COLUMN_FAMILY);
                leaseColumnFamily = recreate(leaseColumnFamily, LEASE_COLUMN_FAMILY);
                revisionsColumnFamily = recreate(revisionsColumnFamily, REVISIONS_COLUMN_FAMILY);
            }
            finally
            {
                columnFamilyLock.writeLock().unlock();
            }
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("clear", ex);
        }
        appliedPosition = 0;
        appliedRevision = 0;
        compactedRevision = 0;
        physicallyCompactedRevision = 0;
        publishCommitted();
    }

    private ColumnFamilyHandle recreate(final ColumnFamilyHandle handle, final byte[] name) throws RocksDBException
    {
        db.dropColumnFamily(handle);
        handle.close();
        return db.createColumnFamily(new ColumnFamilyDescriptor(name, columnFamilyOptions));
    }

    private List<ColumnFamilyHandle> columnFamilies()
    {
        return List.of(
            defaultColumnFamily, kvColumnFamily, leaseColumnFamily, revisionsColumnFamily);
    }

    /**
     * Write what is committed but held only in memory (the write-ahead log is off) to disk, and wait for it: the
     * state survives a crash from here on. A snapshot taken or loaded must be on disk before the log before it can be
     * skipped at the next start, or that start would find storage behind the snapshot and rebuild it whole.
     */
    public void flush()
    {
        try (FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true))
        {
            db.flush(flushOptions, columnFamilies());
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("flush", ex);
        }
    }

    /**
     * Close the database; writes not committed are dropped, as the log still holds them.
     */
    public void close()
    {
        try (FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true))
        {
            db.flush(flushOptions, columnFamilies());
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("flush on close", ex);
        }
        finally
        {
            closeAll();
        }
    }

    private void closeAll()
    {
        CloseHelper.closeAll(
            compactionChunks,
            batch, kvColumnFamily, leaseColumnFamily, revisionsColumnFamily, defaultColumnFamily,
            db, readOptions, writeOptions, columnFamilyOptions, dbOptions, logger);
    }

    private void readApplied()
    {
        final byte[] applied;
        try
        {
            applied = db.get(defaultColumnFamily, APPLIED_KEY);
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("read applied marker", ex);
        }

        if (null == applied)
        {
            try (KvCursor cursor = committedCursor())
            {
                cursor.seekToFirst();
                if (cursor.isValid())
                {
                    clear();
                }
            }
        }
        else
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(applied);
            appliedPosition = buffer.getLong(0);
            appliedRevision = buffer.getLong(Long.BYTES);
            if (APPLIED_LENGTH_BEFORE_HISTORY == applied.length)
            {
                keepHistoryFromNow();
            }
            else
            {
                compactedRevision = buffer.getLong(2 * Long.BYTES);
            }
            pendingCompactedRevision = compactedRevision;
        }
        publishCommitted();
    }

    /**
     * Tell the threads that read the committed history ({@link HistoryReader}) what it now holds: the compacted
     * revision first, so that one who reads the revision then the compacted revision never sees an older one.
     */
    private void publishCommitted()
    {
        publishedCompactedRevision = compactedRevision;
        publishedRevision = appliedRevision;
    }

    /**
     * @return the revision committed to the store; safe from any thread.
     */
    public long publishedRevision()
    {
        return publishedRevision;
    }

    /**
     * @return the compacted revision committed to the store, as of {@link #publishedRevision()} or later; safe from
     *         any thread.
     */
    public long publishedCompactedRevision()
    {
        return publishedCompactedRevision;
    }

    /**
     * Read committed chunks of the history from a thread other than the service's, under the lock that keeps the
     * column family from being replaced meanwhile (a snapshot loaded at start). Whole revisions only: past
     * {@code maxBytes}, reading stops before the next chunk that starts a revision.
     *
     * @param fromRevision    first revision wanted.
     * @param fromSubRevision first change of it wanted: a reader resuming within a revision skips the chunks before.
     * @param toRevision      last revision wanted.
     * @param maxBytes        stop at the first revision boundary past this many bytes.
     * @param options      the reading thread's own.
     * @param chunks       to add the chunks to, in revision order; the first may start before the revision, the
     *                     last may go on after the revision returned.
     * @return the last revision whose changes the chunks hold whole: {@code toRevision} unless stopped early.
     */
    long readCommittedChunks(
        final long fromRevision,
        final int fromSubRevision,
        final long toRevision,
        final int maxBytes,
        final ReadOptions options,
        final List<byte[]> chunks)
    {
        int bytes = 0;
        columnFamilyLock.readLock().lock();
        try
        {
            try (RocksIterator iterator = db.newIterator(revisionsColumnFamily, options))
            {
                iterator.seekForPrev(ChangeChunk.key(fromRevision, fromSubRevision));
                if (!iterator.isValid())
                {
                    iterator.seekToFirst();
                }
                for (; iterator.isValid(); iterator.next())
                {
                    final byte[] key = iterator.key();
                    final long revision = ChangeChunk.revisionOf(key);
                    if (revision > toRevision)
                    {
                        break;
                    }
                    if (bytes >= maxBytes && 0 == ChangeChunk.subRevisionOf(key) && revision > fromRevision)
                    {
                        return revision - 1;
                    }
                    final byte[] chunk = iterator.value();
                    chunks.add(chunk);
                    bytes += chunk.length;
                }
            }
        }
        finally
        {
            columnFamilyLock.readLock().unlock();
        }

        return toRevision;
    }

    /**
     * Read the committed chunk that holds a change, from a thread other than the service's.
     *
     * @param revision    of the change.
     * @param subRevision of the change.
     * @param options     the reading thread's own.
     * @return the chunk that would hold it, or null.
     */
    byte[] readCommittedChunkOf(final long revision, final int subRevision, final ReadOptions options)
    {
        columnFamilyLock.readLock().lock();
        try
        {
            try (RocksIterator iterator = db.newIterator(revisionsColumnFamily, options))
            {
                iterator.seekForPrev(ChangeChunk.key(revision, subRevision));
                return iterator.isValid() ? iterator.value() : null;
            }
        }
        finally
        {
            columnFamilyLock.readLock().unlock();
        }
    }

    /**
     * Build the history's index from the chunks: one pass over the kept history, in revision order, reading ahead.
     */
    private void loadHistoryIndex()
    {
        endCompactionPass();
        historyIndex.clear();
        final ChangeChunk.Reader reader = new ChangeChunk.Reader();
        try (ReadOptions scanOptions = new ReadOptions().setFillCache(false).setReadaheadSize(SCAN_READAHEAD_BYTES);
            RocksIterator chunks = db.newIterator(revisionsColumnFamily, scanOptions))
        {
            for (chunks.seekToFirst(); chunks.isValid(); chunks.next())
            {
                final byte[] key = chunks.key();
                final long revision = ChangeChunk.revisionOf(key);
                final int subRevision = ByteBuffer.wrap(key).getInt(Long.BYTES);
                reader.wrap(chunks.value());
                while (reader.next())
                {
                    historyIndex.add(reader.key(), reader.revision(), reader.subRevision(), revision, subRevision,
                        reader.isDelete(), reader.offset(), reader.end() - reader.offset(), null);
                }
            }
        }
    }

    /**
     * A store written before history was kept holds only the current state: it becomes the history at the applied
     * revision, which is then the compacted revision, so a read at it answers and one before it is refused. Written
     * in chunks and marked done last, so a crash part way repeats it.
     */
    private void keepHistoryFromNow()
    {
        int subRevision = 0;
        try (KvCursor cursor = committedCursor(); WriteBatch writes = new WriteBatch())
        {
            for (cursor.seekToFirst(); cursor.isValid(); cursor.next())
            {
                final byte[] key = cursor.key();
                final byte[] record = cursor.record();
                final long modRevision = new UnsafeBuffer(record).getLong(Long.BYTES, ByteOrder.LITTLE_ENDIAN);
                // One chunk per change: written in key order, each chunk still sorts by its revision.
                appendChange(key, modRevision, subRevision++, 0, record, null);
                sealChunk(writes);
                if (writes.count() >= BACKFILL_BATCH_KEYS)
                {
                    db.write(writeOptions, writes);
                    writes.clear();
                }
            }
            appliedBuffer.putLong(0, appliedPosition);
            appliedBuffer.putLong(Long.BYTES, appliedRevision);
            appliedBuffer.putLong(2 * Long.BYTES, appliedRevision);
            writes.put(defaultColumnFamily, APPLIED_KEY, appliedBytes);
            db.write(writeOptions, writes);
            flush();
        }
        catch (final RocksDBException ex)
        {
            throw new StorageException("keep history from revision " + appliedRevision, ex);
        }
        compactedRevision = appliedRevision;
    }

    /**
     * RocksDB's own log, warnings and worse, into the node's.
     */
    private static final class Slf4jLogger extends Logger
    {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("org.rocksdb");

        Slf4jLogger()
        {
            super(InfoLogLevel.WARN_LEVEL);
        }

        protected void log(final InfoLogLevel level, final String message)
        {
            if (InfoLogLevel.WARN_LEVEL == level)
            {
                LOG.warn(message);
            }
            else
            {
                LOG.error("{}: {}", level, message);
            }
        }
    }

    private static final class RocksKvCursor implements KvCursor
    {
        private static final int MAX_PREFIX_LENGTH = 64;

        private final RocksIterator iterator;
        private final ReadOptions ownedReadOptions;
        private ByteBuffer prefix;

        RocksKvCursor(final RocksIterator iterator)
        {
            this(iterator, null);
        }

        RocksKvCursor(final RocksIterator iterator, final ReadOptions ownedReadOptions)
        {
            this.iterator = iterator;
            this.ownedReadOptions = ownedReadOptions;
        }

        public ByteBuffer recordPrefix(final int length)
        {
            if (length > MAX_PREFIX_LENGTH)
            {
                throw new IllegalArgumentException("prefix of " + length + " bytes, at most " + MAX_PREFIX_LENGTH);
            }
            if (null == prefix)
            {
                prefix = ByteBuffer.allocateDirect(MAX_PREFIX_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            }
            prefix.clear().limit(length);
            iterator.value(prefix);
            return prefix;
        }

        public void seek(final byte[] key)
        {
            iterator.seek(key);
        }

        public void seekForPrev(final byte[] key)
        {
            iterator.seekForPrev(key);
        }

        public void seekToFirst()
        {
            iterator.seekToFirst();
        }

        public void seekToLast()
        {
            iterator.seekToLast();
        }

        public boolean isValid()
        {
            return iterator.isValid();
        }

        public void next()
        {
            iterator.next();
        }

        public void prev()
        {
            iterator.prev();
        }

        public byte[] key()
        {
            return iterator.key();
        }

        public byte[] record()
        {
            return iterator.value();
        }

        public void close()
        {
            CloseHelper.closeAll(iterator, ownedReadOptions);
        }
    }
}
