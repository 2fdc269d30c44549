package io.metastore.node.storage;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Keys of the two history column families.
 * <ul>
 *     <li>By key: {@code escaped(key) 0x00 0x01 ~revision ~subRevision}, big-endian, so that every change of one key
 *     sits together, newest first, and keys sort as the user's keys do. A zero byte of the key is written as
 *     {@code 0x00 0xFF} and the key ends with {@code 0x00 0x01}: no escaped key is a prefix of another, so a seek to
 *     {@code escaped(key) ~R} lands on the key's newest change at or below revision R, or past the key.</li>
 *     <li>By revision: {@code revision subRevision}, big-endian, so changes read in revision order.</li>
 * </ul>
 * The sub revision orders the changes of one revision (the writes of one transaction, the deletes of one lease's
 * expiry) in the order they were applied.
 */
final class HistoryKeys
{
    /**
     * Length of the revision and sub revision after the escaped key, and of a key by revision.
     */
    static final int REVISION_LENGTH = Long.BYTES + Integer.BYTES;

    private static final byte ESCAPE = 0x00;
    private static final byte ESCAPED_ZERO = (byte)0xFF;
    private static final byte TERMINATOR = 0x01;

    private HistoryKeys()
    {
    }

    /**
     * @param key         of the user.
     * @param revision    of the change.
     * @param subRevision of the change within its revision.
     * @return the key of the change in the by-key column family.
     */
    static byte[] byKey(final byte[] key, final long revision, final int subRevision)
    {
        final int escapedLength = escapedLength(key);
        final byte[] historyKey = new byte[escapedLength + REVISION_LENGTH];
        escape(key, historyKey);
        final UnsafeBuffer buffer = new UnsafeBuffer(historyKey);
        buffer.putLong(escapedLength, ~revision, ByteOrder.BIG_ENDIAN);
        buffer.putInt(escapedLength + Long.BYTES, ~subRevision, ByteOrder.BIG_ENDIAN);
        return historyKey;
    }

    /**
     * @param key      of the user.
     * @param revision to read at.
     * @return the key a seek goes to for the newest change of the key at or below the revision.
     */
    static byte[] seekAt(final byte[] key, final long revision)
    {
        return byKey(key, revision, -1);
    }

    /**
     * @param key of the user.
     * @return a key after every change of the key and before the next user key's.
     */
    static byte[] after(final byte[] key)
    {
        final int escapedLength = escapedLength(key);
        final byte[] historyKey = new byte[escapedLength + REVISION_LENGTH];
        escape(key, historyKey);
        for (int i = escapedLength; i < historyKey.length; i++)
        {
            historyKey[i] = (byte)0xFF;
        }
        return historyKey;
    }

    /**
     * @param key of the user.
     * @return the escaped key with its terminator: every change of the key starts with it.
     */
    static byte[] prefix(final byte[] key)
    {
        final byte[] prefix = new byte[escapedLength(key)];
        escape(key, prefix);
        return prefix;
    }

    /**
     * @param historyKey a key of the by-key column family.
     * @param prefix     of a user key, from {@link #prefix(byte[])}.
     * @return true if the change is one of that user key's.
     */
    static boolean isOf(final byte[] historyKey, final byte[] prefix)
    {
        if (historyKey.length != prefix.length + REVISION_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (historyKey[i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param historyKey a key of the by-key column family.
     * @return the user's key.
     */
    static byte[] userKey(final byte[] historyKey)
    {
        final int escapedLength = historyKey.length - REVISION_LENGTH;
        int length = 0;
        for (int i = 0; i < escapedLength - 2; i++)
        {
            if (ESCAPE == historyKey[i])
            {
                i++;
            }
            length++;
        }

        final byte[] key = new byte[length];
        for (int i = 0, j = 0; j < length; i++, j++)
        {
            key[j] = historyKey[i];
            if (ESCAPE == historyKey[i])
            {
                i++;
            }
        }
        return key;
    }

    /**
     * @param historyKey a key of the by-key column family.
     * @return the revision of the change.
     */
    static long revision(final byte[] historyKey)
    {
        return ~new UnsafeBuffer(historyKey).getLong(historyKey.length - REVISION_LENGTH, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param historyKey a key of the by-key column family.
     * @return the sub revision of the change.
     */
    static int subRevision(final byte[] historyKey)
    {
        return ~new UnsafeBuffer(historyKey).getInt(historyKey.length - Integer.BYTES, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param revision    of the change.
     * @param subRevision of the change within its revision.
     * @return the key of the change in the by-revision column family.
     */
    static byte[] byRevision(final long revision, final int subRevision)
    {
        final byte[] key = new byte[REVISION_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(key);
        buffer.putLong(0, revision, ByteOrder.BIG_ENDIAN);
        buffer.putInt(Long.BYTES, subRevision, ByteOrder.BIG_ENDIAN);
        return key;
    }

    /**
     * @param revisionKey a key of the by-revision column family.
     * @return its revision.
     */
    static long revisionOf(final byte[] revisionKey)
    {
        return new UnsafeBuffer(revisionKey).getLong(0, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param revisionKey a key of the by-revision column family.
     * @return its sub revision.
     */
    static int subRevisionOf(final byte[] revisionKey)
    {
        return new UnsafeBuffer(revisionKey).getInt(Long.BYTES, ByteOrder.BIG_ENDIAN);
    }

    private static int escapedLength(final byte[] key)
    {
        int length = key.length + 2;
        for (final byte b : key)
        {
            if (ESCAPE == b)
            {
                length++;
            }
        }
        return length;
    }

    private static void escape(final byte[] key, final byte[] to)
    {
        int j = 0;
        for (final byte b : key)
        {
            to[j++] = b;
            if (ESCAPE == b)
            {
                to[j++] = ESCAPED_ZERO;
            }
        }
        to[j++] = ESCAPE;
        to[j] = TERMINATOR;
    }
}
