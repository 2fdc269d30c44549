package io.metastore.client;

import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.logbuffer.Header;
import io.metastore.protocol.Protocol;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client's I/O agent, the only thread that touches the {@link AeronCluster}.
 * <p>
 * Callers submit through the {@link RequestRing}: each ring record carries a request's bytes and names the slot
 * holding its {@link PendingRequest}, so reading a record yields its request at once. Each duty cycle drains the ring
 * into one ingress message, as many requests as have piled up (bounded by count and bytes), so a lone request goes
 * out at once and a batch grows only while the publication is busy; no timer is involved. A request read enters
 * {@code pendingByCorrelationId}, where its response finds it. The cycle then polls egress, where the responses to one
 * ingress message arrive together, and completes the futures.
 * <p>
 * A new leader or a lost session fails every request already sent with a retryable {@link LeaderChangedException}:
 * its response will not come. Requests not yet sent wait, in the batch kept for the next offer or in the ring, and go
 * to the new leader.
 * <p>
 * A session is also deemed lost when a sent request times out after egress has been silent for the session silence
 * timeout. A member that restarts at once forgets its sessions without a word and drops their ingress (it carries the
 * old leadership term), yet Aeron's ingress publication connects to the new driver and the old egress image lives on
 * for the driver's image liveness timeout, after which Aeron waits a new leader timeout for a new leader event that
 * never comes: some 16 s in all, where this takes the silence timeout and a connect.
 * <p>
 * A request that times out, or whose future is completed by its caller, before it is sent is failed as not sent and
 * is then never sent: taken out of the kept batch at once, or skipped when read from the ring, as is any request
 * read past its deadline. A request may wait unread in the ring a long time (a batch kept through an election, no
 * session), so while the ring holds records the timeout check also looks through the slots of the requests not yet
 * read, a bounded stride per check, and fails as not sent those past their deadline. Every request offered is marked
 * sent and fails, if it must, as of unknown outcome.
 * <p>
 * Nothing is allocated per request or per duty cycle here but the ingress batch's growth and the failures.
 * <p>
 * Each duty cycle also drives the client's {@link ReadSession}, which serves its watches and serializable reads off
 * the log, at a member's read port, and is closed, ending every watch, when the agent closes.
 * <p>
 * <b>Serializable reads</b> ({@link SerializableRange}) take the same ring; reading one, the conductor hands it to
 * {@link SerializableReads}, which batches it for the read session's publication rather than ingress. The ring is
 * read while ingress is blocked (no session, or a batch kept for the next offer) so that the reads go on, up to the
 * first ingress request, which waits in the ring until ingress is free; a request found done there is passed over.
 * A new leader or a lost session fails no read: the read session is another member's, maybe, and moves on its own.
 */
final class ClientConductor implements Agent, EgressListener, ControlledMessageHandler
{
    private static final long TIMEOUT_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Slots of requests not yet read looked at per timeout check, round robin.
     */
    private static final int UNREAD_SLOTS_PER_CHECK = 4096;

    private final RequestRing requests;
    private final SerializableReads reads;
    private final Long2ObjectHashMap<PendingRequest> pendingByCorrelationId = new Long2ObjectHashMap<>();
    private final ExpandableDirectByteBuffer batchBuffer = new ExpandableDirectByteBuffer(64 * 1024);
    private final LongArrayList batchCorrelationIds = new LongArrayList();
    private final IntArrayList batchRequestLengths = new IntArrayList();
    private final ResponseDecoder responseDecoder;
    private Supplier<AeronCluster.AsyncConnect> reconnect;
    private final NanoClock nanoClock;
    private final ErrorHandler errorHandler;
    private final int maxBatchRequests;
    private final int maxBatchBytes;
    private final long sessionSilenceTimeoutNs;
    private ClusterSession session;
    private ReadSession readSession;
    private MemberQueries memberQueries;
    private AeronCluster.AsyncConnect asyncConnect;
    private int batchLength;
    private boolean isIngressBlocked;
    private long nowNs;
    private long nextTimeoutCheckNs;
    private int nextUnreadSlotToCheck;
    private long timeOfLastEgressNs;
    private boolean isEgressReceived;
    private volatile int leaderMemberId;
    private volatile Thread conductorThread;

