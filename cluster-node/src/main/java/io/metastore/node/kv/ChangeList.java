package io.metastore.node.kv;

import org.agrona.collections.LongArrayList;

import java.util.Arrays;

/**
 * A reusable list of changes read from the history: per change its revision, cluster time, key and the key's record
 * after a put (null for a delete). Handed to a {@link KvResponder}, valid until the next request; holds references.
 */
public final class ChangeList
{
    private final LongArrayList revisions = new LongArrayList();
    private final LongArrayList timestamps = new LongArrayList();
    private byte[][] keys = new byte[16][];
    private byte[][] records = new byte[16][];
    private int size;
    private long encodedBytes;

    /**
     * Empty the list, dropping its references.
     */
    public void clear()
    {
        truncate(0);
    }

    /**
     * Keep the first changes only.
     *
     * @param newSize changes kept.
     */
    public void truncate(final int newSize)
    {
        for (int i = newSize; i < size; i++)
        {
            encodedBytes -= bytes(keys[i], records[i]);
            keys[i] = null;
            records[i] = null;
        }
        for (int i = size - 1; i >= newSize; i--)
        {
            revisions.removeAt(i);
            timestamps.removeAt(i);
        }
        size = newSize;
    }

    /**
     * Append a change.
     *
     * @param revision    of the change.
     * @param timestampMs cluster time of the change.
     * @param key         changed.
     * @param record      after a put, null for a delete.
     */
    public void add(final long revision, final long timestampMs, final byte[] key, final byte[] record)
    {
        if (size == keys.length)
        {
            keys = Arrays.copyOf(keys, size * 2);
            records = Arrays.copyOf(records, size * 2);
        }
        keys[size] = key;
        records[size] = record;
        revisions.addLong(revision);
        timestamps.addLong(timestampMs);
        size++;
        encodedBytes += bytes(key, record);
    }

    /**
     * @return the number of changes.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param index of the change.
     * @return its revision.
     */
    public long revision(final int index)
    {
        return revisions.getLong(index);
    }

    /**
     * @param index of the change.
     * @return its cluster time, in milliseconds.
     */
    public long timestampMs(final int index)
    {
        return timestamps.getLong(index);
    }

    /**
     * @param index of the change.
     * @return the key changed.
     */
    public byte[] key(final int index)
    {
        return keys[index];
    }

    /**
     * @param index of the change.
     * @return the key's record after a put, null for a delete.
     */
    public byte[] record(final int index)
    {
        return records[index];
    }

    /**
     * @return the bytes of keys and records, an estimate of the encoded size.
     */
    public long encodedBytes()
    {
        return encodedBytes;
    }

    private static int bytes(final byte[] key, final byte[] record)
    {
        return key.length + (null == record ? KeyValueRecord.HEADER_LENGTH : record.length);
    }
}
