package io.metastore.node.reader;

import io.metastore.protocol.KeyRanges;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * One watch of a read session: the keys it watches, its filters, and the position of the next change it is owed.
 */
final class Watcher
{
    final long watchId;
    final byte[] key;
    final byte[] rangeEnd;
    final boolean isPrevKv;
    final boolean isNoPut;
    final boolean isNoDelete;
    final boolean isProgressNotify;
    final int selectionHash;
    long nextRevision;
    int nextSubRevision;
    long lastSentNs;

    Watcher(
        final long watchId,
        final byte[] key,
        final byte[] rangeEnd,
        final boolean isPrevKv,
        final boolean isNoPut,
        final boolean isNoDelete,
        final boolean isProgressNotify,
        final long nextRevision,
        final long nowNs)
    {
        this.watchId = watchId;
        this.key = key;
        this.rangeEnd = rangeEnd;
        this.isPrevKv = isPrevKv;
        this.isNoPut = isNoPut;
        this.isNoDelete = isNoDelete;
        this.isProgressNotify = isProgressNotify;
        this.nextRevision = nextRevision;
        this.lastSentNs = nowNs;
        this.selectionHash = 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(rangeEnd)) +
            (isPrevKv ? 4 : 0) + (isNoPut ? 2 : 0) + (isNoDelete ? 1 : 0);
    }

    /**
     * @param other watcher.
     * @return true if the other selects exactly the events this one does: the same keys, filters and prevKv. Whether
     * it asks for progress notifications does not matter.
     */
    boolean selectsAsThe(final Watcher other)
    {
        return selectionHash == other.selectionHash && isPrevKv == other.isPrevKv && isNoPut == other.isNoPut &&
            isNoDelete == other.isNoDelete && Arrays.equals(key, other.key) && Arrays.equals(rangeEnd, other.rangeEnd);
    }

    /**
     * Take another watcher's position, and its last send if later: sent the same messages, it is owed the same next
     * change. A later send of its own (a progress notification the other did not ask for) is kept.
     *
     * @param other watcher.
     */
    void positionFrom(final Watcher other)
    {
        nextRevision = other.nextRevision;
        nextSubRevision = other.nextSubRevision;
        lastSentNs = Math.max(lastSentNs, other.lastSentNs);
    }

    /**
     * @return true if a change of this type is wanted.
     */
    boolean wants(final boolean isDelete)
    {
        return isDelete ? !isNoDelete : !isNoPut;
    }

    /**
     * @param buffer holding a key.
     * @param offset of the key.
     * @param length of the key.
     * @return true if the key is in the watched range.
     */
    boolean matches(final DirectBuffer buffer, final int offset, final int length)
    {
        if (0 == rangeEnd.length)
        {
            return compare(buffer, offset, length, key) == 0;
        }
        if (compare(buffer, offset, length, key) < 0)
        {
            return false;
        }
        return KeyRanges.isFromKey(rangeEnd) || compare(buffer, offset, length, rangeEnd) < 0;
    }

    /**
     * Move past the changes of a revision and all before it.
     */
    void deliveredUpTo(final long revision)
    {
        nextRevision = revision + 1;
        nextSubRevision = 0;
    }

    private static int compare(final DirectBuffer buffer, final int offset, final int length, final byte[] other)
    {
        final int common = Math.min(length, other.length);
        for (int i = 0; i < common; i++)
        {
            final int difference = (buffer.getByte(offset + i) & 0xFF) - (other[i] & 0xFF);
            if (0 != difference)
            {
                return difference;
            }
        }

        return length - other.length;
    }
}
