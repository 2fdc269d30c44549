package io.metastore.client;

import org.agrona.BitUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The one way a request goes from a caller's thread to the client's I/O thread: its registration and its bytes
 * travel together, in one record of a many-to-one ring.
 * <p>
 * A ring record holds bytes, not objects, so the registration, the {@link PendingRequest}, waits in a slot of a
 * fixed table that the record names: the slot is the correlation id modulo the table's size and the record's message
 * type id is the slot plus one. A caller takes the slot (null to the request), claims ring space, encodes, and
 * commits; the I/O thread reads the record and takes the request from its slot, freeing it, in O(1). No second queue,
 * no matching of two streams: a record's request is in its slot from before the record is committed until it is
 * read. A caller finding its slot taken, by a request {@code size} correlation ids older that the I/O thread has not
 * read yet, backs off until it is free; the table so bounds the requests submitted and not yet read.
 * <p>
 * Why not a queue of requests each carrying its bytes: a byte array per request, and the copy out of it, where the
 * ring costs neither; and a queue cannot be searched for a request that times out in it, where the table can.
 * <p>
 * Who frees a slot: the I/O thread when it reads the record naming it; the caller when it writes no record (it timed
 * out waiting for ring space, the client closed, or its request could not be encoded), which it then says in the
 * failure it returns. Nothing else writes a slot, so a slot never holds a request whose record was read.
 * <p>
 * Allocates nothing per request: the back-off idle strategy is made only when a caller has to wait.
 */
final class RequestRing
{
    private final ManyToOneRingBuffer ring;
    private final AtomicReferenceArray<PendingRequest> slots;
    private final int slotMask;
    private final NanoClock nanoClock;
    private volatile boolean isClosed;

    /**
     * @param ringBytes bytes of the ring, a power of two; the largest request is an eighth of it.
     * @param minSlots  most requests submitted and not yet read, rounded up to a power of two.
     * @param nanoClock of the requests' deadlines.
     */
    RequestRing(final int ringBytes, final int minSlots, final NanoClock nanoClock)
    {
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        final int slotCount = BitUtil.findNextPositivePowerOfTwo(minSlots);
        this.slots = new AtomicReferenceArray<>(slotCount);
        this.slotMask = slotCount - 1;
        this.nanoClock = nanoClock;
    }

    /**
     * Take a request's slot and write the request staged into the ring. Called by any caller thread.
     *
     * @param request  to send; its future is not completed here.
     * @param staged   the request's kind, arguments and length.
     * @param clientId to stamp the request with.
     * @return null if the request is in the ring, else the error to fail it with: it was not sent and never will be.
     */
    MetaStoreException offer(final PendingRequest request, final StagedRequest staged, final long clientId)
    {
        final int length = staged.length();
        if (length > ring.maxMsgLength())
        {
            return new MetaStoreException(null, "request of " + length + " bytes exceeds the ring's largest message, " +
                ring.maxMsgLength() + "; request was not sent");
        }

        IdleStrategy idle = null;
        final int slot = slotOf(request.correlationId);
        while (!slots.compareAndSet(slot, null, request))
        {
            if (isClosed || request.isDone() || nanoClock.nanoTime() - request.deadlineNs >= 0)
            {
                return notSent("more than " + slots.length() + " requests waiting to be read by the I/O thread for " +
                    "the whole request timeout", request);
            }
            idle = idle(idle);
        }

        return write(slot, request, staged, clientId, idle);
    }

    /**
     * @param msgTypeId of a record read from the ring.
     * @return the request the record carries, now taken out of its slot. Called by the I/O thread only.
     */
    PendingRequest take(final int msgTypeId)
    {
        final int slot = msgTypeId - 1;
        final PendingRequest request = slots.get(slot);
        slots.lazySet(slot, null);

        return request;
    }

    /**
     * @param slot to look at, from 0 to {@link #slotCount()}.
     * @return the request in the slot, submitted and not yet read, or null.
     */
    PendingRequest unread(final int slot)
    {
        return slots.get(slot);
    }

    int slotCount()
    {
        return slots.length();
    }

    /**
     * Read committed records, as {@link ManyToOneRingBuffer#controlledRead(ControlledMessageHandler, int)}.
     */
    int read(final ControlledMessageHandler handler, final int limit)
    {
        return ring.controlledRead(handler, limit);
    }

    /**
     * @return true if records are claimed and not yet read, committed or not.
     */
    boolean hasUnread()
    {
        return ring.producerPosition() > ring.consumerPosition();
    }

    /**
     * Stop callers waiting for a slot or ring space; their requests fail as not sent.
     */
    void close()
    {
        isClosed = true;
    }

    private int slotOf(final long correlationId)
    {
        return (int)correlationId & slotMask;
    }

    /**
     * Claim ring space, encode and commit, in the slot taken; free the slot again if no record is committed.
     */
    private MetaStoreException write(
        final int slot,
        final PendingRequest request,
        final StagedRequest staged,
        final long clientId,
        final IdleStrategy idleStrategy)
    {
        IdleStrategy idle = idleStrategy;
        int index;
        while ((index = ring.tryClaim(slot + 1, staged.length())) <= 0)
        {
            if (isClosed || request.isDone() || nanoClock.nanoTime() - request.deadlineNs >= 0)
            {
                slots.set(slot, null);
                return notSent("request ring full for the whole request timeout", request);
            }
            idle = idle(idle);
        }

        try
        {
            staged.encode(ring.buffer(), index, request.correlationId, clientId);
        }
        catch (final RuntimeException ex)
        {
            ring.abort(index);
            slots.set(slot, null);
            return new MetaStoreException(null, "cannot encode request, correlationId=" + request.correlationId +
                ": " + ex + "; request was not sent", ex);
        }
        ring.commit(index);

        return null;
    }

    private MetaStoreException notSent(final String reason, final PendingRequest request)
    {
        if (isClosed)
        {
            return new MetaStoreException(null, "client closed; request was not sent");
        }

        return new MetaStoreTimeoutException(reason + ", correlationId=" + request.correlationId +
            "; request was not sent");
    }

    private static IdleStrategy idle(final IdleStrategy idle)
    {
        final IdleStrategy strategy = null == idle ? new BackoffIdleStrategy() : idle;
        strategy.idle();

        return strategy;
    }
}
