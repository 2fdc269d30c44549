package io.metastore.client;

/**
 * What {@link WatchConductor} sends on the read session with a member: the {@link ReadSession} in the client, a
 * fake in a test. Each call sends at once or not at all.
 */
interface ReadRequests
{
    /**
     * @return true while a read session with a member is open, so requests may be sent.
     */
    boolean isOpen();

    /**
     * Send a {@code WatchCreateRequest}.
     *
     * @param watchId       of the watch on the wire, unique in the client.
     * @param startRevision first revision to deliver, 0 for the one after the member's current.
     * @param spec          keys and flags of the watch.
     * @return the request's correlation id, or 0 if it was not sent (no session, back pressure): try again later.
     */
    long watchCreate(long watchId, long startRevision, WatchSpec spec);

    /**
     * Send a {@code WatchCancelRequest}.
     *
     * @param watchId of the watch on the wire.
     * @return the request's correlation id, or 0 if it was not sent.
     */
    long watchCancel(long watchId);

    /**
     * Send a {@code WatchProgressRequest}.
     *
     * @return the request's correlation id, or 0 if it was not sent.
     */
    long watchProgress();
}
