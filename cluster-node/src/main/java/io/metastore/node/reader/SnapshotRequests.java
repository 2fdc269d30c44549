package io.metastore.node.reader;

/**
 * What the read port asks of the member's snapshots, which it does not own: save the committed state to a client, or
 * have the cluster take a snapshot now. Called on the read port's thread; nothing here may block it.
 */
public interface SnapshotRequests
{
    /**
     * Start streaming the committed state, on a thread and a publication of its own, to a client's channel.
     *
     * @param channel       the client's response channel.
     * @param streamId      the client's response stream.
     * @param correlationId of the request, for the answers on that stream.
     * @return null if the save started, else why it cannot start now.
     */
    String save(String channel, int streamId, long correlationId);

    /**
     * Ask for a cluster snapshot; requests made before one is taken share it.
     *
     * @return the ticket of the request, to look for its answer with {@link #isTakeAnswered(long)}.
     */
    long requestTake();

    /**
     * @param ticket of a request.
     * @return true once a snapshot taken after the request, or a failure, answers it.
     */
    boolean isTakeAnswered(long ticket);

    /**
     * @return why the last answered request failed, or null if a snapshot was taken.
     */
    String takeError();

    /**
     * @return the log position of the snapshot that answered the last request.
     */
    long takePosition();

    /**
     * @return the snapshots the member has taken since it started, when the last request was answered.
     */
    long takeCount();
}
