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
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client's I/O agent, the only thread that touches the {@link AeronCluster}.
 * <p>
 * Callers register a {@link PendingRequest} and write the encoded request into a many-to-one ring. Each duty cycle
 * drains the ring into one ingress message, as many requests as have piled up (bounded by count and bytes), so a
 * lone request goes out at once and a batch grows only while the publication is busy; no timer is involved. It
 * then polls egress, where the responses to one ingress message arrive together, and completes the futures.
 * <p>
 * A new leader or a lost session fails every request already sent with a retryable {@link LeaderChangedException}:
 * its response will not come. Requests not yet sent go to the new leader.
 */
final class ClientConductor implements Agent, EgressListener, ControlledMessageHandler
{
    private static final long TIMEOUT_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ManyToOneConcurrentArrayQueue<PendingRequest> newRequests;
    private final ManyToOneRingBuffer requestRing;
    private final Long2ObjectHashMap<PendingRequest> pendingByCorrelationId = new Long2ObjectHashMap<>();
    private final ExpandableDirectByteBuffer batchBuffer = new ExpandableDirectByteBuffer(64 * 1024);
    private final LongArrayList batchCorrelationIds = new LongArrayList();
    private final ResponseDecoder responseDecoder;
    private Supplier<AeronCluster.AsyncConnect> reconnect;
    private final NanoClock nanoClock;
    private final ErrorHandler errorHandler;
    private final int maxBatchRequests;
    private final int maxBatchBytes;
    private ClusterSession session;
    private AeronCluster.AsyncConnect asyncConnect;
    private int batchLength;
    private long nextTimeoutCheckNs;
    private volatile int leaderMemberId;

    ClientConductor(
        final ManyToOneConcurrentArrayQueue<PendingRequest> newRequests,
        final ManyToOneRingBuffer requestRing,
        final int maxBatchRequests,
        final int maxBatchBytes,
        final NanoClock nanoClock,
        final ErrorHandler errorHandler)
    {
        this.newRequests = newRequests;
        this.requestRing = requestRing;
        this.maxBatchRequests = maxBatchRequests;
        this.maxBatchBytes = maxBatchBytes;
        this.nanoClock = nanoClock;
        this.errorHandler = errorHandler;
        this.responseDecoder = new ResponseDecoder(this::removePending, errorHandler);
    }

    /**
     * @param reconnect starts a new connection after the session is lost.
     */
    void reconnect(final Supplier<AeronCluster.AsyncConnect> reconnect)
    {
        this.reconnect = reconnect;
    }

    /**
     * @param session connected with this conductor as its egress listener, before the agent starts.
     */
    void connected(final ClusterSession session)
    {
        this.session = session;
        this.leaderMemberId = session.leaderMemberId();
    }

    /**
     * {@inheritDoc}
     */
    public String roleName()
    {
        return "metastore-client";
    }

    /**
     * {@inheritDoc}
     */
    public int doWork()
    {
        int workCount = drainNewRequests();

        if (null != session)
        {
            workCount += sendBatch();
            workCount += session.pollEgress();
            if (session.isClosed())
            {
                onSessionLost();
            }
        }
        else
        {
            workCount += pollReconnect();
        }

        final long nowNs = nanoClock.nanoTime();
        if (nowNs - nextTimeoutCheckNs >= 0)
        {
            nextTimeoutCheckNs = nowNs + TIMEOUT_CHECK_INTERVAL_NS;
            workCount += expireTimedOut(nowNs);
        }

        return workCount;
    }

    /**
     * {@inheritDoc}
     */
    public void onClose()
    {
        failAll(new MetaStoreException(null, "client closed"));
        CloseHelper.quietCloseAll(asyncConnect, session);
    }

