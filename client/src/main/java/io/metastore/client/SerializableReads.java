package io.metastore.client;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;

/**
 * The client's serializable reads, etcd's {@code WithSerializable()}, on its I/O thread: ranges at the latest
 * revision answered by the member of the {@link ReadSession} from the state it has applied, off the log.
 * <p>
 * <b>The path.</b> A read takes the one submission path of every request, the {@link RequestRing}; the conductor
 * hands each read it takes from the ring here ({@link #onRequest}), and the read waits by its correlation id for its
 * response. While the session is open its bytes are copied from the ring into the read batch, and the reads taken in
 * a duty cycle leave together, one message on the session's publication ({@link #doWork}), bounded by count and
 * bytes as an ingress batch is. The member answers each, several responses in a message as it likes; a
 * {@link ResponseDecoder} of the reads' own completes them ({@link #onResponse}).
 * <p>
 * <b>Never older than seen.</b> As the I/O thread batches a read it stamps the read's {@code minRevision} with the
 * highest revision the client has seen ({@link SeenRevision}): the member answers from a state at least that recent,
 * waiting a while for it if it must, or refuses with {@code MEMBER_BEHIND}, a retryable
 * {@link MemberBehindException}.
 * <p>
 * <b>Failover.</b> A read is idempotent, so a read not answered when the session is lost is sent again to the next
 * member, until its deadline. So is a read taken while no session is open, or whose batch could not be offered: such
 * a read is encoded anew from what it keeps ({@link SerializableRange}) when the session is open, before any read
 * newer than it is copied. A read the member has not answered within the resend interval, though the session lives,
 * is sent again to it: its answer may have been lost (a member drops what its publication to the client refuses), and
 * a second answer finds no read waiting and is passed over. A read past its deadline fails with a
 * {@link MetaStoreTimeoutException} ({@link #expire(long)}).
 * <p>
 * Nothing is allocated per read here: the batch's buffer and list grow to their largest once, and the map's
 * iterators are its own.
 */
final class SerializableReads
{
    /**
     * Offers a batch on the read session's publication.
     */
    @FunctionalInterface
    interface Sender
    {
        /**
         * @param buffer holding the batch.
         * @param offset of the batch.
         * @param length of the batch.
         * @return true if offered, false if not, now: back pressure, or the publication not connected or closed.
         */
        boolean offer(DirectBuffer buffer, int offset, int length);
    }

    private final long clientId;
    private final long resendIntervalNs;
    private final int maxBatchRequests;
    private final int maxBatchBytes;
    private final SeenRevision seenRevision;
    private final Long2ObjectHashMap<PendingRequest> pendingByCorrelationId = new Long2ObjectHashMap<>();
    private final ResponseDecoder responseDecoder;
    private final RequestEncoder encoder = new RequestEncoder();
    private final ExpandableDirectByteBuffer batchBuffer = new ExpandableDirectByteBuffer(4096);
    private final ArrayList<ReadPortRequest> batch = new ArrayList<>();
    private int batchLength;
    private int maxMessageLength;
    private int batchBytesLimit;
    private int sessionMemberId = -1;
    private boolean isSessionOpen;
    private boolean isSessionWanted;
    private boolean hasUnsent;

    /**
     * @param clientId         stamped on a read encoded again.
     * @param resendIntervalNs after which a read sent and not answered is sent again.
     * @param maxBatchRequests most reads in one message.
     * @param maxBatchBytes    most bytes in one message; a larger read goes alone.
     * @param seenRevision     the highest revision the client has seen, raised here too.
     * @param errorHandler     for responses no read can be told of.
     */
    SerializableReads(
        final long clientId,
        final long resendIntervalNs,
        final int maxBatchRequests,
        final int maxBatchBytes,
        final SeenRevision seenRevision,
        final ErrorHandler errorHandler)
    {
        this.clientId = clientId;
        this.resendIntervalNs = resendIntervalNs;
        this.maxBatchRequests = maxBatchRequests;
        this.maxBatchBytes = maxBatchBytes;
        this.seenRevision = seenRevision;
        this.responseDecoder = new ResponseDecoder(pendingByCorrelationId::remove, seenRevision, errorHandler);
    }

