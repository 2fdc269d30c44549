package io.metastore.client;

import io.aeron.Publication;
import io.aeron.cluster.codecs.EventCode;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The I/O thread's side of a request's life, with a test clock and a stub session: what is offered, in which batch,
 * and how each request fails when it must. Requests are submitted through the client's one path, {@link RequestRing}.
 */
class ClientConductorTest
{
    private static final long SHORT_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LONG_TIMEOUT_NS = TimeUnit.HOURS.toNanos(1);
    private static final long SESSION_SILENCE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int SLOTS = 16;
    private static final long CLIENT_ID = 7;

    private final CachedNanoClock nanoClock = new CachedNanoClock();
    private final RequestRing requests = new RequestRing(16 * 1024 * 1024, SLOTS, nanoClock);
    private final StagedRequest staged = new StagedRequest();
    private final StubSession session = new StubSession();
    private final List<Throwable> errors = new ArrayList<>();
    private final SerializableReads reads =
        new SerializableReads(CLIENT_ID, Long.MAX_VALUE, 16, 64 * 1024, new SeenRevision(), errors::add);
    private final ClientConductor conductor = new ClientConductor(
        requests,
        reads,
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
    void shouldNeverOfferRequestWrittenAfterItsDeadline()
    {
        // Its caller was descheduled between taking the time and writing the request.
        connect(1);
        final PendingRequest late = submit(1, -1);
        final PendingRequest later = submit(2, LONG_TIMEOUT_NS);
        conductor.doWork();
        conductor.doWork();

        assertNotSent(late);
        assertEquals(List.of(2L), session.offeredCorrelationIds);
        assertFalse(later.isDone());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldNeverOfferRequestWhoseCallerCompletedItWhileItWaitedInTheRing()
    {
        connect(Publication.BACK_PRESSURED);
        submit(1, LONG_TIMEOUT_NS);
        conductor.doWork();
        final PendingRequest cancelled = submit(2, LONG_TIMEOUT_NS);
        final PendingRequest kept = submit(3, LONG_TIMEOUT_NS);
        conductor.doWork();
        assertTrue(cancelled.cancel(false));

        session.offerResult = 1;
        conductor.doWork();
        conductor.doWork();
        conductor.doWork();

        assertEquals(List.of(1L, 3L), session.offeredCorrelationIds);
        assertFalse(kept.isDone());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldFailOnlyTheRequestThatCannotBeEncodedAndSendTheNext()
    {
        // A group holds at most 65,534 entries: the encoder refuses one more, after the ring space is claimed.
        connect(1);
        final Compare[] compares = new Compare[Protocol.MAX_GROUP_ENTRIES + 1];
        Arrays.fill(compares, Compare.version("k", CompareResult.EQUAL, 0));
        final PendingRequest unencodable = newRequest(1, LONG_TIMEOUT_NS);
        final MetaStoreException failure =
            requests.offer(unencodable, staged.txn(Txn.txn().when(compares)), CLIENT_ID);

        assertNotNull(failure);
        assertTrue(failure.getMessage().startsWith("cannot encode request, correlationId=1"), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("request was not sent"), failure.getMessage());

        final PendingRequest next = submit(2, LONG_TIMEOUT_NS);
        conductor.doWork();
        assertEquals(List.of(2L), session.offeredCorrelationIds, "the aborted claim does not hold up the ring");
        conductor.onNewLeader(0, 1, 1, "");
        assertLeaderChanged(next);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldFailRequestAsNotSentWhileItsSlotHoldsARequestNotYetRead()
    {
        // Slots are taken by correlation id modulo their count: request 1 + SLOTS waits for request 1 to be read.
        connect(Publication.BACK_PRESSURED);
        submit(1, LONG_TIMEOUT_NS);
        final PendingRequest waiting = newRequest(1 + SLOTS, -1);
        final MetaStoreException failure = requests.offer(waiting, staged.leaseRevoke(42), CLIENT_ID);

        assertInstanceOf(MetaStoreTimeoutException.class, failure);
        assertTrue(failure.getMessage().contains("request was not sent"), failure.getMessage());

        conductor.doWork();
        assertNull(requests.offer(newRequest(2 + SLOTS, LONG_TIMEOUT_NS), staged.leaseRevoke(42), CLIENT_ID),
            "a slot is free again once its request is read");
    }

    @Test
    void shouldFailEveryRequestOnClose()
    {
        connect(Publication.BACK_PRESSURED);
        final PendingRequest inBatch = submit(1, LONG_TIMEOUT_NS);
        conductor.doWork();
        final PendingRequest inRing = submit(2, LONG_TIMEOUT_NS);

        conductor.onClose();

        for (final PendingRequest request : List.of(inBatch, inRing))
        {
            final CompletionException ex = assertThrows(CompletionException.class, request::join);
            assertEquals("client closed", ex.getCause().getMessage());
        }
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

        final CompletionException ex = assertThrows(CompletionException.class, request::join);
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

        final CompletionException ex = assertThrows(CompletionException.class, request::join);
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

        assertFalse(request.isDone());
        assertFalse(session.isClosed);
        assertEquals(0, reconnects);
    }

    @Test
    void shouldHandSerializableReadsToTheReadSessionAndTheOtherRequestsToIngress()
    {
        connect(1);
        final PendingRequest revoke = submit(1, LONG_TIMEOUT_NS);
        final SerializableRange read = submitRead(2, LONG_TIMEOUT_NS);
        conductor.doWork();

        assertEquals(List.of(1L), session.offeredCorrelationIds);
        assertEquals(1, reads.pendingCount());
        assertTrue(reads.isSessionWanted(), "the first read opens the read session");

        conductor.onNewLeader(0, 1, 1, "");
        assertLeaderChanged(revoke);
        assertFalse(read.isDone(), "a new leader fails no serializable read");
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldTakeSerializableReadsFromTheRingWhileIngressIsBlockedUpToItsFirstRequest()
    {
        connect(Publication.BACK_PRESSURED);
        submit(1, LONG_TIMEOUT_NS);
        conductor.doWork();
        submitRead(2, LONG_TIMEOUT_NS);
        conductor.doWork();
        assertEquals(1, reads.pendingCount(), "a read goes on while ingress keeps its batch");

        submit(3, LONG_TIMEOUT_NS);
        submitRead(4, LONG_TIMEOUT_NS);
        conductor.doWork();
        assertEquals(1, reads.pendingCount(), "read 4 waits behind ingress request 3");

        session.offerResult = 1;
        conductor.doWork();
        conductor.doWork();
        assertEquals(List.of(1L, 3L), session.offeredCorrelationIds);
        assertEquals(2, reads.pendingCount());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldPassOverARequestFailedAsNotSentAtTheHeadOfBlockedIngress()
    {
        connect(Publication.BACK_PRESSURED);
        submit(1, LONG_TIMEOUT_NS);
        conductor.doWork();
        final PendingRequest expiring = submit(2, SHORT_TIMEOUT_NS);
        submitRead(3, LONG_TIMEOUT_NS);
        conductor.doWork();
        assertEquals(0, reads.pendingCount());

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();
        assertNotSent(expiring);
        conductor.doWork();

        assertEquals(1, reads.pendingCount(), "the read behind it is taken");
    }

    @Test
    void shouldFailSerializableReadWaitingForAReadSessionAtItsDeadlineKeepingTheClusterSession()
    {
        connect(1);
        nanoClock.advance(SESSION_SILENCE_TIMEOUT_NS);
        final SerializableRange read = submitRead(1, SHORT_TIMEOUT_NS);
        conductor.doWork();

        nanoClock.advance(2 * SHORT_TIMEOUT_NS);
        conductor.doWork();

        final CompletionException ex = assertThrows(CompletionException.class, read::join);
        assertInstanceOf(MetaStoreTimeoutException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("waiting for a read session"), ex.getCause().getMessage());
        assertFalse(session.isClosed, "egress silence says nothing of a read");
        assertEquals(0, reads.pendingCount());
    }

    @Test
    void shouldFailSerializableReadsOnClose()
    {
        connect(1);
        final SerializableRange taken = submitRead(1, LONG_TIMEOUT_NS);
        conductor.doWork();
        final SerializableRange inRing = submitRead(2, LONG_TIMEOUT_NS);

        conductor.onClose();

        for (final PendingRequest request : List.of(taken, inRing))
        {
            final CompletionException ex = assertThrows(CompletionException.class, request::join);
            assertEquals("client closed", ex.getCause().getMessage());
        }
    }

    private void connect(final long offerResult)
    {
        session.offerResult = offerResult;
        conductor.connected(session);
    }

    /**
     * As a caller of {@link MetaStoreClient} does: stage the request and offer it to the ring.
     */
    private PendingRequest submit(final long correlationId, final long timeoutNs)
    {
        final PendingRequest request = newRequest(correlationId, timeoutNs);
        assertNull(requests.offer(request, staged.leaseRevoke(42), CLIENT_ID));
        staged.clear();

        return request;
    }

    /**
     * As {@link MetaStoreClient#rangeAsync(byte[], RangeOptions)} does for a serializable read.
     */
    private SerializableRange submitRead(final long correlationId, final long timeoutNs)
    {
        final RangeOptions options = new RangeOptions().serializable(true);
        final byte[] key = bytes("k");
        final SerializableRange read = new SerializableRange(
            conductor, LONG_TIMEOUT_NS, correlationId, nanoClock.nanoTime() + timeoutNs, key, new byte[0], options);
        assertNull(requests.offer(read, staged.range(key, new byte[0], options), CLIENT_ID));
        staged.clear();

        return read;
    }

    private PendingRequest newRequest(final long correlationId, final long timeoutNs)
    {
        return new PendingRequest(conductor, LONG_TIMEOUT_NS, correlationId, LeaseRevokeResponseDecoder.TEMPLATE_ID,
            nanoClock.nanoTime() + timeoutNs);
    }

    private static void assertNotSent(final PendingRequest request)
    {
        final CompletionException ex = assertThrows(CompletionException.class, request::join);
        assertInstanceOf(MetaStoreTimeoutException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("not sent"), ex.getCause().getMessage());
    }

    private static void assertLeaderChanged(final PendingRequest request)
    {
        final CompletionException ex = assertThrows(CompletionException.class, request::join);
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
