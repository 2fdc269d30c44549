package io.metastore.node.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The keys as they were at a revision: a {@link KvCursor} over the history's index by key that stops, for each key,
 * on its newest change at or below the revision, and skips the key when that change is a delete or there is none.
 * <p>
 * Each move is a lookup in the index's tree and a binary search of the key's changes; the record is read from
 * storage only when asked for.
 */
final class HistoryCursor implements KvCursor
{
    /**
     * Reads the record of a change from storage.
     */
    @FunctionalInterface
    interface RecordReader
    {
        /**
         * @param history of the key.
         * @param index   of the change in it.
         * @return the key's record after the change (a put).
         */
        byte[] read(HistoryIndex.KeyHistory history, int index);
    }

    private final HistoryIndex index;
    private final RecordReader reader;
    private final long revision;
    private HistoryIndex.KeyHistory history;
    private int change;
    private byte[] record;

    HistoryCursor(final HistoryIndex index, final RecordReader reader, final long revision)
    {
        this.index = index;
        this.reader = reader;
        this.revision = revision;
    }

    @Override
    public void seek(final byte[] key)
    {
        forward(index.ceiling(key));
    }

    @Override
    public void seekForPrev(final byte[] key)
    {
        backward(index.floor(key));
    }

    @Override
    public void seekToFirst()
    {
        forward(index.first());
    }

    @Override
    public void seekToLast()
    {
        backward(index.last());
    }

    @Override
    public boolean isValid()
    {
        return null != history;
    }

    @Override
    public void next()
    {
        forward(index.higher(history.key()));
    }

    @Override
    public void prev()
    {
        backward(index.lower(history.key()));
    }

    @Override
    public byte[] key()
    {
        return history.key();
    }

    @Override
    public byte[] record()
    {
        if (null == record)
        {
            record = reader.read(history, change);
        }
        return record;
    }

    @Override
    public ByteBuffer recordPrefix(final int length)
    {
        return ByteBuffer.wrap(record(), 0, length).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close()
    {
        history = null;
        record = null;
    }

    private void forward(final HistoryIndex.KeyHistory from)
    {
        HistoryIndex.KeyHistory candidate = from;
        while (null != candidate && !settle(candidate))
        {
            candidate = index.higher(candidate.key());
        }
        if (null == candidate)
        {
            history = null;
        }
    }

    private void backward(final HistoryIndex.KeyHistory from)
    {
        HistoryIndex.KeyHistory candidate = from;
        while (null != candidate && !settle(candidate))
        {
            candidate = index.lower(candidate.key());
        }
        if (null == candidate)
        {
            history = null;
        }
    }

    /**
     * @return true if the key is live at the revision, the cursor then positioned on it.
     */
    private boolean settle(final HistoryIndex.KeyHistory candidate)
    {
        final int newest = candidate.newestAt(revision);
        if (newest < 0 || candidate.isDelete(newest))
        {
            return false;
        }
        history = candidate;
        change = newest;
        record = null;
        return true;
    }
}
