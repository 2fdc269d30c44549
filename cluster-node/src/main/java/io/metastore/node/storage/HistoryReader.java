package io.metastore.node.storage;

import org.rocksdb.ReadOptions;

import java.util.List;

/**
 * Reads the committed history from a thread other than the service's: the reader side of a member (watches) follows
 * the revisions the service commits without touching the service thread or its batch. Not thread safe: one per
 * reading thread.
 */
public final class HistoryReader implements AutoCloseable
{
    private final RocksDbStorage storage;
    private final ReadOptions options = new ReadOptions();
    private final ChangeChunk.Reader changeReader = new ChangeChunk.Reader();
    private byte[] lastChunk;

    /**
     * @param storage whose committed history to read; must outlive this reader.
     */
    public HistoryReader(final RocksDbStorage storage)
    {
        this.storage = storage;
    }

    /**
     * @return the revision committed to the store; every change up to it can be read.
     */
    public long committedRevision()
    {
        return storage.publishedRevision();
    }

    /**
     * Read after what it is checked against: changes at or below it may be gone, whole or in part.
     *
     * @return the compacted revision committed to the store.
     */
    public long compactedRevision()
    {
        return storage.publishedCompactedRevision();
    }

    /**
     * Read the chunks that hold the changes of revisions from {@code fromRevision} to {@code toRevision}, whole
     * revisions only, stopping at the first revision boundary past {@code maxBytes}. Walk them with a
     * {@link ChangeChunk.Reader}, skipping changes outside the revisions asked for and returned.
     *
     * @param fromRevision    first revision wanted.
     * @param fromSubRevision first change of it wanted, 0 for all of it.
     * @param toRevision      last revision wanted, at most {@link #committedRevision()}.
     * @param maxBytes     bytes after which to stop, at a revision boundary.
     * @param chunks       to add the chunks to, in revision order.
     * @return the last revision the chunks hold whole.
     */
    public long readChunks(
        final long fromRevision,
        final int fromSubRevision,
        final long toRevision,
        final int maxBytes,
        final List<byte[]> chunks)
    {
        return storage.readCommittedChunks(fromRevision, fromSubRevision, toRevision, maxBytes, options, chunks);
    }

    /**
     * Find a change by its revision and sub revision: the put a later change replaced, for a watch's prevKv.
     *
     * @param revision    of the change.
     * @param subRevision of the change.
     * @return a reader positioned on the change, valid until the next call; null if it is no longer kept.
     */
    public ChangeChunk.Reader findChange(final long revision, final int subRevision)
    {
        // The chunk found last is looked in first: every watcher asking for prevKv of the same event, and events of
        // one batch, mostly want the same chunk. A change's bytes never change once committed, so a chunk read
        // before a removal rewrote it still answers right for every change a watch can ask about.
        if (null != lastChunk && find(lastChunk, revision, subRevision))
        {
            return changeReader;
        }
        final byte[] chunk = storage.readCommittedChunkOf(revision, subRevision, options);
        if (null != chunk && find(chunk, revision, subRevision))
        {
            lastChunk = chunk;
            return changeReader;
        }

        return null;
    }

    private boolean find(final byte[] chunk, final long revision, final int subRevision)
    {
        changeReader.wrap(chunk);
        while (changeReader.next())
        {
            if (changeReader.revision() == revision && changeReader.subRevision() == subRevision)
            {
                return true;
            }
            if (changeReader.revision() > revision)
            {
                break;
            }
        }

        return false;
    }

    /**
     * Release the reader's options.
     */
    public void close()
    {
        options.close();
    }
}
