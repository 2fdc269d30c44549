package io.metastore.node.storage;

import org.agrona.concurrent.UnsafeBuffer;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Walks the chunks of the {@code revisions} column family as a snapshot copies them, in revision order: a chunk whose
 * key (its first change) is above the compacted revision, so that all its changes are, as it is stored, copied once
 * from RocksDB into a direct buffer kept for it and never decoded; any other rebuilt of the changes a read at or after
 * the compacted revision can see (the changes physical removal has not reached yet are left out, as
 * {@link RocksDbStorage#forEachKeptChange} leaves them out), and skipped when none is.
 * <p>
 * Copying chunks rather than changes is what makes a snapshot of a long history cheap: decoding every change and
 * encoding it again took two thirds of a snapshot's time, on the service's thread, which applies nothing meanwhile.
 */
final class KeptChunks
{
    private static final int INITIAL_CHUNK_BYTES = 64 * 1024;

    /**
     * Tells whether a change at or below the compacted revision is kept.
     */
    @FunctionalInterface
    interface KeptAtOrBelowCompacted
    {
        /**
         * @param key         changed.
         * @param revision    of the change, at or below the compacted revision.
         * @param subRevision of the change.
         * @param isDelete    true for a delete.
         * @return true if a read at or after the compacted revision can see it.
         */
        boolean isKept(byte[] key, long revision, int subRevision, boolean isDelete);
    }

    private final ByteBuffer keyBuffer = ByteBuffer.allocateDirect(ChangeChunk.KEY_LENGTH);
    private final UnsafeBuffer key = new UnsafeBuffer(keyBuffer);
    private ByteBuffer chunkBuffer = ByteBuffer.allocateDirect(INITIAL_CHUNK_BYTES);
    private final UnsafeBuffer chunk = new UnsafeBuffer(chunkBuffer);
    private ByteBuffer rebuilt = ByteBuffer.allocateDirect(INITIAL_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer rebuiltChunk = new UnsafeBuffer(rebuilt);
    private final ChangeChunk.Reader reader = new ChangeChunk.Reader();

    /**
     * Visit the kept chunks.
     *
     * @param chunks    over the {@code revisions} column family; positioned here from its first chunk.
     * @param compacted the compacted revision of the state read.
     * @param kept      tells the kept changes at or below the compacted revision.
     * @param consumer  of each chunk: the buffers it is given are valid until it returns.
     * @param onChunk   run before each chunk is read, e.g. to give up on a view closed meanwhile.
     */
    void forEach(
        final RocksIterator chunks,
        final long compacted,
        final KeptAtOrBelowCompacted kept,
        final CommittedState.ChunkConsumer consumer,
        final Runnable onChunk)
    {
        for (chunks.seekToFirst(); chunks.isValid(); chunks.next())
        {
            onChunk.run();
            keyBuffer.clear();
            final int keyLength = chunks.key(keyBuffer);
            if (ChangeChunk.KEY_LENGTH != keyLength)
            {
                throw new StorageException("a chunk of history with a key of " + keyLength + " bytes", null);
            }
            if (key.getLong(0, ByteOrder.BIG_ENDIAN) > compacted)
            {
                consumer.accept(key, keyLength, chunk, readChunk(chunks));
            }
            else
            {
                rebuild(chunks.value(), compacted, kept, consumer);
            }
        }
    }

    private int readChunk(final RocksIterator chunks)
    {
        chunkBuffer.clear();
        final int length = chunks.value(chunkBuffer);
        if (length > chunkBuffer.capacity())
        {
            chunkBuffer = ByteBuffer.allocateDirect(Math.max(length, 2 * chunkBuffer.capacity()));
            chunk.wrap(chunkBuffer);
            chunks.value(chunkBuffer);
        }
        return length;
    }

    private void rebuild(
        final byte[] stored,
        final long compacted,
        final KeptAtOrBelowCompacted kept,
        final CommittedState.ChunkConsumer consumer)
    {
        rebuilt.clear();
        long firstRevision = 0;
        int firstSubRevision = 0;
        reader.wrap(stored);
        while (reader.next())
        {
            final long revision = reader.revision();
            final int subRevision = reader.subRevision();
            final byte[] changedKey = reader.key();
            if (revision <= compacted && !kept.isKept(changedKey, revision, subRevision, reader.isDelete()))
            {
                continue;
            }
            final byte[] record = reader.record();
            final int length = ChangeChunk.length(changedKey, record);
            if (rebuilt.remaining() < length)
            {
                final ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(2 * rebuilt.capacity(),
                    rebuilt.position() + length)).order(ByteOrder.LITTLE_ENDIAN);
                rebuilt.flip();
                larger.put(rebuilt);
                rebuilt = larger;
                rebuiltChunk.wrap(rebuilt);
            }
            if (0 == rebuilt.position())
            {
                firstRevision = revision;
                firstSubRevision = subRevision;
            }
            ChangeChunk.append(rebuilt, revision, subRevision, reader.timestampMs(), reader.previousRevision(),
                reader.previousSubRevision(), changedKey, record);
        }
        if (rebuilt.position() > 0)
        {
            key.putLong(0, firstRevision, ByteOrder.BIG_ENDIAN);
            key.putInt(Long.BYTES, firstSubRevision, ByteOrder.BIG_ENDIAN);
            consumer.accept(key, ChangeChunk.KEY_LENGTH, rebuiltChunk, rebuilt.position());
        }
    }
}
