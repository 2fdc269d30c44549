package io.metastore.client;

/**
 * Told what a watch sees. Called on the client's watch executor ({@link MetaStoreClient.Context#watchExecutor()}),
 * never on its I/O thread, one call at a time per watch, in revision order; so a listener may block or call the
 * client. A listener slower than its watch's changes does not hold up the client: see
 * {@link MetaStoreClient#watch(byte[], WatchOptions, WatchListener)}. With
 * {@link MetaStoreClient.Context#watchListenersOnIoThread(boolean)} it is called on the I/O thread instead (and
 * {@link #onTerminated(MetaStoreException)} of a watch its client cancels, on the canceling thread), and must neither
 * block nor call the client's blocking methods.
 * <p>
 * An exception thrown by a callback goes to the client's error handler; the watch goes on.
 */
public interface WatchListener
{
    /**
     * The events of one revision: each revision once, in increasing order, with no gap in what the watch selects,
     * across failovers from member to member.
     *
     * @param events of one revision. Watches of one client that select the same keys with the same options may be
     *               given the same {@link WatchEvent}s, read once: their keys' and values' bytes are not to be changed.
     */
    void onEvents(WatchEvents events);

    /**
     * Every change up to a revision has been delivered: asked for with {@link WatchOptions#progressNotify(boolean)}
     * or {@link MetaStoreClient#requestWatchProgress()}.
     *
     * @param revision up to which every change the watch selects has been delivered.
     */
    default void onProgress(final long revision)
    {
    }

    /**
     * As {@link #onProgress(long)}, with the header of the member's notification (its member id and leadership term,
     * the revision reached); by default calls {@link #onProgress(long)} with the revision.
     *
     * @param header of the notification; {@link ResponseHeader#revision()} is the revision reached.
     */
    default void onProgress(final ResponseHeader header)
    {
        onProgress(header.revision());
    }

    /**
     * The watch is over: called once, last. The reason is a {@link CompactedException} if the watch fell behind a
     * compaction or started at or below the compacted revision (as etcd: read again, then watch from
     * {@link CompactedException#compactRevision()} + 1), or a {@link MetaStoreException} whose code is
     * {@code CANCELED} if the watch was canceled, by the member or by {@link Watch#cancel()}, another code if the
     * member refused the watch, and none if the client was closed.
     *
     * @param reason the watch ended.
     */
    default void onTerminated(final MetaStoreException reason)
    {
    }
}
