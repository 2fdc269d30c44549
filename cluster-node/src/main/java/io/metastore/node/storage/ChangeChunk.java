package io.metastore.node.storage;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A chunk of the history in revision order: the value of one record of the {@code revisions} column family, keyed
 * by the revision and sub revision of its first change (big-endian, so chunks sort in revision order), holding
 * consecutive changes, each: revision (8), sub revision (4), cluster time in ms (8), the revision (8) and sub revision
 * (4) of the key's put this change replaces (0 if none: a watch's prevKv), key length (4), key, record length (4, -1
 * for a delete), record; little-endian. The changes of a chunk all come before those of the next.
 * <p>
 * A committed batch of the log writes one chunk, or one per {@link #TARGET_BYTES} of changes, rather than a record
 * per change: an insert into a memtable costs as much as a put's own.
 */
public final class ChangeChunk
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
    static final int CHANGE_HEADER_LENGTH =
        Long.BYTES + Integer.BYTES + Long.BYTES + Long.BYTES + Integer.BYTES + Integer.BYTES;

    private static final int TIMESTAMP_OFFSET = Long.BYTES + Integer.BYTES;
    private static final int PREVIOUS_OFFSET = TIMESTAMP_OFFSET + Long.BYTES;

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
     * @param key of a chunk.
     * @return the sub revision of its first change: 0 if the chunk starts a revision.
     */
    static int subRevisionOf(final byte[] key)
    {
        return ByteBuffer.wrap(key).getInt(Long.BYTES);
    }

    /**
     * Append a change to a chunk being built.
     *
     * @param chunk       in little-endian order, positioned at its end, with room for the change.
     * @param revision    of the change.
     * @param subRevision of the change.
     * @param timestampMs of the change.
     * @param previousRevision    of the key's put this change replaces, 0 if none.
     * @param previousSubRevision of that put.
     * @param key         changed.
     * @param record      after a put, null for a delete.
     */
    static void append(
        final ByteBuffer chunk,
        final long revision,
        final int subRevision,
        final long timestampMs,
        final long previousRevision,
        final int previousSubRevision,
        final byte[] key,
        final byte[] record)
    {
        chunk.putLong(revision).putInt(subRevision).putLong(timestampMs)
            .putLong(previousRevision).putInt(previousSubRevision)
            .putInt(key.length).put(key);
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
    public static final class Reader
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
        private byte[] chunk;
        private int next;
        private int offset;
        private long revision;
        private int subRevision;
        private long timestampMs;
        private long previousRevision;
        private int previousSubRevision;
        private int keyLength;
        private int recordLength;

        /**
         * @param chunk to walk; positioned before its first change.
         * @return this.
         */
        public Reader wrap(final byte[] chunk)
        {
            this.chunk = chunk;
            buffer.wrap(chunk);
            next = 0;
            return this;
        }

        /**
         * @return true if moved to the next change, false at the end.
         */
        public boolean next()
        {
            if (next >= chunk.length)
            {
                return false;
            }
            offset = next;
            revision = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            subRevision = buffer.getInt(offset + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            timestampMs = buffer.getLong(offset + TIMESTAMP_OFFSET, ByteOrder.LITTLE_ENDIAN);
            previousRevision = buffer.getLong(offset + PREVIOUS_OFFSET, ByteOrder.LITTLE_ENDIAN);
            previousSubRevision = buffer.getInt(offset + PREVIOUS_OFFSET + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            keyLength = buffer.getInt(offset + CHANGE_HEADER_LENGTH - Integer.BYTES, ByteOrder.LITTLE_ENDIAN);
            recordLength = buffer.getInt(offset + CHANGE_HEADER_LENGTH + keyLength, ByteOrder.LITTLE_ENDIAN);
            next = offset + CHANGE_HEADER_LENGTH + keyLength + Integer.BYTES + Math.max(0, recordLength);
            return true;
        }

        /**
         * @return the revision of the current change.
         */
        public long revision()
        {
            return revision;
        }

        /**
         * @return the sub revision of the current change, its order within its revision.
         */
        public int subRevision()
        {
            return subRevision;
        }

        /**
         * @return the cluster time of the current change, in ms.
         */
        public long timestampMs()
        {
            return timestampMs;
        }

        /**
         * @return the revision of the key's put this change replaces, 0 if none.
         */
        public long previousRevision()
        {
            return previousRevision;
        }

        /**
         * @return the sub revision of the key's put this change replaces.
         */
        public int previousSubRevision()
        {
            return previousSubRevision;
        }

        /**
         * @return the length of the changed key.
         */
        public int keyLength()
        {
            return keyLength;
        }

        /**
         * @return the chunk's buffer, wrapping the chunk.
         */
        public UnsafeBuffer buffer()
        {
            return buffer;
        }

        /**
         * @return where the changed key starts in the chunk.
         */
        public int keyOffset()
        {
            return offset + CHANGE_HEADER_LENGTH;
        }

        /**
         * @return the length of the record, -1 for a delete.
         */
        public int recordLength()
        {
            return recordLength;
        }

        /**
         * @return where the record starts in the chunk.
         */
        public int recordOffset()
        {
            return offset + CHANGE_HEADER_LENGTH + keyLength + Integer.BYTES;
        }

        /**
         * @return a copy of the changed key.
         */
        public byte[] key()
        {
            final byte[] key = new byte[keyLength];
            buffer.getBytes(offset + CHANGE_HEADER_LENGTH, key);
            return key;
        }

        /**
         * @return true if the current change is a delete.
         */
        public boolean isDelete()
        {
            return recordLength < 0;
        }

        /**
         * @return a copy of the record, null for a delete.
         */
        public byte[] record()
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
