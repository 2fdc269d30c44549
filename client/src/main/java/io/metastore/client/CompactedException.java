package io.metastore.client;

import io.metastore.codecs.ErrorCode;

/**
 * A read asked for a revision the cluster no longer keeps (etcd's {@code ErrCompacted}): nothing was read. Read
 * again at or after {@link #compactRevision()}.
 */
public final class CompactedException extends MetaStoreException
{
    private static final long serialVersionUID = 1L;

    private final long compactRevision;

    /**
     * @param compactRevision of the store when the read was refused.
     * @param message         for a person.
     */
    public CompactedException(final long compactRevision, final String message)
    {
        super(ErrorCode.COMPACTED, message);
        this.compactRevision = compactRevision;
    }

    /**
     * @return the compacted revision of the store when the read was refused.
     */
    public long compactRevision()
    {
        return compactRevision;
    }
}
