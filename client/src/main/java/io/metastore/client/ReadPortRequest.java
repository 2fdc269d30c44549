package io.metastore.client;

import org.agrona.MutableDirectBuffer;

/**
 * A request answered on a read session rather than through the log, waiting for its response: it keeps what it asks,
 * so the I/O thread can encode it again when its read session moves or could not send it (see
 * {@link SerializableReads}).
 */
abstract class ReadPortRequest extends PendingRequest
{
    /**
     * In the read batch being built, not yet offered: the I/O thread's to set and read.
     */
    boolean isBatched;
    /**
     * When last offered: the I/O thread's to set and read.
     */
    long sentNs;

    ReadPortRequest(
        final ClientConductor conductor,
        final long awaitTimeoutNs,
        final long correlationId,
        final int responseTemplateId,
        final long deadlineNs)
    {
        super(conductor, awaitTimeoutNs, correlationId, responseTemplateId, deadlineNs);
    }

    /**
     * @return bytes the encoded request takes.
     */
    abstract int length();

    /**
     * Encode the request, {@link #length()} bytes at {@code offset}.
     *
     * @param encoder     of the I/O thread.
     * @param buffer      to encode into.
     * @param offset      to encode at.
     * @param clientId    of the client's read session.
     * @param minRevision the least revision the member's state must reflect, for requests that read state.
     */
    abstract void encode(
        RequestEncoder encoder, MutableDirectBuffer buffer, int offset, long clientId, long minRevision);
}
