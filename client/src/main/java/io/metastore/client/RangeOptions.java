package io.metastore.client;

import io.metastore.codecs.SortOrder;
import io.metastore.protocol.KeyRanges;

/**
 * Options of a range, as etcd's {@code RangeRequest}. Without a range end the range is the key alone. A range is
 * linearizable unless made {@link #serializable(boolean) serializable}.
 */
public final class RangeOptions
{
    private static final byte[] EMPTY = new byte[0];

    private byte[] rangeEnd = EMPTY;
    private boolean prefix;
    private long limit;
    private long revision;
    private SortOrder sortOrder = SortOrder.NONE;
    private boolean keysOnly;
    private boolean countOnly;
    private boolean serializable;

    /**
     * @param rangeEnd exclusive end of the range; a single zero byte for every key from the key on.
     * @return this for a fluent API.
     */
    public RangeOptions rangeEnd(final byte[] rangeEnd)
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
    public RangeOptions prefix()
    {
        this.prefix = true;
        return this;
    }

    /**
     * Every key greater than or equal to the key.
     *
     * @return this for a fluent API.
     */
    public RangeOptions fromKey()
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
     * @param limit most pairs returned, 0 for all.
     * @return this for a fluent API.
     */
    public RangeOptions limit(final long limit)
    {
        this.limit = limit;
        return this;
    }

    /**
     * @return most pairs returned, 0 for all.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * @param revision to read at, 0 for the latest.
     * @return this for a fluent API.
     */
    public RangeOptions revision(final long revision)
    {
        this.revision = revision;
        return this;
    }

    /**
     * @return revision to read at, 0 for the latest.
     */
    public long revision()
    {
        return revision;
    }

    /**
     * @param sortOrder by key.
     * @return this for a fluent API.
     */
    public RangeOptions sortOrder(final SortOrder sortOrder)
    {
        this.sortOrder = sortOrder;
        return this;
    }

    /**
     * @return the order by key.
     */
    public SortOrder sortOrder()
    {
        return sortOrder;
    }

    /**
     * @param keysOnly leave the values out.
     * @return this for a fluent API.
     */
    public RangeOptions keysOnly(final boolean keysOnly)
    {
        this.keysOnly = keysOnly;
        return this;
    }

    /**
     * @return true if values are left out.
     */
    public boolean keysOnly()
    {
        return keysOnly;
    }

    /**
     * @param countOnly return only the count.
     * @return this for a fluent API.
     */
    public RangeOptions countOnly(final boolean countOnly)
    {
        this.countOnly = countOnly;
        return this;
    }

    /**
     * @return true if only the count is returned.
     */
    public boolean countOnly()
    {
        return countOnly;
    }

    /**
     * Make the range serializable, as etcd's {@code WithSerializable()}: answered by any member (the one serving the
     * client's read session, see {@link MetaStoreClient.Context#readMemberId()}) from the state it has applied, off
     * the log, so it is cheaper, and answered while no leader is elected. The state read may be stale, behind what
     * the leader has committed, but never older than anything this client has already seen: the member waits,
     * briefly, until it has applied the highest revision the client has seen in any response or event, or refuses
     * the read with a retryable {@link MemberBehindException}. A read not answered when its member is lost is sent
     * to the next member until its deadline.
     * <p>
     * Linearizable, the default, the range goes through the leader's log and reflects every write committed before
     * it. A serializable range at a past {@link #revision(long) revision} takes the log path as well: it reads the
     * same either way. Ignored in a transaction, which always goes through the log.
     *
     * @param serializable true for a serializable range, false for a linearizable one.
     * @return this for a fluent API.
     */
    public RangeOptions serializable(final boolean serializable)
    {
        this.serializable = serializable;
        return this;
    }

    /**
     * @return true if the range is serializable, false if it is linearizable (the default).
     */
    public boolean serializable()
    {
        return serializable;
    }

    /**
     * @return true if the range is served by the client's read session rather than the log: serializable, at the
     * latest revision.
     */
    boolean isForReadSession()
    {
        return serializable && 0 == revision;
    }
}
