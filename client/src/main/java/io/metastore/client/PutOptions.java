package io.metastore.client;

/**
 * Options of a put, as etcd's {@code PutRequest}.
 */
public final class PutOptions
{
    private long lease;
    private boolean prevKv;
    private boolean ignoreValue;
    private boolean ignoreLease;

    /**
     * @param lease to attach the key to, 0 for none.
     * @return this for a fluent API.
     */
    public PutOptions lease(final long lease)
    {
        this.lease = lease;
        return this;
    }

    /**
     * @return the lease to attach, 0 for none.
     */
    public long lease()
    {
        return lease;
    }

    /**
     * @param prevKv return the previous pair.
     * @return this for a fluent API.
     */
    public PutOptions prevKv(final boolean prevKv)
    {
        this.prevKv = prevKv;
        return this;
    }

    /**
     * @return true if the previous pair is returned.
     */
    public boolean prevKv()
    {
        return prevKv;
    }

    /**
     * @param ignoreValue keep the current value; the key must exist.
     * @return this for a fluent API.
     */
    public PutOptions ignoreValue(final boolean ignoreValue)
    {
        this.ignoreValue = ignoreValue;
        return this;
    }

    /**
     * @return true if the current value is kept.
     */
    public boolean ignoreValue()
    {
        return ignoreValue;
    }

    /**
     * @param ignoreLease keep the current lease; the key must exist.
     * @return this for a fluent API.
     */
    public PutOptions ignoreLease(final boolean ignoreLease)
    {
        this.ignoreLease = ignoreLease;
        return this;
    }

    /**
     * @return true if the current lease is kept.
     */
    public boolean ignoreLease()
    {
        return ignoreLease;
    }
}