    /**
     * {@inheritDoc}
     */
    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        responseDecoder.onMessage(buffer, offset, length);
    }

    /**
     * {@inheritDoc}
     */
    public void onSessionEvent(
        final long correlationId,
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final EventCode code,
        final String detail)
    {
        if (EventCode.ERROR == code || EventCode.AUTHENTICATION_REJECTED == code)
        {
            errorHandler.onError(new MetaStoreException(null, "session event " + code + ": " + detail));
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onNewLeader(
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final String ingressEndpoints)
    {
        this.leaderMemberId = leaderMemberId;
        failSent(new LeaderChangedException(
            "new leader " + leaderMemberId + " in term " + leadershipTermId + "; request may or may not be applied"));
    }

    /**
     * Copy requests from the ring into the ingress batch while they fit.
     * <p>
     * {@inheritDoc}
     */
    public ControlledMessageHandler.Action onMessage(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (batchLength > 0 &&
            (batchLength + length > maxBatchBytes || batchCorrelationIds.size() >= maxBatchRequests))
        {
            return ControlledMessageHandler.Action.ABORT;
        }

        batchBuffer.putBytes(batchLength, buffer, index, length);
        batchLength += length;
        batchCorrelationIds.addLong(buffer.getLong(index + Protocol.CORRELATION_ID_OFFSET));

        return ControlledMessageHandler.Action.CONTINUE;
    }

    int leaderMemberId()
    {
        return leaderMemberId;
    }

    /**
     * A response whose request is not registered yet is impossible once {@link #sendBatch()} drains the registrations
     * of what it read; draining on a miss keeps any response from being ignored should that order ever change.
     */
    private PendingRequest removePending(final long correlationId)
    {
        PendingRequest request = pendingByCorrelationId.remove(correlationId);
        if (null == request)
        {
            drainNewRequests();
            request = pendingByCorrelationId.remove(correlationId);
        }

        return request;
    }

    private int drainNewRequests()
    {
        return newRequests.drain(request -> pendingByCorrelationId.put(request.correlationId, request));
    }

    private int sendBatch()
    {
        if (0 == batchLength)
        {
            requestRing.controlledRead(this, maxBatchRequests);
            if (0 == batchLength)
            {
                return 0;
            }
            // Callers register before they write to the ring, so every request just read is registered by now:
            // drained here, each is marked sent below and failed, not timed out as unsent, if its leader goes.
            drainNewRequests();
        }

        final long result = session.offer(batchBuffer, 0, batchLength);
        if (result > 0)
        {
            for (int i = 0, size = batchCorrelationIds.size(); i < size; i++)
            {
                final PendingRequest request = pendingByCorrelationId.get(batchCorrelationIds.getLong(i));
                if (null != request)
                {
                    request.isSent = true;
                }
            }
            batchCorrelationIds.clear();
            batchLength = 0;
            return 1;
        }

        if (Publication.MAX_POSITION_EXCEEDED == result)
        {
            errorHandler.onError(new MetaStoreException(null, "ingress max position exceeded"));
        }

        // Back pressured, an admin action, or not connected while a new leader is awaited: keep the batch.
        return 0;
    }

    private void onSessionLost()
    {
        CloseHelper.quietClose(session);
        session = null;
        failSent(new LeaderChangedException("session to the cluster lost; request may or may not be applied"));
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

    private int expireTimedOut(final long nowNs)
    {
        int expired = 0;
        final Long2ObjectHashMap<PendingRequest>.ValueIterator iterator = pendingByCorrelationId.values().iterator();
        while (iterator.hasNext())
        {
            final PendingRequest request = iterator.next();
            if (request.future.isDone())
            {
                iterator.remove();
            }
            else if (nowNs - request.deadlineNs >= 0)
            {
                iterator.remove();
                request.future.completeExceptionally(new MetaStoreTimeoutException(
                    "no response within the request timeout, correlationId=" + request.correlationId +
                    (request.isSent ? "; request may or may not be applied" : "; request was not sent")));
                expired++;
            }
        }

        return expired;
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
                request.future.completeExceptionally(error);
            }
        }
    }

    private void failAll(final MetaStoreException error)
    {
        drainNewRequests();
        for (final PendingRequest request : pendingByCorrelationId.values())
        {
            request.future.completeExceptionally(error);
        }
        pendingByCorrelationId.clear();
    }
}
