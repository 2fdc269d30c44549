package io.metastore.client;

import io.aeron.Publication;
import io.aeron.cluster.codecs.EventCode;
import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.codecs.LeaseRevokeResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientConductorTest
{
    private static final long SHORT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LONG_TIMEOUT_NS = TimeUnit.HOURS.toNanos(1);
    private static final long SESSION_SILENCE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int REQUEST_MSG_TYPE_ID = 1;

    private final ManyToOneConcurrentArrayQueue<PendingRequest> newRequests = new ManyToOneConcurrentArrayQueue<>(16);
    private final ManyToOneRingBuffer requestRing = new ManyToOneRingBuffer(new UnsafeBuffer(
        ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final RequestEncoder requestEncoder = new RequestEncoder();
    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final StubSession session = new StubSession();
    private final List<Throwable> errors = new ArrayList<>();
    private final ClientConductor conductor = new ClientConductor(
        newRequests,
        requestRing,
        16,
        64 * 1024,
        SESSION_SILENCE_TIMEOUT_NS,
        nanoClock,
        errors::add);
    private int reconnects;

    {
        conductor.reconnect(() ->
        {
            reconnects++;
            return null;
        });
    }

    @Test
    void shouldCompleteRequestWhoseResponseArrivesBeforeItsRegistrationIsDrained()
    {
        // Registered by a caller, sent in a batch, answered before the conductor drained the registration queue.
        final CompletableFuture<Object> future = new CompletableFuture<>();
        assertTrue(newRequests.offer(new PendingRequest(5, LeaseRevokeResponseDecoder.TEMPLATE_ID, Long.MAX_VALUE,
            future)));

        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final LeaseRevokeResponseEncoder encoder = new LeaseRevokeResponseEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).header()
            .correlationId(5).clusterId(1).memberId(0).revision(9).leadershipTermId(2);
        conductor.onMessage(0, 0, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), null);

        assertTrue(future.isDone(), "the response completed the request");
        assertEquals(new LeaseRevokeResult(new ResponseHeader(1, 0, 9, 2)), future.join());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldNeverOfferRequestThatTimedOutUnsentInTheKeptBatch()
    {
        connect(Publication.NOT_CONNECTED);
        final PendingRequest expiring = submit(1, SHORT_TIMEOUT_NS);
        submit(2, LONG_TIMEOUT_NS);
        conductor.doWork();
        assertEquals(List.of(), session.offeredCorrelationIds, "the leader is gone: the batch is kept");

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();
        assertNotSent(expiring);

        session.offerResult = 1;
        conductor.doWork();
        conductor.doWork();

        assertFalse(session.offeredCorrelationIds.contains(1L), "offered after it failed as not sent");
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldStillSendTheOtherRequestsOfTheKeptBatch()
    {
        connect(Publication.NOT_CONNECTED);
        final PendingRequest first = submit(1, LONG_TIMEOUT_NS);
        final PendingRequest expiring = submit(2, SHORT_TIMEOUT_NS);
        final PendingRequest last = submit(3, LONG_TIMEOUT_NS);
        conductor.doWork();

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();
        assertNotSent(expiring);

        session.offerResult = 1;
        conductor.doWork();
        assertEquals(List.of(1L, 3L), session.offeredCorrelationIds);

        // Sent, so a new leader fails them as of unknown outcome rather than leaving them to time out as unsent.
        conductor.onNewLeader(0, 1, 1, "");
        assertLeaderChanged(first);
        assertLeaderChanged(last);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldNeverOfferRequestThatTimedOutUnsentInTheRing()
    {
        connect(Publication.BACK_PRESSURED);
        final PendingRequest first = submit(1, LONG_TIMEOUT_NS);
        conductor.doWork();
        final PendingRequest expiring = submit(2, SHORT_TIMEOUT_NS);
        conductor.doWork();

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();
        assertNotSent(expiring);

        session.offerResult = 1;
        final PendingRequest later = submit(3, LONG_TIMEOUT_NS);
        conductor.doWork();
        conductor.doWork();
        conductor.doWork();

        assertEquals(List.of(1L, 3L), session.offeredCorrelationIds);
        conductor.onNewLeader(0, 1, 1, "");
        assertLeaderChanged(first);
        assertLeaderChanged(later);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldNeverOfferRequestThatTimedOutBeforeItsCallerWroteIt()
    {
        connect(1);
        final PendingRequest expiring = register(1, SHORT_TIMEOUT_NS);
        conductor.doWork();
        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();
        assertNotSent(expiring);

        write(expiring);
        final PendingRequest later = submit(2, LONG_TIMEOUT_NS);
        conductor.doWork();
        conductor.doWork();

        assertEquals(List.of(2L), session.offeredCorrelationIds);
        assertFalse(later.future.isDone());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldMarkSentRequestReadFromTheRingBeforeItsRegistrationWasVisible()
    {
        // A caller registers, then writes; the conductor can read the ring before it sees the registration: the
        // queue's drain stops at a slot another caller has claimed but not yet filled.
        connect(1);
        final PendingRequest request = new PendingRequest(
            1, LeaseRevokeResponseDecoder.TEMPLATE_ID, nanoClock.nanoTime() + SHORT_TIMEOUT_NS,
            new CompletableFuture<>());
        write(request);
        conductor.doWork();
        assertTrue(newRequests.offer(request));
        conductor.doWork();
        assertEquals(List.of(1L), session.offeredCorrelationIds);

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();

        final CompletionException ex = assertThrows(CompletionException.class, request.future::join);
        assertInstanceOf(MetaStoreTimeoutException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("may or may not be applied"), ex.getCause().getMessage());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldDropSessionWhenSentRequestTimesOutAfterEgressIsSilentForTheSessionSilenceTimeout()
    {
        // A member restarted at once forgets the session and drops its ingress, while Aeron still deems it connected.
        connect(1);
        nanoClock.advance(SESSION_SILENCE_TIMEOUT_NS);
        final PendingRequest request = submit(1, SHORT_TIMEOUT_NS);
        conductor.doWork();
        assertEquals(List.of(1L), session.offeredCorrelationIds);

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();

        final CompletionException ex = assertThrows(CompletionException.class, request.future::join);
        assertInstanceOf(MetaStoreTimeoutException.class, ex.getCause());
        assertTrue(session.isClosed);
        assertEquals(1, reconnects);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldKeepSessionWhenSentRequestTimesOutWhileEgressStillArrives()
    {
        connect(1);
        nanoClock.advance(SESSION_SILENCE_TIMEOUT_NS);
        conductor.onSessionEvent(0, 0, 0, 0, EventCode.OK, "");
        conductor.doWork();
        final PendingRequest request = submit(1, SHORT_TIMEOUT_NS);
        conductor.doWork();

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();

        final CompletionException ex = assertThrows(CompletionException.class, request.future::join);
        assertInstanceOf(MetaStoreTimeoutException.class, ex.getCause());
        assertFalse(session.isClosed);
        assertEquals(0, reconnects);
    }

    @Test
    void shouldKeepSilentSessionWhileNoSentRequestTimesOut()
    {
        // Egress is silent whenever nothing is asked: silence alone says nothing about the session.
        connect(1);
        final PendingRequest request = submit(1, LONG_TIMEOUT_NS);
        conductor.doWork();

        nanoClock.advance(10 * SESSION_SILENCE_TIMEOUT_NS);
        conductor.doWork();

        assertFalse(request.future.isDone());
        assertFalse(session.isClosed);
        assertEquals(0, reconnects);
    }

    private void connect(final long offerResult)
    {
        session.offerResult = offerResult;
        conductor.connected(session);
    }

    /**
     * As a caller of {@link MetaStoreClient} does: register, then write the request to the ring.
     */
    private PendingRequest submit(final long correlationId, final long timeoutNs)
    {
        final PendingRequest request = register(correlationId, timeoutNs);
        write(request);

        return request;
    }

    private PendingRequest register(final long correlationId, final long timeoutNs)
    {
        final PendingRequest request = new PendingRequest(
            correlationId, LeaseRevokeResponseDecoder.TEMPLATE_ID, nanoClock.nanoTime() + timeoutNs,
            new CompletableFuture<>());
        assertTrue(newRequests.offer(request));

        return request;
    }

    private void write(final PendingRequest request)
    {
        final int index = requestRing.tryClaim(REQUEST_MSG_TYPE_ID, RequestEncoder.LEASE_REVOKE_LENGTH);
        assertTrue(index > 0);
        requestEncoder.encodeLeaseRevoke(requestRing.buffer(), index, request.correlationId, 7, 42);
        if (request.markWritten())
        {
            requestRing.commit(index);
        }
        else
        {
            requestRing.abort(index);
        }
    }

    private static void assertNotSent(final PendingRequest request)
    {
        final CompletionException ex = assertThrows(CompletionException.class, request.future::join);
        assertInstanceOf(MetaStoreTimeoutException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("not sent"), ex.getCause().getMessage());
    }

    private static void assertLeaderChanged(final PendingRequest request)
    {
        final CompletionException ex = assertThrows(CompletionException.class, request.future::join);
        assertInstanceOf(LeaderChangedException.class, ex.getCause());
    }

    /**
     * Refuses or accepts offers as told, and records the correlation id of every request it accepts.
     */
    private static final class StubSession implements ClusterSession
    {
        private final List<Long> offeredCorrelationIds = new ArrayList<>();
        private long offerResult;
        private boolean isClosed;

        public long offer(final DirectBuffer buffer, final int offset, final int length)
        {
            if (offerResult > 0)
            {
                for (int i = offset; i < offset + length; i += RequestEncoder.LEASE_REVOKE_LENGTH)
                {
                    offeredCorrelationIds.add(buffer.getLong(i + Protocol.CORRELATION_ID_OFFSET));
                }
            }

            return offerResult;
        }

        public int pollEgress()
        {
            return 0;
        }

        public boolean isClosed()
        {
            return false;
        }

        public int leaderMemberId()
        {
            return 0;
        }

        public void close()
        {
            isClosed = true;
        }
    }
}
