package io.metastore.node.kv;

import org.agrona.BitUtil;
import org.agrona.collections.Hashing;

import java.util.Arrays;

/**
 * Every live key and its metadata (createRevision, modRevision, version, lease), in memory, as etcd keeps its key
 * index: a put learns a key's version without a storage read, which was half the cost of applying a put. Values
 * stay in storage. Part of the materialised state: rebuilt from storage at start and after a snapshot is loaded,
 * changed only by the state machine, so it is the same on every replica.
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

    private Entry[] slots = new Entry[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int resizeThreshold = (int)(MIN_CAPACITY * LOAD_FACTOR);
    private int size;

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
        Entry entry = get(key);
        if (null == entry)
        {
            entry = insert(key, hash(key));
        }
        set(entry, createRevision, modRevision, version, lease);
    }

    /**
     * Add a key known not to be held: a reload from storage, where every key comes once.
     *
     * @param key            retained.
     * @param createRevision of the key.
     * @param modRevision    of the key.
     * @param version        of the key.
     * @param lease          attached, 0 for none.
     */
    void add(final byte[] key, final long createRevision, final long modRevision, final long version, final long lease)
    {
        set(insert(key, hash(key)), createRevision, modRevision, version, lease);
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
     * @return the number of live keys.
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
