package io.metastore.client;

import java.util.concurrent.TimeUnit;

/**
 * A watch read by pulling, for simple use:
 * <pre>{@code
 * try (WatchIterator changes = client.watchIterator(key, new WatchOptions().prefix()))
 * {
 *     WatchEvents events;
 *     while (null != (events = changes.next(1, TimeUnit.SECONDS)))
 *     {
 *         ...
 *     }
 * }
 * }</pre>
 * Revisions wait in the watch's bounded queue ({@link MetaStoreClient.Context#watchQueueRevisions()}); a reader that
 * falls behind pauses the watch at the member, which catches it up from history once the reader has taken most of
 * them, as a slow listener. Progress notifications are not surfaced. One thread at a time reads.
 */
public final class WatchIterator implements AutoCloseable
{
    private final Watch watch;

    WatchIterator(final Watch watch)
    {
        this.watch = watch;
    }

    /**
     * Take the next revision's events, waiting at most the timeout.
     *
     * @param timeout most time to wait.
     * @param unit    of the timeout.
     * @return the events of the next revision, or null if none came within the timeout.
     * @throws CompactedException if the watch fell behind a compaction or started at or below it.
     * @throws MetaStoreException once the watch is over for any other reason (canceled, closed, refused), after
     *                            every revision it queued before was taken, or if the thread is interrupted.
     */
    public WatchEvents next(final long timeout, final TimeUnit unit)
    {
        return watch.delivery().poll(unit.toNanos(timeout));
    }

    /**
     * @return the watch read.
     */
    public Watch watch()
    {
        return watch;
    }

    /**
     * @return the last revision returned by {@link #next(long, TimeUnit)}, 0 if none.
     */
    public long lastRevision()
    {
        return watch.lastRevision();
    }

    /**
     * Cancel the watch; {@link #next(long, TimeUnit)} then throws a {@code CANCELED} {@link MetaStoreException}.
     */
    @Override
    public void close()
    {
        watch.cancel();
    }
}
