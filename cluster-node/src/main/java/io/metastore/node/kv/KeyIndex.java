package io.metastore.node.kv;

import io.metastore.node.storage.KvCursor;
import io.metastore.node.storage.KvStorage;
import org.agrona.BitUtil;
import org.agrona.collections.Hashing;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Every live key and its metadata (createRevision, modRevision, version, lease), in memory, as etcd keeps its key
 * index: a put learns a key's version without a storage read, which was half the cost of applying a put. Values
 * stay in storage.
 * <p>
 * <b>Loaded from storage after a start, not before.</b> Reading a million keys takes about a second, which a
 * restart would otherwise wait for. The index starts empty and is filled from storage in slices
 * ({@link #loadSlice(int)}) while the node already serves; a key asked for before its slice is read from storage
 * there and then. Until the whole store is loaded a miss costs a storage read, after it a miss means the key does
 * not exist. Every answer is the same whatever has been loaded, so how far loading got never shows in the state,
 * and replicas that load at different speeds stay identical. Each key read from storage is announced to a
 * {@link LoadListener} (the leases attach it); an operation that needs every key known first calls
 * {@link #loadAll()}.
 * <p>
 * An open-addressing table with linear probing of entries that hold their own key and its hash, one object per key:
 * a rebuild at start allocates half what a map of key wrappers to entries did, and a million keys are a million
 * objects for the collector to copy, not two million.
 * <p>
 * Costs about 80 bytes plus the key per live key.
 */
final class KeyIndex
{
    private static final float LOAD_FACTOR = 0.65f;
    private static final int MIN_CAPACITY = 16;
    private static final byte[] NO_KEY = new byte[0];

    /**
     * Keys loaded at once by {@link #reload()}: about 15 ms of a start. A store this small is whole from the start,
     * so none of its misses costs a storage read.
     */
    static final int EAGER_LOAD_KEYS = 16_384;

    private final KvStorage storage;
    private final LoadListener listener;
    private final int eagerLoadKeys;
    private Entry[] slots = new Entry[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int resizeThreshold = (int)(MIN_CAPACITY * LOAD_FACTOR);
    private int size;
    private byte[] loadFrom = NO_KEY;
    private boolean isLoaded = true;

    /**
     * Told of each key the index reads from storage.
     */
    @FunctionalInterface
    interface LoadListener
    {
        /**
         * @param key   read from storage; retained by the index.
         * @param lease the key is attached to, 0 for none.
         */
        void onLoaded(byte[] key, long lease);
    }

    /**
     * An index of keys that are all held in it: for tests of the table alone.
     */
    KeyIndex()
    {
        this(null, (key, lease) -> {}, 0);
    }

    /**
     * @param storage       the keys are loaded from, reads seeing the writes of the batch being applied.
     * @param listener      told of each key read from storage.
     * @param eagerLoadKeys loaded at once by {@link #reload()}, usually {@link #EAGER_LOAD_KEYS}.
     */
    KeyIndex(final KvStorage storage, final LoadListener listener, final int eagerLoadKeys)
    {
        this.storage = storage;
        this.listener = listener;
        this.eagerLoadKeys = eagerLoadKeys;
    }

    /**
     * The metadata of a key held in the index.
     */
    static final class Entry
    {
        final byte[] key;
        final int hash;
        long createRevision;
        long modRevision;
        long version;
        long lease;
        Object history;

        Entry(final byte[] key, final int hash)
        {
            this.key = key;
            this.hash = hash;
        }
    }

    /**
     * @param key to look up; not retained.
     * @return its entry, or null if the key does not exist.
     */
    Entry get(final byte[] key)
    {
        final Entry entry = find(key);
        if (null != entry || isLoaded)
        {
            return entry;
        }

        final byte[] record = storage.get(key);
        if (null == record)
        {
            return null;
        }

        return load(
            key.clone(),
            KeyValueRecord.createRevision(record),
            KeyValueRecord.modRevision(record),
            KeyValueRecord.version(record),
            KeyValueRecord.lease(record));
    }

    /**
     * @return true once every key in storage is held, so that a miss means the key does not exist.
     */
    boolean isLoaded()
    {
        return isLoaded;
    }

    /**
     * Load the next keys from storage, those not held already, in key order from where the last slice ended.
     *
     * @param maxKeys most keys to read from storage.
     * @return the keys read, 0 once everything is loaded.
     */
    int loadSlice(final int maxKeys)
    {
        if (isLoaded)
        {
            return 0;
        }

        int read = 0;
        try (KvCursor cursor = storage.cursor())
        {
            cursor.seek(loadFrom);
            for (; cursor.isValid() && read < maxKeys; cursor.next())
            {
                final byte[] key = cursor.key();
                if (null == find(key))
                {
                    final ByteBuffer header = cursor.recordPrefix(KeyValueRecord.HEADER_LENGTH);
                    load(
                        key,
                        header.getLong(KeyValueRecord.CREATE_REVISION_OFFSET),
                        header.getLong(KeyValueRecord.MOD_REVISION_OFFSET),
                        header.getLong(KeyValueRecord.VERSION_OFFSET),
                        header.getLong(KeyValueRecord.LEASE_OFFSET));
                }
                read++;
                loadFrom = key;
            }
            if (cursor.isValid())
            {
                loadFrom = Arrays.copyOf(loadFrom, loadFrom.length + 1);
            }
            else
            {
                isLoaded = true;
                loadFrom = NO_KEY;
            }
        }

        return read;
    }

    /**
     * Load every key not held yet, so that each lease knows all its keys.
     */
    void loadAll()
    {
        while (!isLoaded)
        {
            loadSlice(Integer.MAX_VALUE);
        }
    }

    /**
     * Forget every key and load them again from storage: the first {@code eagerLoadKeys} at once (all of a small
     * store, so it is whole from the start), the rest lazily, in {@link #loadSlice(int)}s. At start and after a
     * snapshot replaced storage.
     */
    void reload()
    {
        clear(storage.estimatedKeyCount());
        loadFrom = NO_KEY;
        isLoaded = false;
        if (eagerLoadKeys > 0)
        {
            loadSlice(eagerLoadKeys);
        }
    }

    private Entry load(
        final byte[] key, final long createRevision, final long modRevision, final long version, final long lease)
    {
        final Entry entry = insert(key, hash(key));
        set(entry, createRevision, modRevision, version, lease);
        listener.onLoaded(key, lease);

        return entry;
    }

    private Entry find(final byte[] key)
    {
        final int hash = hash(key);
        final Entry[] slots = this.slots;
        for (int i = hash & mask; null != slots[i]; i = (i + 1) & mask)
        {
            final Entry entry = slots[i];
            if (hash == entry.hash && Arrays.equals(key, entry.key))
            {
                return entry;
            }
        }

        return null;
    }

    /**
     * Record a key's metadata, adding the key if it is new.
     *
     * @param key            retained if new.
     * @param createRevision of the key.
     * @param modRevision    of the key.
     * @param version        of the key.
     * @param lease          attached, 0 for none.
     */
    void put(final byte[] key, final long createRevision, final long modRevision, final long version, final long lease)
    {
        Entry entry = find(key);
        if (null == entry)
        {
            entry = insert(key, hash(key));
        }
        set(entry, createRevision, modRevision, version, lease);
    }

    /**
     * Record a key's metadata in the entry a lookup just returned, or add the key if that found none.
     *
     * @param existing       the key's entry from {@link #get(byte[])}, or null if the key is new.
     * @param key            retained if new.
     * @param createRevision of the key.
     * @param modRevision    of the key.
     * @param version        of the key.
     * @param lease          attached, 0 for none.
     * @return the key's entry.
     */
    Entry put(
        final Entry existing,
        final byte[] key,
        final long createRevision,
        final long modRevision,
        final long version,
        final long lease)
    {
        final Entry entry = null == existing ? insert(key, hash(key)) : existing;
        set(entry, createRevision, modRevision, version, lease);
        return entry;
    }

    /**
     * @param key to forget.
     */
    void remove(final byte[] key)
    {
        final int hash = hash(key);
        final Entry[] slots = this.slots;
        int i = hash & mask;
        while (null != slots[i])
        {
            final Entry entry = slots[i];
            if (hash == entry.hash && Arrays.equals(key, entry.key))
            {
                slots[i] = null;
                size--;
                compactChain(i);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Forget every key.
     */
    void clear()
    {
        Arrays.fill(slots, null);
        size = 0;
    }

    /**
     * Forget every key, and make room for about as many as will be added back, so that a reload of a million keys
     * does not grow the table twenty times.
     *
     * @param expectedKeys about to be added.
     */
    void clear(final long expectedKeys)
    {
        final long wanted = Math.max(MIN_CAPACITY, (long)(expectedKeys / LOAD_FACTOR) + 1);
        allocate(BitUtil.findNextPositivePowerOfTwo((int)Math.min(1 << 30, wanted)));
        size = 0;
    }

    /**
     * @return the number of keys held: every live key once {@link #isLoaded()}.
     */
    int size()
    {
        return size;
    }

    private static void set(
        final Entry entry, final long createRevision, final long modRevision, final long version, final long lease)
    {
        entry.createRevision = createRevision;
        entry.modRevision = modRevision;
        entry.version = version;
        entry.lease = lease;
    }

    private Entry insert(final byte[] key, final int hash)
    {
        if (size >= resizeThreshold)
        {
            grow();
        }
        final Entry entry = new Entry(key, hash);
        place(slots, mask, entry);
        size++;

        return entry;
    }

    private static void place(final Entry[] slots, final int mask, final Entry entry)
    {
        int i = entry.hash & mask;
        while (null != slots[i])
        {
            i = (i + 1) & mask;
        }
        slots[i] = entry;
    }

    private void grow()
    {
        final Entry[] old = slots;
        allocate(old.length << 1);
        for (final Entry entry : old)
        {
            if (null != entry)
            {
                place(slots, mask, entry);
            }
        }
    }

    private void allocate(final int capacity)
    {
        slots = new Entry[capacity];
        mask = capacity - 1;
        resizeThreshold = (int)(capacity * LOAD_FACTOR);
    }

    /**
     * After a removal, move back the entries of the chain that follows the emptied slot, so that every entry stays
     * reachable from its home slot without tombstones.
     */
    private void compactChain(final int emptied)
    {
        final Entry[] slots = this.slots;
        int hole = emptied;
        int i = (emptied + 1) & mask;
        while (null != slots[i])
        {
            final int home = slots[i].hash & mask;
            final boolean isHomeOutsideHoleToHere = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (isHomeOutsideHoleToHere)
            {
                slots[hole] = slots[i];
                slots[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private static int hash(final byte[] key)
    {
        return Hashing.hash(Arrays.hashCode(key));
    }
}
