package io.metastore.client;

import io.metastore.protocol.KeyRanges;

/**
 * Options of a watch, as etcd's {@code WatchCreateRequest}. Without a range end the watch is of the key alone; from
 * the revision after the current one unless a start revision is given.
 */
public final class WatchOptions
{
    private static final byte[] EMPTY = new byte[0];

    private byte[] rangeEnd = EMPTY;
    private boolean prefix;
    private long startRevision;
    private boolean prevKv;
    private boolean noPut;
    private boolean noDelete;
    private boolean progressNotify;

    /**
     * @param rangeEnd exclusive end of the keys watched; a single zero byte for every key from the key on.
     * @return this for a fluent API.
     */
    public WatchOptions rangeEnd(final byte[] rangeEnd)
    {
        this.rangeEnd = rangeEnd;
        this.prefix = false;
        return this;
    }

    /**
     * Watch every key that starts with the key.
     *
     * @return this for a fluent API.
     */
    public WatchOptions prefix()
    {
        this.prefix = true;
        return this;
    }

    /**
     * Watch every key greater than or equal to the key.
     *
     * @return this for a fluent API.
     */
    public WatchOptions fromKey()
    {
        return rangeEnd(KeyRanges.fromKey());
    }

    /**
     * @param key the watched keys start at.
     * @return the range end these options give for that key.
     */
    public byte[] rangeEndFor(final byte[] key)
    {
        return prefix ? KeyRanges.prefixEnd(key) : rangeEnd;
    }

    /**
     * @param startRevision first revision to deliver, above the compacted one; 0 for the revision after the current
     *                      one of the member serving the watch.
     * @return this for a fluent API.
     */
    public WatchOptions startRevision(final long startRevision)
    {
        this.startRevision = startRevision;
        return this;
    }

    /**
     * @return first revision to deliver, 0 for the revision after the current one.
     */
    public long startRevision()
    {
        return startRevision;
    }

    /**
     * @param prevKv give each event the key's pair before the change, when the member still keeps it.
     * @return this for a fluent API.
     */
    public WatchOptions prevKv(final boolean prevKv)
    {
        this.prevKv = prevKv;
        return this;
    }

    /**
     * @return true if each event carries the key's pair before the change.
     */
    public boolean prevKv()
    {
        return prevKv;
    }

    /**
     * @param noPut leave puts out.
     * @return this for a fluent API.
     */
    public WatchOptions noPut(final boolean noPut)
    {
        this.noPut = noPut;
        return this;
    }

    /**
     * @return true if puts are left out.
     */
    public boolean noPut()
    {
        return noPut;
    }

    /**
     * @param noDelete leave deletes out.
     * @return this for a fluent API.
     */
    public WatchOptions noDelete(final boolean noDelete)
    {
        this.noDelete = noDelete;
        return this;
    }

    /**
     * @return true if deletes are left out.
     */
    public boolean noDelete()
    {
        return noDelete;
    }

    /**
     * @param progressNotify have the member tell, now and then while the watch has nothing to deliver, the revision
     *                       it has reached: {@link WatchListener#onProgress(long)}.
     * @return this for a fluent API.
     */
    public WatchOptions progressNotify(final boolean progressNotify)
    {
        this.progressNotify = progressNotify;
        return this;
    }

    /**
     * @return true if the member tells the revision reached while the watch is idle.
     */
    public boolean progressNotify()
    {
        return progressNotify;
    }
}
