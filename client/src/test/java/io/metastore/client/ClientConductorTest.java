package io.metastore.client;

import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.codecs.LeaseRevokeResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientConductorTest
{
    private final ManyToOneConcurrentArrayQueue<PendingRequest> newRequests = new ManyToOneConcurrentArrayQueue<>(16);
    private final List<Throwable> errors = new ArrayList<>();
    private final ClientConductor conductor = new ClientConductor(
        newRequests,
        new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(64 * 1024 + RingBufferDescriptor.TRAILER_LENGTH))),
        16,
        64 * 1024,
        SystemNanoClock.INSTANCE,
        errors::add);

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
}