    /**
     * @return the highest revision the client has seen.
     */
    SeenRevision seenRevision()
    {
        return seenRevision;
    }

    /**
     * @return true once a read was taken: the read session opens, and stays open until the client closes.
     */
    boolean isSessionWanted()
    {
        return isSessionWanted;
    }

    /**
     * @return reads waiting for their response, sent or not.
     */
    int pendingCount()
    {
        return pendingByCorrelationId.size();
    }

    /**
     * @param length of a read waiting in the ring.
     * @return false if the read would not fit the batch of this cycle: leave it in the ring until the next.
     */
    boolean hasRoomFor(final int length)
    {
        return !isSessionOpen || hasUnsent || batch.isEmpty() ||
            (batch.size() < maxBatchRequests && batchLength + length <= batchBytesLimit);
    }

    /**
     * Take a read from the ring: it waits for its response, and is copied into the batch if the session is open and
     * no read older than it waits to be sent.
     *
     * @param read   taken, not done.
     * @param buffer holding its encoded request.
     * @param index  of the request.
     * @param length of the request.
     */
    void onRequest(final SerializableRange read, final DirectBuffer buffer, final int index, final int length)
    {
        isSessionWanted = true;
        pendingByCorrelationId.put(read.correlationId, read);
        if (isSessionOpen && !hasUnsent && batchLength + length <= maxMessageLength)
        {
            batchBuffer.putBytes(batchLength, buffer, index, length);
            RequestEncoder.stampMinRevision(batchBuffer, batchLength, seenRevision.get());
            addToBatch(read, length);
        }
        else
        {
            hasUnsent = true;
        }
    }

    /**
     * Take a request that did not come through the ring ({@link MemberQueries}): it waits for its response and is
     * encoded into the next batch.
     *
     * @param request taken, not done.
     */
    void onQuery(final ReadPortRequest request)
    {
        isSessionWanted = true;
        pendingByCorrelationId.put(request.correlationId, request);
        hasUnsent = true;
    }

    /**
     * Send the reads of this cycle, those waiting to be sent first, in one message. Called while the session is open.
     *
     * @param sender offers on the session's publication.
     * @param nowNs  the time now.
     * @return work done.
     */
    int doWork(final Sender sender, final long nowNs)
    {
        if (!isSessionOpen)
        {
            return 0;
        }
        if (hasUnsent)
        {
            batchUnsent();
        }
        if (batch.isEmpty())
        {
            return 0;
        }

        final boolean isOffered = sender.offer(batchBuffer, 0, batchLength);
        for (int i = 0, size = batch.size(); i < size; i++)
        {
            final ReadPortRequest read = batch.get(i);
            read.isBatched = false;
            read.isSent = isOffered;
            read.sentNs = nowNs;
        }
        hasUnsent |= !isOffered;
        batch.clear();
        batchLength = 0;

        // Not offered, the reads are encoded again next cycle: no work, so the idle strategy may back off meanwhile.
        return isOffered ? 1 : 0;
    }

    /**
     * Read a response to a read, of a message that may hold more, and complete the read.
     *
     * @param buffer holding the response.
     * @param offset of the response's message header.
     * @return the response's length, or -1 if it cannot be read.
     */
    int onResponse(final DirectBuffer buffer, final int offset)
    {
        return responseDecoder.onResponse(buffer, offset);
    }

