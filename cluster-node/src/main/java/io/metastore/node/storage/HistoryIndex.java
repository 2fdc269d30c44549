package io.metastore.node.storage;

import org.agrona.UnsafeApi;

import java.util.Arrays;
import java.util.HashMap;
import java.util.TreeMap;

/**
 * The history by key, in memory, as etcd's key index: every key that has kept changes and, for each, its changes in
 * revision order, each with the chunk of the {@code revisions} column family that holds its record. The records
 * themselves stay in storage, written in revision order, so history costs the write path one append per chunk of
 * changes rather than a write per change into a second, randomly ordered, on-disk index.
 * <p>
 * A hash table finds a key (every change looks its key up); a tree keeps the keys in order for ranges in the past.
 * Changes of the batch being applied are in it as soon as applied, reads through the batch seeing them; a batch is
 * discarded only when the node stops on a failure, and the index is then built again from what is committed. Only
 * the service thread touches it.
 * <p>
 * Costs about 150 bytes plus the key per key, and 32 bytes per kept change.
 */
final class HistoryIndex
{
    private static final int STRIDE = 4;
    private static final long DELETE_FLAG = Long.MIN_VALUE;
    private static final long LONG_ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);

    private final HashMap<KeyHistory, KeyHistory> byHash = new HashMap<>();
    private final TreeMap<byte[], KeyHistory> byOrder = new TreeMap<>(Arrays::compareUnsigned);
    private final KeyHistory probe = new KeyHistory(null);
    private long changeCount;
    private int generation;

    /**
     * The kept changes of one key, oldest first.
     */
    static final class KeyHistory
    {
        byte[] key;
        int hash;
        long[] changes;
        int capacity;
        int start;
        int end;
        int generation;
        boolean isRemoved;

        KeyHistory(final byte[] key)
        {
            if (null != key)
            {
                wrap(key);
                changes = new long[2 * STRIDE];
                capacity = changes.length;
            }
        }

        void wrap(final byte[] key)
        {
            this.key = key;
            this.hash = Arrays.hashCode(key);
        }

        /**
         * @return the key, retained by the index: not to be changed.
         */
        byte[] key()
        {
            return key;
        }

        /**
         * @return the number of changes kept.
         */
        int count()
        {
            return (end - start) / STRIDE;
        }

        long revision(final int i)
        {
            return changes[start + i * STRIDE];
        }

        int subRevision(final int i)
        {
            return (int)(changes[start + i * STRIDE + 1] >>> 32);
        }

        long chunkRevision(final int i)
        {
            return changes[start + i * STRIDE + 2] & ~DELETE_FLAG;
        }

        int chunkSubRevision(final int i)
        {
            return (int)changes[start + i * STRIDE + 1];
        }

        boolean isDelete(final int i)
        {
            return changes[start + i * STRIDE + 2] < 0;
        }

        /**
         * @param i index of the change.
         * @return where the change starts in its chunk.
         */
        int offset(final int i)
        {
            return (int)(changes[start + i * STRIDE + 3] >>> 32);
        }

        /**
         * @param i index of the change.
         * @return the bytes the change takes in its chunk.
         */
        int length(final int i)
        {
            return (int)changes[start + i * STRIDE + 3];
        }

        /**
         * @param i      index of the change.
         * @param offset where the change now starts in its chunk, rewritten.
         */
        void relocate(final int i, final int offset)
        {
            final int at = start + i * STRIDE + 3;
            changes[at] = ((long)offset << 32) | (changes[at] & 0xFFFF_FFFFL);
        }

        /**
         * @param revision    of a change of the key.
         * @param subRevision of that change.
         * @return its index, -1 if the key has no such change.
         */
        int indexOf(final long revision, final int subRevision)
        {
            for (int i = newestAt(revision); i >= 0 && revision(i) == revision; i--)
            {
                if (subRevision(i) == subRevision)
                {
                    return i;
                }
            }
            return -1;
        }

        /**
         * @param revision to read at.
         * @return the index of the newest change at or below the revision, -1 if none.
         */
        int newestAt(final long revision)
        {
            int low = 0;
            int high = count() - 1;
            int found = -1;
            while (low <= high)
            {
                final int middle = (low + high) >>> 1;
                if (revision(middle) <= revision)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
            return found;
        }

        /**
         * Is a change kept by a compaction at a revision: above it, or the key's newest at or below it and a put?
         *
         * @param i         index of the change.
         * @param compacted revision.
         * @return true if a read above the compacted revision can see it.
         */
        boolean isKept(final int i, final long compacted)
        {
            if (revision(i) > compacted)
            {
                return true;
            }
            return !isDelete(i) && (i + 1 == count() || revision(i + 1) > compacted);
        }

        void append(final long revision, final int subRevision, final long chunkRevision,
            final int chunkSubRevision, final boolean isDelete, final int offset, final int length)
        {
            if (end + STRIDE > capacity)
            {
                if (start > 0 && end - start + STRIDE <= changes.length / 2)
                {
                    System.arraycopy(changes, start, changes, 0, end - start);
                    end -= start;
                    start = 0;
                }
                else
                {
                    changes = Arrays.copyOf(changes, Math.max(2 * changes.length, end + STRIDE));
                    capacity = changes.length;
                }
            }
            // Written without a bounds check, against the capacity kept beside the array: the check would read the
            // array's length, a cache miss of its own on a key not changed for a while (measured: a third of the
            // index's cost per put).
            final long address = LONG_ARRAY_BASE + ((long)end << 3);
            UnsafeApi.putLong(changes, address, revision);
            UnsafeApi.putLong(changes, address + 8, ((long)subRevision << 32) | (chunkSubRevision & 0xFFFF_FFFFL));
            UnsafeApi.putLong(changes, address + 16, chunkRevision | (isDelete ? DELETE_FLAG : 0));
            UnsafeApi.putLong(changes, address + 24, ((long)offset << 32) | (length & 0xFFFF_FFFFL));
            end += STRIDE;
        }

        /**
         * @return the revision of the key's newest change if a put, else 0 (none kept, or a delete).
         */
        long newestPutRevision()
        {
            if (end == start)
            {
                return 0;
            }
            // Read as the append writes, without a bounds check: the entry before the one to write shares its cache
            // lines, the array's length does not.
            final long address = LONG_ARRAY_BASE + ((long)(end - STRIDE) << 3);
            return UnsafeApi.getLong(changes, address + 16) < 0 ? 0 : UnsafeApi.getLong(changes, address);
        }

        /**
         * @return the sub revision of the key's newest change, when {@link #newestPutRevision()} is not 0.
         */
        int newestSubRevision()
        {
            return (int)(UnsafeApi.getLong(changes, LONG_ARRAY_BASE + ((long)(end - STRIDE) << 3) + 8) >>> 32);
        }

        public boolean equals(final Object other)
        {
            return other instanceof KeyHistory && Arrays.equals(key, ((KeyHistory)other).key);
        }

        public int hashCode()
        {
            return hash;
        }
    }

    /**
     * @param key to find; not retained.
     * @return its history, or null if it has no kept change.
     */
    KeyHistory find(final byte[] key)
    {
        probe.wrap(key);
        final KeyHistory history = byHash.get(probe);
        probe.key = null;
        return history;
    }

    /**
     * @param key  whose history to find; copied if a history is made for it.
     * @param hint the history this index gave for the key before, or null.
     * @return the key's history, made empty if it had none.
     */
    KeyHistory historyOf(final byte[] key, final Object hint)
    {
        KeyHistory history = hint instanceof KeyHistory && !((KeyHistory)hint).isRemoved &&
            generation == ((KeyHistory)hint).generation ? (KeyHistory)hint : find(key);
        if (null == history)
        {
            history = new KeyHistory(key.clone());
            history.generation = generation;
            byHash.put(history, history);
            byOrder.put(history.key, history);
        }
        return history;
    }

    /**
     * Add a change, the newest of its key.
     *
     * @param key              changed; copied if new to the index.
     * @param revision         of the change.
     * @param subRevision      of the change within its revision.
     * @param chunkRevision    revision of the key of the chunk that holds its record.
     * @param chunkSubRevision sub revision of the key of that chunk.
     * @param isDelete         true for a delete.
     * @param offset           where the change starts in its chunk.
     * @param length           bytes the change takes in its chunk.
     * @param hint             the key's history as returned before, or null: spares the lookup while still valid.
     * @return the key's history.
     */
    KeyHistory add(
        final byte[] key,
        final long revision,
        final int subRevision,
        final long chunkRevision,
        final int chunkSubRevision,
        final boolean isDelete,
        final int offset,
        final int length,
        final Object hint)
    {
        final KeyHistory history = historyOf(key, hint);
        add(history, revision, subRevision, chunkRevision, chunkSubRevision, isDelete, offset, length);
        return history;
    }

    /**
     * Add a change of a key, the newest of its changes.
     *
     * @param history          of the key, from {@link #historyOf(byte[], Object)}.
     * @param revision         of the change.
     * @param subRevision      of the change.
     * @param chunkRevision    revision of its chunk's first change.
     * @param chunkSubRevision sub revision of its chunk's first change.
     * @param isDelete         true for a delete.
     * @param offset           where it starts in its chunk.
     * @param length           of it in its chunk.
     */
    void add(
        final KeyHistory history,
        final long revision,
        final int subRevision,
        final long chunkRevision,
        final int chunkSubRevision,
        final boolean isDelete,
        final int offset,
        final int length)
    {
        history.append(revision, subRevision, chunkRevision, chunkSubRevision, isDelete, offset, length);
        changeCount++;
    }

    /**
     * Drop the oldest change of a key, as physical compaction removes it.
     *
     * @param history of the key.
     */
    void removeOldest(final KeyHistory history)
    {
        history.start += STRIDE;
        changeCount--;
        if (history.end == history.start)
        {
            remove(history);
        }
    }

    private void remove(final KeyHistory history)
    {
        history.isRemoved = true;
        byHash.remove(history);
        byOrder.remove(history.key);
    }

    KeyHistory first()
    {
        return value(byOrder.firstEntry());
    }

    KeyHistory last()
    {
        return value(byOrder.lastEntry());
    }

    KeyHistory ceiling(final byte[] key)
    {
        return value(byOrder.ceilingEntry(key));
    }

    KeyHistory floor(final byte[] key)
    {
        return value(byOrder.floorEntry(key));
    }

    KeyHistory higher(final byte[] key)
    {
        return value(byOrder.higherEntry(key));
    }

    KeyHistory lower(final byte[] key)
    {
        return value(byOrder.lowerEntry(key));
    }

    private static KeyHistory value(final java.util.Map.Entry<byte[], KeyHistory> entry)
    {
        return null == entry ? null : entry.getValue();
    }

    /**
     * @return the number of keys with kept changes.
     */
    int keyCount()
    {
        return byHash.size();
    }

    /**
     * @return the number of keys whose newest change is a put.
     */
    long liveKeyCount()
    {
        long count = 0;
        for (final KeyHistory history : byHash.values())
        {
            count += history.isDelete(history.count() - 1) ? 0 : 1;
        }
        return count;
    }

    /**
     * @return the number of changes held.
     */
    long changeCount()
    {
        return changeCount;
    }

    void clear()
    {
        generation++;
        byHash.clear();
        byOrder.clear();
        changeCount = 0;
    }
}