    /**
     * @param requests                from the callers.
     * @param reads                   takes the serializable reads read from the ring.
     * @param maxBatchRequests        most requests coalesced into one ingress message.
     * @param maxBatchBytes           most bytes coalesced into one ingress message.
     * @param sessionSilenceTimeoutNs egress silence after which a sent request timing out drops the session.
     * @param nanoClock               of the deadlines.
     * @param errorHandler            for errors no request can be told of.
     */
    ClientConductor(
        final RequestRing requests,
        final SerializableReads reads,
        final int maxBatchRequests,
        final int maxBatchBytes,
        final long sessionSilenceTimeoutNs,
        final NanoClock nanoClock,
        final ErrorHandler errorHandler)
    {
        this.requests = requests;
        this.reads = reads;
        this.maxBatchRequests = maxBatchRequests;
        this.maxBatchBytes = maxBatchBytes;
        this.sessionSilenceTimeoutNs = sessionSilenceTimeoutNs;
        this.nanoClock = nanoClock;
        this.errorHandler = errorHandler;
        this.responseDecoder = new ResponseDecoder(pendingByCorrelationId::remove, reads.seenRevision(), errorHandler);
    }

    /**
     * @param reconnect starts a new connection after the session is lost.
     */
    void reconnect(final Supplier<AeronCluster.AsyncConnect> reconnect)
    {
        this.reconnect = reconnect;
    }

    /**
     * @param readSession the client's read session with a member, for watches and serializable reads, driven by this
     *                    agent; before the agent starts.
     */
    void readSession(final ReadSession readSession)
    {
        this.readSession = readSession;
    }

    /**
     * @param memberQueries the client's questions about members, driven by this conductor's thread.
     */
    void memberQueries(final MemberQueries memberQueries)
    {
        this.memberQueries = memberQueries;
    }

    /**
     * @return the client's questions about members.
     */
    MemberQueries memberQueries()
    {
        return memberQueries;
    }

    /**
     * @param session connected with this conductor as its egress listener, before the agent starts.
     */
    void connected(final ClusterSession session)
    {
        this.session = session;
        this.leaderMemberId = session.leaderMemberId();
        this.timeOfLastEgressNs = nanoClock.nanoTime();
    }

    @Override
    public String roleName()
    {
        return "metastore-client";
    }

    @Override
    public void onStart()
    {
        conductorThread = Thread.currentThread();
    }

    /**
     * A wait on this thread for a request would never end: only this thread completes requests, enforces their
     * timeouts and sends the requests of every other caller. Callbacks of the futures run here, so a blocking call in
     * one is refused at once, before anything is sent, as Aeron refuses a reentrant call from a callback.
     *
     * @throws MetaStoreException if called on the conductor's thread.
     */
    void checkMayBlock()
    {
        if (Thread.currentThread() == conductorThread)
        {
            throw new MetaStoreException(null,
                "blocking call on the client's I/O thread, in a callback of a request's future, would wait for a " +
                "response only this thread can deliver (a blocking form refused sends nothing); use the *Async " +
                "form and chain on it, or move the work off the I/O thread with an *Async stage and an executor");
        }
    }

    @Override
    public int doWork()
    {
        nowNs = nanoClock.nanoTime();
        isIngressBlocked = null == session || batchLength > 0;
        int workCount = requests.read(this, maxBatchRequests);
        if (null != session)
        {
            workCount += sendBatch();
            workCount += session.pollEgress();
            if (session.isClosed())
            {
                onSessionLost("session to the cluster lost");
            }
        }
        else
        {
            workCount += pollReconnect();
        }

        if (isEgressReceived)
        {
            isEgressReceived = false;
            timeOfLastEgressNs = nowNs;
        }

        if (nowNs - nextTimeoutCheckNs >= 0)
        {
            nextTimeoutCheckNs = nowNs + TIMEOUT_CHECK_INTERVAL_NS;
            workCount += expireTimedOut(nowNs);
        }

        if (null != readSession)
        {
            workCount += readSession.doWork(nowNs);
        }
        if (null != memberQueries)
        {
            workCount += memberQueries.doWork(nowNs);
        }

        return workCount;
    }

    @Override
    public void onClose()
    {
        requests.close();
        final MetaStoreException closed = new MetaStoreException(null, "client closed");
        failAll(closed);
        reads.failAll(closed);
        CloseHelper.quietCloseAll(memberQueries, readSession, asyncConnect, session);
    }

