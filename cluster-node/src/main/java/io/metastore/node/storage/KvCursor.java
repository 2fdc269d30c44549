package io.metastore.node.storage;

import io.metastore.protocol.KeyRanges;

import java.nio.ByteBuffer;

/**
 * An ordered cursor over keys, in unsigned byte order. Keys and records returned are fresh arrays the caller may
 * keep.
 */
public interface KvCursor extends AutoCloseable
{
    /**
     * Position at the first key at or after key.
     *
     * @param key to seek to.
     */
    void seek(byte[] key);

    /**
     * Position at the last key at or before key.
     *
     * @param key to seek to.
     */
    void seekForPrev(byte[] key);

    /**
     * Position at the first key.
     */
    void seekToFirst();

    /**
     * Position at the last key.
     */
    void seekToLast();

    /**
     * Is the cursor on a key?
     *
     * @return true if {@link #key()} and {@link #record()} may be called.
     */
    boolean isValid();

    /**
     * Move to the next key.
     */
    void next();

    /**
     * Move to the previous key.
     */
    void prev();

    /**
     * The current key.
     *
     * @return a copy of the key.
     */
    byte[] key();

    /**
     * The current record.
     *
     * @return a copy of the record.
     */
    byte[] record();

    /**
     * The first bytes of the current record, without copying the rest.
     *
     * @param length of the prefix, at most 64 bytes.
     * @return a buffer, little-endian, owned by the cursor and valid until it moves, from 0 to at most length.
     */
    ByteBuffer recordPrefix(int length);

    /**
     * Release the cursor.
     */
    void close();

    /**
     * Position a cursor on the first key of a range in the order asked.
     */
    static KvCursor openRange(
        final KvCursor cursor, final byte[] key, final byte[] rangeEnd, final boolean descending)
    {
        if (descending)
        {
            if (KeyRanges.isFromKey(rangeEnd))
            {
                cursor.seekToLast();
            }
            else
            {
                cursor.seekForPrev(rangeEnd);
                if (cursor.isValid() && KeyRanges.compare(cursor.key(), rangeEnd) >= 0)
                {
                    cursor.prev();
                }
            }
        }
        else
        {
            cursor.seek(key);
        }

        return cursor;
    }

    /**
     * @return true while the cursor is on a key of the range.
     */
    static boolean isInRange(final KvCursor cursor, final byte[] key, final byte[] rangeEnd, final boolean descending)
    {
        if (!cursor.isValid())
        {
            return false;
        }

        final byte[] current = cursor.key();
        return descending ? KeyRanges.compare(current, key) >= 0 :
            KeyRanges.isFromKey(rangeEnd) || KeyRanges.compare(current, rangeEnd) < 0;
    }
}
