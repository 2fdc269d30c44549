package io.metastore.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A request waiting for its response: the future to complete, the response template it expects and its deadline.
 * <p>
 * Its caller and the conductor race for one decision: the caller to write the request to the ring
 * ({@link #markWritten()}), the conductor to give up on it, past its deadline or done, before it was written
 * ({@link #markDropped()}). Whichever wins, a request failed as not sent is never sent.
 */
final class PendingRequest
{
    private static final int NEW = 0;
    private static final int WRITTEN = 1;
    private static final int DROPPED = 2;
    private static final AtomicIntegerFieldUpdater<PendingRequest> STATE_UPDATER =
        AtomicIntegerFieldUpdater.newUpdater(PendingRequest.class, "state");

    final long correlationId;
    final int responseTemplateId;
    final long deadlineNs;
    final CompletableFuture<Object> future;
    /**
     * Offered on ingress: the conductor's to set and read.
     */
    boolean isSent;
    /**
     * Failed as not sent while its entry is still in the ring or the batch, where the conductor skips it: the
     * conductor's to set and read.
     */
    boolean isWithdrawn;
    private volatile int state;

    PendingRequest(
        final long correlationId,
        final int responseTemplateId,
        final long deadlineNs,
        final CompletableFuture<Object> future)
    {
        this.correlationId = correlationId;
        this.responseTemplateId = responseTemplateId;
        this.deadlineNs = deadlineNs;
        this.future = future;
    }

    /**
     * Called by the caller once the request is encoded in the ring, before committing it.
     *
     * @return true to commit it; false if the conductor dropped the request first: abort the claim.
     */
    boolean markWritten()
    {
        return STATE_UPDATER.compareAndSet(this, NEW, WRITTEN);
    }

    /**
     * Called by the conductor to give up on a request not sent.
     *
     * @return true if the request was not written and now never will be; false if it is in the ring or the batch.
     */
    boolean markDropped()
    {
        return STATE_UPDATER.compareAndSet(this, NEW, DROPPED);
    }
}
