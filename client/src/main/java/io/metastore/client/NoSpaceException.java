package io.metastore.client;

import io.metastore.codecs.ErrorCode;

/**
 * A write was refused because a {@code NOSPACE} alarm is active in the cluster: a member is running out of space
 * (etcd's {@code ErrNoSpace}). Nothing was applied. Reads, deletes and lease renewals still work; writes work again
 * once the alarm is cleared ({@link MetaStoreClient#alarmDeactivate(long, io.metastore.codecs.AlarmType)} or
 * {@link MetaStoreClient#alarmDisarm()}). Its {@link #code()} is {@link ErrorCode#NO_SPACE}.
 */
public final class NoSpaceException extends MetaStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message from the cluster.
     */
    public NoSpaceException(final String message)
    {
        super(ErrorCode.NO_SPACE, message);
    }
}
