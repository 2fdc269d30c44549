package io.metastore.node.storage;

import org.agrona.CloseHelper;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;

/**
 * The keys as they were at a revision: a {@link KvCursor} over the history by key that stops, for each user key, on
 * its newest change at or below the revision, and skips the key when that change is a delete or there is none.
 * <p>
 * Each move costs a seek or two per user key, whatever the number of its changes: one to its newest change at or
 * below the revision, one past its older ones.
 */
final class HistoryCursor implements KvCursor
{
    private final RocksIterator iterator;
    private final long revision;
    private byte[] key;
    private byte[] record;

    HistoryCursor(final RocksIterator iterator, final long revision)
    {
        this.iterator = iterator;
        this.revision = revision;
    }

    @Override
    public void seek(final byte[] key)
    {
        iterator.seek(HistoryKeys.prefix(key));
        forward();
    }

    @Override
    public void seekForPrev(final byte[] key)
    {
        iterator.seekForPrev(HistoryKeys.after(key));
        backward();
    }

    @Override
    public void seekToFirst()
    {
        iterator.seekToFirst();
        forward();
    }

    @Override
    public void seekToLast()
    {
        iterator.seekToLast();
        backward();
    }

    @Override
    public boolean isValid()
    {
        return null != key;
    }

    @Override
    public void next()
    {
        iterator.seek(HistoryKeys.after(key));
        forward();
    }

    @Override
    public void prev()
    {
        iterator.seekForPrev(HistoryKeys.prefix(key));
        backward();
    }

    @Override
    public byte[] key()
    {
        return key;
    }

    @Override
    public byte[] record()
    {
        return record;
    }

    @Override
    public ByteBuffer recordPrefix(final int length)
    {
        return ByteBuffer.wrap(record, 0, length).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close()
    {
        CloseHelper.close(iterator);
    }

    /**
     * From any change, settle on the first user key at or after its key that is live at the revision.
     */
    private void forward()
    {
        while (iterator.isValid())
        {
            final byte[] userKey = HistoryKeys.userKey(iterator.key());
            if (settle(userKey))
            {
                return;
            }
            iterator.seek(HistoryKeys.after(userKey));
        }
        key = null;
        record = null;
    }

    /**
     * From any change, settle on the last user key at or before its key that is live at the revision.
     */
    private void backward()
    {
        while (iterator.isValid())
        {
            final byte[] userKey = HistoryKeys.userKey(iterator.key());
            if (settle(userKey))
            {
                return;
            }
            iterator.seekForPrev(HistoryKeys.prefix(userKey));
        }
        key = null;
        record = null;
    }

    /**
     * @return true if the user key is live at the revision, positioned on its change; else the iterator is left on
     * a change of the same key or past it, never before an earlier key's.
     */
    private boolean settle(final byte[] userKey)
    {
        iterator.seek(HistoryKeys.seekAt(userKey, revision));
        if (iterator.isValid() && HistoryKeys.isOf(iterator.key(), HistoryKeys.prefix(userKey)))
        {
            final byte[] value = iterator.value();
            if (value.length > 0)
            {
                key = userKey;
                record = value;
                return true;
            }
        }
        return false;
    }
}
