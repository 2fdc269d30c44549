package io.metastore.node.storage;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A chunk of the history in revision order: the value of one record of the {@code revisions} column family, keyed
 * by the revision and sub revision of its first change (big-endian, so chunks sort in revision order), holding
 * consecutive changes, each: revision (8), sub revision (4), cluster time in ms (8), key length (4), key, record
 * length (4, -1 for a delete), record; little-endian. The changes of a chunk all come before those of the next.
 * <p>
 * A committed batch of the log writes one chunk, or one per {@link #TARGET_BYTES} of changes, rather than a record
 * per change: an insert into a memtable costs as much as a put's own.
 */
final class ChangeChunk
{
    /**
     * A chunk is sealed once it holds this many bytes: reading one change in the past reads its chunk whole.
     */
    static final int TARGET_BYTES = 4096;

    /**
     * Length of a chunk's key.
     */
    static final int KEY_LENGTH = Long.BYTES + Integer.BYTES;

    /**
     * Length of a change's header, before its key.
     */
    static final int CHANGE_HEADER_LENGTH = Long.BYTES + Integer.BYTES + Long.BYTES + Integer.BYTES;

    private ChangeChunk()
    {
    }

    /**
     * @param revision    of the chunk's first change.
     * @param subRevision of the chunk's first change.
     * @return the chunk's key.
     */
    static byte[] key(final long revision, final int subRevision)
    {
        return ByteBuffer.allocate(KEY_LENGTH).putLong(revision).putInt(subRevision).array();
    }

    /**
     * @param key of a chunk.
     * @return the revision of its first change.
     */
    static long revisionOf(final byte[] key)
    {
        return ByteBuffer.wrap(key).getLong(0);
    }

    /**
     * Append a change to a chunk being built.
     *
     * @param chunk       in little-endian order, positioned at its end, with room for the change.
     * @param revision    of the change.
     * @param subRevision of the change.
     * @param timestampMs of the change.
     * @param key         changed.
     * @param record      after a put, null for a delete.
     */
    static void append(
        final ByteBuffer chunk,
        final long revision,
        final int subRevision,
        final long timestampMs,
        final byte[] key,
        final byte[] record)
    {
        chunk.putLong(revision).putInt(subRevision).putLong(timestampMs).putInt(key.length).put(key);
        if (null == record)
        {
            chunk.putInt(-1);
        }
        else
        {
            chunk.putInt(record.length).put(record);
        }
    }

    /**
     * @param key    changed.
     * @param record after a put, null for a delete.
     * @return the bytes the change takes in a chunk.
     */
    static int length(final byte[] key, final byte[] record)
    {
        return CHANGE_HEADER_LENGTH + key.length + Integer.BYTES + (null == record ? 0 : record.length);
    }

    /**
     * @param chunk  holding the change, at least up to its end.
     * @param offset where the change starts.
     * @return a copy of the change's record, null for a delete.
     */
    static byte[] recordAt(final UnsafeBuffer chunk, final int offset)
    {
        final int keyLength = chunk.getInt(offset + CHANGE_HEADER_LENGTH - Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
        final int recordOffset = offset + CHANGE_HEADER_LENGTH + keyLength;
        final int recordLength = chunk.getInt(recordOffset, ByteOrder.LITTLE_ENDIAN);
        if (recordLength < 0)
        {
            return null;
        }
        final byte[] record = new byte[recordLength];
        chunk.getBytes(recordOffset + Integer.BYTES, record);
        return record;
    }

    /**
     * Walks the changes of a chunk.
     */
    static final class Reader
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
        private byte[] chunk;
        private int next;
        private int offset;
        private long revision;
        private int subRevision;
        private long timestampMs;
        private int keyLength;
        private int recordLength;

        /**
         * @param chunk to walk; positioned before its first change.
         * @return this.
         */
        Reader wrap(final byte[] chunk)
        {
            this.chunk = chunk;
            buffer.wrap(chunk);
            next = 0;
            return this;
        }

        /**
         * @return true if moved to the next change, false at the end.
         */
        boolean next()
        {
            if (next >= chunk.length)
            {
                return false;
            }
            offset = next;
            revision = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            subRevision = buffer.getInt(offset + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            timestampMs = buffer.getLong(offset + Long.BYTES + Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
            keyLength = buffer.getInt(offset + CHANGE_HEADER_LENGTH - Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
            recordLength = buffer.getInt(offset + CHANGE_HEADER_LENGTH + keyLength, ByteOrder.LITTLE_ENDIAN);
            next = offset + CHANGE_HEADER_LENGTH + keyLength + Integer.BYTES + Math.max(0, recordLength);
            return true;
        }

        long revision()
        {
            return revision;
        }

        int subRevision()
        {
            return subRevision;
        }

        long timestampMs()
        {
            return timestampMs;
        }

        byte[] key()
        {
            final byte[] key = new byte[keyLength];
            buffer.getBytes(offset + CHANGE_HEADER_LENGTH, key);
            return key;
        }

        boolean isDelete()
        {
            return recordLength < 0;
        }

        /**
         * @return a copy of the record, null for a delete.
         */
        byte[] record()
        {
            if (recordLength < 0)
            {
                return null;
            }
            final byte[] record = new byte[recordLength];
            buffer.getBytes(offset + CHANGE_HEADER_LENGTH + keyLength + Integer.BYTES, record);
            return record;
        }

        /**
         * @return where the current change starts in the chunk.
         */
        int offset()
        {
            return offset;
        }

        /**
         * @return where the current change ends in the chunk.
         */
        int end()
        {
            return next;
        }
    }
}
