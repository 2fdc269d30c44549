package io.metastore.node.kv;

import org.agrona.collections.Hashing;
import org.agrona.collections.Object2ObjectHashMap;

import java.util.Arrays;

/**
 * Every live key and its metadata (createRevision, modRevision, version, lease), in memory, as etcd keeps its key
 * index: a put learns a key's version without a storage read, which was half the cost of applying a put. Values
 * stay in storage. Part of the materialised state: rebuilt from storage at start and after a snapshot is loaded,
 * changed only by the state machine, so it is the same on every replica.
 * <p>
 * Costs about 100 bytes plus the key per live key.
 */
final class KeyIndex
{
    private Object2ObjectHashMap<Key, Entry> entries = new Object2ObjectHashMap<>();
    private final Key probe = new Key();

    /**
     * The metadata of a key held in the index.
     */
    static final class Entry
    {
        long createRevision;
        long modRevision;
        long version;
        long lease;
    }

    /**
     * @param key to look up; not retained.
     * @return its entry, or null if the key does not exist.
     */
    Entry get(final byte[] key)
    {
        return entries.get(probe.wrap(key));
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
        Entry entry = entries.get(probe.wrap(key));
        if (null == entry)
        {
            entry = new Entry();
            entries.put(new Key().wrap(key), entry);
        }
        entry.createRevision = createRevision;
        entry.modRevision = modRevision;
        entry.version = version;
        entry.lease = lease;
    }

    /**
     * @param key to forget.
     */
    void remove(final byte[] key)
    {
        entries.remove(probe.wrap(key));
    }

    /**
     * Forget every key.
     */
    void clear()
    {
        entries.clear();
    }

    /**
     * Forget every key, and make room for about as many as will be added back, so that a reload of a million keys
     * does not grow the map twenty times.
     *
     * @param expectedKeys about to be added.
     */
    void clear(final long expectedKeys)
    {
        final int capacity = (int)Math.min(1L << 30, Math.max(8, expectedKeys + expectedKeys / 4));
        entries = new Object2ObjectHashMap<>(capacity, Hashing.DEFAULT_LOAD_FACTOR);
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
        final Entry entry = new Entry();
        entry.createRevision = createRevision;
        entry.modRevision = modRevision;
        entry.version = version;
        entry.lease = lease;
        entries.put(new Key().wrap(key), entry);
    }

    /**
     * @return the number of live keys.
     */
    int size()
    {
        return entries.size();
    }

    /**
     * A key compared by content. The index reuses one as the probe of every lookup.
     */
    static final class Key
    {
        private byte[] bytes;
        private int hash;

        Key wrap(final byte[] bytes)
        {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
            return this;
        }

        public int hashCode()
        {
            return hash;
        }

        public boolean equals(final Object o)
        {
            return o instanceof Key other && hash == other.hash && Arrays.equals(bytes, other.bytes);
        }
    }
}
