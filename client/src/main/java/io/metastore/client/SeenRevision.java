package io.metastore.client;

/**
 * The highest revision the client has seen in the header of any response, from the cluster or from the member
 * serving its read session (watch events, keep-alives and serializable reads included): the revision a
 * serializable read must reflect at least, so the client never reads a state older than one it has already seen.
 * <p>
 * Raised by the client's I/O thread alone, before it completes the request whose response raised it, so a request
 * submitted from that request's callback, or after its future completes, is stamped with at least that revision.
 * Read by any thread.
 */
final class SeenRevision
{
    private volatile long revision;

    /**
     * @param revision seen in a response; kept if above the highest so far. Called by the I/O thread only.
     */
    void observe(final long revision)
    {
        if (revision > this.revision)
        {
            this.revision = revision;
        }
    }

    /**
     * @return the highest revision seen so far, 0 if none.
     */
    long get()
    {
        return revision;
    }
}
