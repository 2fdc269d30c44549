package io.metastore.node.lease;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * A live lease: its TTL, the cluster time at which it expires unless renewed, and the keys attached to it.
 */
public final class Lease
{
    private final long id;
    private final long ttl;
    private long deadline;
    private final Set<ByteBuffer> keys = new HashSet<>();

    Lease(final long id, final long ttl, final long deadline)
    {
        this.id = id;
        this.ttl = ttl;
        this.deadline = deadline;
    }

    /**
     * @return the lease id.
     */
    public long id()
    {
        return id;
    }

    /**
     * @return the TTL granted, in seconds.
     */
    public long ttl()
    {
        return ttl;
    }

    /**
     * @return cluster time, in milliseconds, at which the lease expires unless renewed.
     */
    public long deadline()
    {
        return deadline;
    }

    void deadline(final long deadline)
    {
        this.deadline = deadline;
    }

    /**
     * @return the attached keys, wrapped; do not change them.
     */
    public Set<ByteBuffer> keys()
    {
        return keys;
    }

    /**
     * @param key to look for.
     * @return true if the key is attached to this lease.
     */
    public boolean hasKey(final byte[] key)
    {
        return keys.contains(ByteBuffer.wrap(key));
    }
}
