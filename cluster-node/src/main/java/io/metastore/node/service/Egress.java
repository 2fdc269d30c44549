package io.metastore.node.service;

import io.aeron.Publication;
import io.aeron.cluster.service.ClientSession;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sends encoded responses on the egress of the session whose message is being applied, and decides what happens
 * when that fails.
 * <p>
 * Followers get a mocked offer. A back pressured egress is retried a bounded number of times, so one slow client
 * cannot stall the log, then the response is dropped. A response is also dropped when the session is not
 * connected or closed, or its publication reached its maximum position, or the response is longer than the
 * client's egress takes. Every drop is counted by its reason; the client times out and may retry.
 */
final class Egress implements ResponseEncoder.EgressSink
{
    /**
     * Why a response was dropped.
     */
    enum DropReason
    {
        /**
         * The client's egress stayed back pressured through every retry.
         */
        BACK_PRESSURED,

        /**
         * The client's egress is not connected.
         */
        NOT_CONNECTED,

        /**
         * The session's publication is closed.
         */
        CLOSED,

        /**
         * The session's publication reached its maximum position.
         */
        MAX_POSITION_EXCEEDED,

        /**
         * The responses are longer than the client's egress takes.
         */
        TOO_LONG
    }

    private final int retryLimit;
    private final ErrorHandler errorHandler;
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final ServiceCounters counters;
    private ClientSession session;
    private IdleStrategy idleStrategy;

    /**
     * @param retryLimit   offers of a response retried while back pressured before it is dropped.
     * @param errorHandler told of a response too long for the client's egress.
     */
    Egress(final int retryLimit, final ErrorHandler errorHandler)
    {
        this(retryLimit, errorHandler, ServiceCounters.inMemory());
    }

    /**
     * @param retryLimit   offers of a response retried while back pressured before it is dropped.
     * @param errorHandler told of a response too long for the client's egress.
     * @param counters     where drops are counted too, by reason.
     */
    Egress(final int retryLimit, final ErrorHandler errorHandler, final ServiceCounters counters)
    {
        this.retryLimit = retryLimit;
        this.errorHandler = errorHandler;
        this.counters = counters;
    }

    /**
     * @param idleStrategy to wait with between retries: the cluster's, which does the service's background work.
     */
    void idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
    }

    /**
     * @param session whose message is being applied: its responses go to it.
     */
    void session(final ClientSession session)
    {
        this.session = session;
    }

    @Override
    public void send(final DirectBuffer buffer, final int length)
    {
        idleStrategy.reset();
        for (int attempt = 0; attempt <= retryLimit; attempt++)
        {
            final long result;
            try
            {
                result = session.offer(buffer, 0, length);
            }
            catch (final IllegalArgumentException ex)
            {
                // Longer than the client's egress takes (its term length is the client's choice): drop, never throw.
                errorHandler.onError(ex);
                drop(DropReason.TOO_LONG);
                return;
            }
            if (result > 0 || ClientSession.MOCKED_OFFER == result)
            {
                return;
            }
            if (Publication.BACK_PRESSURED != result && Publication.ADMIN_ACTION != result)
            {
                drop(reason(result));
                return;
            }
            idleStrategy.idle();
        }
        drop(DropReason.BACK_PRESSURED);
    }

    /**
     * @return responses dropped, for any reason; safe to read from any thread.
     */
    long dropped()
    {
        long total = 0;
        for (int i = 0; i < dropped.length(); i++)
        {
            total += dropped.get(i);
        }

        return total;
    }

    /**
     * @param reason to count.
     * @return responses dropped for that reason; safe to read from any thread.
     */
    long dropped(final DropReason reason)
    {
        return dropped.get(reason.ordinal());
    }

    private void drop(final DropReason reason)
    {
        dropped.incrementAndGet(reason.ordinal());
        counters.onDropped(reason);
    }

    private static DropReason reason(final long result)
    {
        if (Publication.NOT_CONNECTED == result)
        {
            return DropReason.NOT_CONNECTED;
        }
        if (Publication.MAX_POSITION_EXCEEDED == result)
        {
            return DropReason.MAX_POSITION_EXCEEDED;
        }

        return DropReason.CLOSED;
    }
}
