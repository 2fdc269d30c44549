package io.metastore.protocol;

import java.util.Arrays;

/**
 * etcd's conventions for a range {@code [key, rangeEnd)}: an empty rangeEnd is the key alone, a rangeEnd of a
 * single zero byte is every key from key on, and the prefix of a key is the range up to its last byte plus one.
 */
public final class KeyRanges
{
    /**
     * The rangeEnd meaning "every key greater than or equal to key".
     */
    private static final byte[] FROM_KEY = { 0 };

    private KeyRanges()
    {
    }

    /**
     * The rangeEnd that selects every key from the start key on.
     *
     * @return a fresh single zero byte array.
     */
    public static byte[] fromKey()
    {
        return FROM_KEY.clone();
    }

    /**
     * Is this rangeEnd the from-key marker, a single zero byte?
     *
     * @param rangeEnd to test.
     * @return true if it selects every key from the start key on.
     */
    public static boolean isFromKey(final byte[] rangeEnd)
    {
        return rangeEnd.length == 1 && rangeEnd[0] == 0;
    }

    /**
     * The rangeEnd that selects every key starting with prefix: the prefix with its last byte below 0xFF plus
     * one, the bytes after it dropped; a prefix of only 0xFF bytes (or an empty one) selects every key from it on.
     *
     * @param prefix of the keys to select.
     * @return the exclusive end of the range.
     */
    public static byte[] prefixEnd(final byte[] prefix)
    {
        for (int i = prefix.length - 1; i >= 0; i--)
        {
            if (prefix[i] != (byte)0xFF)
            {
                final byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }

        return fromKey();
    }

    /**
     * Compare two keys as RocksDB orders them: unsigned bytes, shorter first on a common prefix.
     *
     * @param a first key.
     * @param b second key.
     * @return negative, zero or positive as a is below, equal to or above b.
     */
    public static int compare(final byte[] a, final byte[] b)
    {
        return Arrays.compareUnsigned(a, b);
    }
}
