package io.metastore.client;

/**
 * A request waiting for its response, and the future its caller holds: the correlation id, the response template
 * it expects and its deadline. One object per request, with no future of its own beside it.
 * <p>
 * A request is failed as not sent only while it is not yet offered: by its caller while it takes its slot and ring
 * space ({@link RequestRing#offer}), or by the I/O thread while it waits in the ring or in the kept batch. Once done
 * it is never offered: the I/O thread skips a done request it reads from the ring and takes one out of the kept
 * batch (see {@link ClientConductor}).
 * <p>
 * A serializable read is a {@link SerializableRange}, which keeps what it asks as well, so it can be sent again.
 */
class PendingRequest extends ClientFuture<Object>
{
    final long correlationId;
    final int responseTemplateId;
    final long deadlineNs;
    /**
     * Offered on ingress, or for a serializable read on the read session now open: the I/O thread's to set and read.
     */
    boolean isSent;

    /**
     * @param conductor          whose thread must not wait for the request.
     * @param awaitTimeoutNs     most a blocking form waits.
     * @param correlationId      the request carries, and its response.
     * @param responseTemplateId of the response the request expects.
     * @param deadlineNs         by when the request fails, in the time of the client's clock.
     */
    PendingRequest(
        final ClientConductor conductor,
        final long awaitTimeoutNs,
        final long correlationId,
        final int responseTemplateId,
        final long deadlineNs)
    {
        super(conductor, awaitTimeoutNs);
        this.correlationId = correlationId;
        this.responseTemplateId = responseTemplateId;
        this.deadlineNs = deadlineNs;
    }
}