    /**
     * The read session is open: reads go to its member.
     *
     * @param memberId         the session is open with.
     * @param maxMessageLength of the session's publication, which bounds a batch.
     */
    void onSessionOpened(final int memberId, final int maxMessageLength)
    {
        isSessionOpen = true;
        sessionMemberId = memberId;
        this.maxMessageLength = maxMessageLength;
        batchBytesLimit = Math.min(maxBatchBytes, maxMessageLength);
        hasUnsent = !pendingByCorrelationId.isEmpty();
    }

    /**
     * The read session is lost: every read not answered is to be sent again, to the next member.
     */
    void onSessionLost()
    {
        isSessionOpen = false;
        sessionMemberId = -1;
        for (final PendingRequest request : pendingByCorrelationId.values())
        {
            request.isSent = false;
            ((ReadPortRequest)request).isBatched = false;
        }
        batch.clear();
        batchLength = 0;
        hasUnsent = !pendingByCorrelationId.isEmpty();
    }

    /**
     * Forget the reads that are done, fail those past their deadline, and mark to be sent again those sent and not
     * answered within the resend interval.
     *
     * @param nowNs the time now.
     * @return reads failed.
     */
    int expire(final long nowNs)
    {
        int expired = 0;
        final Long2ObjectHashMap<PendingRequest>.ValueIterator iterator = pendingByCorrelationId.values().iterator();
        while (iterator.hasNext())
        {
            final PendingRequest request = iterator.next();
            final boolean isDone = request.isDone();
            if (!isDone && nowNs - request.deadlineNs < 0)
            {
                if (request.isSent && nowNs - ((ReadPortRequest)request).sentNs >= resendIntervalNs)
                {
                    request.isSent = false;
                    hasUnsent = true;
                }
                continue;
            }

            iterator.remove();
            if (!isDone)
            {
                request.completeExceptionally(new MetaStoreTimeoutException(request instanceof MemberQuery query ?
                    "no response from member " + query.memberId + " within the request timeout, correlationId=" +
                    request.correlationId + (request.isSent ? "; asked on its read session" :
                    "; its read session is not open: the member is down or unreachable") :
                    "no response within the request timeout, correlationId=" + request.correlationId +
                    "; a serializable read, " + (request.isSent ? "sent to member " + sessionMemberId :
                    "waiting for a read session with a member") + ", which applies nothing either way"));
                expired++;
            }
        }

        return expired;
    }

    /**
     * Fail every read waiting.
     *
     * @param error to fail them with.
     */
    void failAll(final MetaStoreException error)
    {
        for (final PendingRequest request : pendingByCorrelationId.values())
        {
            request.completeExceptionally(error);
        }
        pendingByCorrelationId.clear();
        batch.clear();
        batchLength = 0;
        hasUnsent = false;
    }

    /**
     * Encode the reads waiting to be sent into the batch, while it has room; a read too large for a message alone
     * fails. Those that do not fit wait for the next cycle.
     */
    private void batchUnsent()
    {
        final long minRevision = seenRevision.get();
        final Long2ObjectHashMap<PendingRequest>.ValueIterator iterator = pendingByCorrelationId.values().iterator();
        while (iterator.hasNext())
        {
            final ReadPortRequest read = (ReadPortRequest)iterator.next();
            if (read.isSent || read.isBatched || read.isDone())
            {
                continue;
            }

            final int length = read.length();
            if (length > maxMessageLength)
            {
                iterator.remove();
                read.completeExceptionally(new MetaStoreException(null, "serializable read of " + length +
                    " bytes exceeds the largest message of the read session, " + maxMessageLength +
                    "; request was not sent"));
                continue;
            }
            if (!batch.isEmpty() && (batch.size() >= maxBatchRequests || batchLength + length > batchBytesLimit))
            {
                return;
            }

            read.encode(encoder, batchBuffer, batchLength, clientId, minRevision);
            addToBatch(read, length);
        }
        hasUnsent = false;
    }

    private void addToBatch(final ReadPortRequest read, final int length)
    {
        read.isBatched = true;
        batch.add(read);
        batchLength += length;
    }
}
