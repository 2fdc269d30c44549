package io.metastore.client;

import io.metastore.protocol.KeyRanges;

/**
 * Options of a delete-range, as etcd's {@code DeleteRangeRequest}. Without a range end only the key is deleted.
 */
public final class DeleteOptions
{
    private static final byte[] EMPTY = new byte[0];

    private byte[] rangeEnd = EMPTY;
    private boolean prefix;
    private boolean prevKv;

    /**
     * @param rangeEnd exclusive end of the range; a single zero byte for every key from the key on.
     * @return this for a fluent API.
     */
    public DeleteOptions rangeEnd(final byte[] rangeEnd)
    {
        this.rangeEnd = rangeEnd;
        this.prefix = false;
        return this;
    }

    /**
     * Every key that starts with the key.
     *
     * @return this for a fluent API.
     */
    public DeleteOptions prefix()
    {
        this.prefix = true;
        return this;
    }

    /**
     * Every key greater than or equal to the key.
     *
     * @return this for a fluent API.
     */
    public DeleteOptions fromKey()
    {
        return rangeEnd(KeyRanges.fromKey());
    }

    /**
     * @param key the range starts at.
     * @return the range end these options give for that key.
     */
    public byte[] rangeEndFor(final byte[] key)
    {
        return prefix ? KeyRanges.prefixEnd(key) : rangeEnd;
    }

    /**
     * @param prevKv return the deleted pairs.
     * @return this for a fluent API.
     */
    public DeleteOptions prevKv(final boolean prevKv)
    {
        this.prevKv = prevKv;
        return this;
    }

    /**
     * @return true if the deleted pairs are returned.
     */
    public boolean prevKv()
    {
        return prevKv;
    }
}
