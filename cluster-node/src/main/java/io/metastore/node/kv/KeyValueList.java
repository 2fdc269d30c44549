package io.metastore.node.kv;

import java.util.Arrays;

/**
 * A reusable list of key and record pairs: the results of one request, handed to a {@link KvResponder} and valid
 * until the next request. Holds references, never copies.
 */
public final class KeyValueList
{
    private byte[][] keys = new byte[16][];
    private byte[][] records = new byte[16][];
    private int size;
    private long encodedBytes;

    /**
     * Empty the list, dropping its references.
     */
    public void clear()
    {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(records, 0, size, null);
        size = 0;
        encodedBytes = 0;
    }

    /**
     * Append a pair.
     *
     * @param key    of the pair.
     * @param record of the pair, or null when only the key matters.
     */
    public void add(final byte[] key, final byte[] record)
    {
        if (size == keys.length)
        {
            keys = Arrays.copyOf(keys, size * 2);
            records = Arrays.copyOf(records, size * 2);
        }
        keys[size] = key;
        records[size] = record;
        size++;
        encodedBytes += key.length + (null == record ? 0 : record.length);
    }

    /**
     * Append a pair whose value the response leaves out: only the key and the record's header count towards
     * {@link #encodedBytes()}.
     *
     * @param key    of the pair.
     * @param record of the pair.
     */
    public void addWithoutValue(final byte[] key, final byte[] record)
    {
        add(key, record);
        encodedBytes -= record.length - sentLength(record, false);
    }

    /**
     * @param record    of a pair, or null.
     * @param withValue  true if the response carries the value.
     * @return the bytes of the record a response carries: all of it, or its header alone when the value is left out.
     */
    public static int sentLength(final byte[] record, final boolean withValue)
    {
        if (null == record)
        {
            return 0;
        }

        return withValue ? record.length : Math.min(record.length, KeyValueRecord.HEADER_LENGTH);
    }

    /**
     * @return the number of pairs.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param index of the pair.
     * @return its key.
     */
    public byte[] key(final int index)
    {
        return keys[index];
    }

    /**
     * @param index of the pair.
     * @return its record.
     */
    public byte[] record(final int index)
    {
        return records[index];
    }

    /**
     * @return the bytes of keys and records the response carries, an estimate of its encoded size.
     */
    public long encodedBytes()
    {
        return encodedBytes;
    }
}