    @Override
    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        isEgressReceived = true;
        responseDecoder.onMessage(buffer, offset, length);
    }

    @Override
    public void onSessionEvent(
        final long correlationId,
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final EventCode code,
        final String detail)
    {
        isEgressReceived = true;
        if (EventCode.ERROR == code || EventCode.AUTHENTICATION_REJECTED == code)
        {
            errorHandler.onError(new MetaStoreException(null, "session event " + code + ": " + detail));
        }
    }

    @Override
    public void onNewLeader(
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final String ingressEndpoints)
    {
        isEgressReceived = true;
        this.leaderMemberId = leaderMemberId;
        failSent(new LeaderChangedException(
            "new leader " + leaderMemberId + " in term " + leadershipTermId + "; request may or may not be applied"));
    }

    /**
     * Take a request read from the ring out of its slot and copy it into the ingress batch while it fits, or hand a
     * serializable read to {@link SerializableReads}; a request done (failed as not sent, or completed by its caller)
     * is skipped, one past its deadline failed as not sent. An ingress request stays in the ring while ingress is
     * blocked, and a request while its batch is full.
     * <p>
     * {@inheritDoc}
     */
    @Override
    public ControlledMessageHandler.Action onMessage(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final PendingRequest unread = requests.unread(msgTypeId - 1);
        if (null != unread && !unread.isDone() &&
            (unread instanceof SerializableRange ? !reads.hasRoomFor(length) : !hasIngressRoomFor(length)))
        {
            return ControlledMessageHandler.Action.ABORT;
        }

        final long correlationId = buffer.getLong(index + Protocol.CORRELATION_ID_OFFSET);
        final PendingRequest request = requests.take(msgTypeId);
        if (null == request || request.correlationId != correlationId)
        {
            errorHandler.onError(new MetaStoreException(null, "request ring record of correlationId=" +
                correlationId + " names slot " + (msgTypeId - 1) + " holding " +
                (null == request ? "no request" : "correlationId=" + request.correlationId) + "; record skipped"));
            return ControlledMessageHandler.Action.CONTINUE;
        }

        if (request.isDone())
        {
            return ControlledMessageHandler.Action.CONTINUE;
        }

        if (nowNs - request.deadlineNs >= 0)
        {
            request.completeExceptionally(timedOut(request));
            return ControlledMessageHandler.Action.CONTINUE;
        }

        if (request instanceof SerializableRange read)
        {
            reads.onRequest(read, buffer, index, length);
            return ControlledMessageHandler.Action.CONTINUE;
        }

        pendingByCorrelationId.put(correlationId, request);
        batchBuffer.putBytes(batchLength, buffer, index, length);
        batchLength += length;
        batchCorrelationIds.addLong(correlationId);
        batchRequestLengths.addInt(length);

        return ControlledMessageHandler.Action.CONTINUE;
    }

    int leaderMemberId()
    {
        return leaderMemberId;
    }

    /**
     * @return the {@code host:port} of the leader's ingress the session sends to, or null if there is no session or
     * it is by IPC. Called on the I/O thread.
     */
    String leaderIngressEndpoint()
    {
        return null == session ? null : session.leaderIngressEndpoint();
    }

    private boolean hasIngressRoomFor(final int length)
    {
        return !isIngressBlocked && (0 == batchLength ||
            (batchLength + length <= maxBatchBytes && batchCorrelationIds.size() < maxBatchRequests));
    }

    private int sendBatch()
    {
        if (0 == batchLength)
        {
            return 0;
        }

        final long result = session.offer(batchBuffer, 0, batchLength);
        if (result > 0)
        {
            // Every request in the batch is pending: expireTimedOut takes out of the batch any it forgets.
            for (int i = 0, size = batchCorrelationIds.size(); i < size; i++)
            {
                final PendingRequest request = pendingByCorrelationId.get(batchCorrelationIds.getLong(i));
                if (null != request)
                {
                    request.isSent = true;
                }
            }
            clearBatch();
            return 1;
        }

        if (Publication.MAX_POSITION_EXCEEDED == result)
        {
            errorHandler.onError(new MetaStoreException(null, "ingress max position exceeded"));
        }

        // Back pressured, an admin action, or not connected while a new leader is awaited: keep the batch.
        return 0;
    }

    private void onSessionLost(final String reason)
    {
        CloseHelper.quietClose(session);
        session = null;
        failSent(new LeaderChangedException(reason + "; request may or may not be applied"));
        asyncConnect = reconnect.get();
    }

    private int pollReconnect()
    {
        try
        {
            final AeronCluster connected = asyncConnect.poll();
            if (null != connected)
            {
                session = ClusterSession.of(connected);
                asyncConnect = null;
                isEgressReceived = false;
                timeOfLastEgressNs = nanoClock.nanoTime();
                leaderMemberId = connected.leaderMemberId();
                return 1;
            }
        }
        catch (final RuntimeException ex)
        {
            // A failed attempt (no leader yet, timeout): try again until the requests waiting time out.
            CloseHelper.quietClose(asyncConnect);
            asyncConnect = reconnect.get();
        }

        return 0;
    }

    /**
     * Fail requests past their deadline and forget those whose future is done. A request not sent is failed as not
     * applied and never sent after: one in the kept batch is taken out of it here, one still in the ring is skipped
     * when read (see {@link #onMessage(int, MutableDirectBuffer, int, int)}), and one waiting in the ring is failed
     * at its deadline by {@link #expireUnread(long)}. A sent request timing out after the
     * session silence timeout without egress drops the session.
     */
    private int expireTimedOut(final long nowNs)
    {
        int expired = 0;
        int sentExpired = 0;
        int unsentForgotten = 0;
        final Long2ObjectHashMap<PendingRequest>.ValueIterator iterator = pendingByCorrelationId.values().iterator();
        while (iterator.hasNext())
        {
            final PendingRequest request = iterator.next();
            final boolean isDone = request.isDone();
            if (!isDone && nowNs - request.deadlineNs < 0)
            {
                continue;
            }

            iterator.remove();
            if (!request.isSent)
            {
                unsentForgotten++;
            }

            if (!isDone)
            {
                request.completeExceptionally(timedOut(request));
                expired++;
                sentExpired += request.isSent ? 1 : 0;
            }
        }

        if (unsentForgotten > 0 && batchLength > 0)
        {
            removeForgottenFromBatch();
        }

        expired += expireUnread(nowNs);
        expired += reads.expire(nowNs);

        if (sentExpired > 0 && null != session && nowNs - timeOfLastEgressNs >= sessionSilenceTimeoutNs)
        {
            final long silenceMs = TimeUnit.NANOSECONDS.toMillis(nowNs - timeOfLastEgressNs);
            onSessionLost("no egress from the cluster for " + silenceMs +
                " ms while sent requests time out (a member that restarts forgets its sessions)");
        }

        return expired;
    }

    /**
     * Fail as not sent the requests past their deadline that wait in the ring unread, looking at a bounded stride of
     * slots per check while the ring holds records: with the default table a full sweep takes 16 checks, so such a
     * request fails at most some 16 ms late, and a check costs a few thousand reads at most.
     */
    private int expireUnread(final long nowNs)
    {
        if (!requests.hasUnread())
        {
            return 0;
        }

        final int slotCount = requests.slotCount();
        int slot = nextUnreadSlotToCheck;
        int expired = 0;
        for (int i = 0, checks = Math.min(slotCount, UNREAD_SLOTS_PER_CHECK); i < checks; i++)
        {
            final PendingRequest request = requests.unread(slot);
            if (null != request && nowNs - request.deadlineNs >= 0 && !request.isDone())
            {
                request.completeExceptionally(timedOut(request));
                expired++;
            }
            slot = (slot + 1) & (slotCount - 1);
        }
        nextUnreadSlotToCheck = slot;

        return expired;
    }

    private static MetaStoreTimeoutException timedOut(final PendingRequest request)
    {
        final String outcome = request.isSent ?
            "request was sent and may or may not be applied" :
            "request was not sent and never will be, so it is not applied";

        return new MetaStoreTimeoutException(
            "no response within the request timeout, correlationId=" + request.correlationId + "; " + outcome);
    }

    /**
     * Rebuild the kept batch in place without the requests no longer pending.
     */
    private void removeForgottenFromBatch()
    {
        int readOffset = 0;
        int writeOffset = 0;
        int keptCount = 0;
        for (int i = 0, size = batchCorrelationIds.size(); i < size; i++)
        {
            final long correlationId = batchCorrelationIds.getLong(i);
            final int length = batchRequestLengths.getInt(i);
            if (pendingByCorrelationId.containsKey(correlationId))
            {
                if (writeOffset != readOffset)
                {
                    batchBuffer.putBytes(writeOffset, batchBuffer, readOffset, length);
                }
                batchCorrelationIds.setLong(keptCount, correlationId);
                batchRequestLengths.setInt(keptCount, length);
                keptCount++;
                writeOffset += length;
            }
            readOffset += length;
        }

        for (int i = batchCorrelationIds.size() - 1; i >= keptCount; i--)
        {
            batchCorrelationIds.removeAt(i);
            batchRequestLengths.removeAt(i);
        }
        batchLength = writeOffset;
    }

    private void clearBatch()
    {
        batchCorrelationIds.clear();
        batchRequestLengths.clear();
        batchLength = 0;
    }

    private void failSent(final MetaStoreException error)
    {
        final Long2ObjectHashMap<PendingRequest>.ValueIterator iterator = pendingByCorrelationId.values().iterator();
        while (iterator.hasNext())
        {
            final PendingRequest request = iterator.next();
            if (request.isSent)
            {
                iterator.remove();
                request.completeExceptionally(error);
            }
        }
    }

    private void failAll(final MetaStoreException error)
    {
        for (final PendingRequest request : pendingByCorrelationId.values())
        {
            request.completeExceptionally(error);
        }
        pendingByCorrelationId.clear();

        for (int slot = 0, slotCount = requests.slotCount(); slot < slotCount; slot++)
        {
            final PendingRequest request = requests.unread(slot);
            if (null != request)
            {
                request.completeExceptionally(error);
            }
        }
    }
}
