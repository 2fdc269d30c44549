package io.metastore.client;

import io.metastore.codecs.ErrorCode;

/**
 * A running watch: see {@link MetaStoreClient#watch(byte[], WatchOptions, WatchListener)}. Thread safe.
 */
public final class Watch implements AutoCloseable
{
    private final long id;
    private final WatchDelivery delivery;
    private final WatchConductor conductor;

    Watch(final long id, final WatchDelivery delivery, final WatchConductor conductor)
    {
        this.id = id;
        this.delivery = delivery;
        this.conductor = conductor;
    }

    /**
     * @return the watch's id, unique in its client.
     */
    public long id()
    {
        return id;
    }

    /**
     * @return the last revision delivered: handed to the listener, or returned by a {@link WatchIterator}; 0 if none.
     */
    public long lastRevision()
    {
        return delivery.lastRevision();
    }

    /**
     * @return true once the watch is over: canceled, ended by the member, or its client closed.
     */
    public boolean isTerminated()
    {
        return delivery.isTerminated();
    }

    /**
     * Stop the watch, here and at the member. What it queued and not yet delivered is dropped, no {@code onEvents}
     * starts after this returns (one running goes on), and the listener is told
     * {@link WatchListener#onTerminated(MetaStoreException)} with a {@code CANCELED} {@link MetaStoreException},
     * unless the watch had ended before. Idempotent; safe from the listener itself.
     */
    public void cancel()
    {
        if (delivery.terminate(new MetaStoreException(ErrorCode.CANCELED, "watch canceled by its client"), true))
        {
            conductor.cancel(id);
        }
    }

    /**
     * Same as {@link #cancel()}.
     */
    @Override
    public void close()
    {
        cancel();
    }

    WatchDelivery delivery()
    {
        return delivery;
    }

    @Override
    public String toString()
    {
        return "Watch{id=" + id + ", lastRevision=" + lastRevision() + ", terminated=" + isTerminated() + '}';
    }
}
