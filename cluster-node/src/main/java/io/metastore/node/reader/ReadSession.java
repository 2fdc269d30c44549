package io.metastore.node.reader;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A client's read session with this member: where its answers and events go, and its watches.
 */
final class ReadSession implements AutoCloseable, WatchEventsPublisher.MessageSink
{
    private static final int OFFER_ATTEMPTS = 1000;

    final long clientId;
    final Long2ObjectHashMap<Watcher> watchers = new Long2ObjectHashMap<>();
    ExclusivePublication publication;
    String responseChannel;
    int responseStreamId;
    long lastRequestNs;
    long connectCorrelationId;
    boolean isConnectAnswered;
    boolean takesSharedEvents;
    int newerVersion;

    ReadSession(final long clientId)
    {
        this.clientId = clientId;
    }

    /**
     * @return true if the session answers on this channel and stream already.
     */
    boolean answersOn(final String channel, final int streamId)
    {
        return null != publication && !publication.isClosed() && streamId == responseStreamId &&
            channel.equals(responseChannel);
    }

    /**
     * Answer on another publication from now on: the client reconnected.
     */
    void publication(
        final ExclusivePublication publication,
        final String channel,
        final int streamId,
        final long connectCorrelationId)
    {
        CloseHelper.quietClose(this.publication);
        this.publication = publication;
        this.responseChannel = channel;
        this.responseStreamId = streamId;
        connectAgain(connectCorrelationId);
    }

    /**
     * The client asked to connect again on the same channel: answer it once the publication is connected.
     */
    void connectAgain(final long connectCorrelationId)
    {
        this.connectCorrelationId = connectCorrelationId;
        this.isConnectAnswered = false;
    }

    /**
     * A session whose client is gone, or slow, is passed over rather than read for and offered to in vain every cycle:
     * that would keep the read port busy, and on a small machine take a core from the service.
     *
     * @param bytes the session should have room for.
     * @return true if the client is connected and has room for that many bytes now.
     */
    boolean hasRoomFor(final int bytes)
    {
        return isConnectAnswered && publication.isConnected() && publication.availableWindow() >= bytes;
    }

    /**
     * Offer a message, trying again a bounded number of times while the publication rotates its term or is back
     * pressured: an answer lost there would leave the client waiting for its resend.
     *
     * @return true if the message was taken.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int attempt = 0; attempt < OFFER_ATTEMPTS; attempt++)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                return true;
            }
            if (Publication.ADMIN_ACTION != result && Publication.BACK_PRESSURED != result)
            {
                return false;
            }
            Thread.onSpinWait();
        }

        return false;
    }

    public int maxMessageLength()
    {
        return publication.maxMessageLength();
    }

    public void close()
    {
        CloseHelper.quietClose(publication);
        watchers.clear();
    }
}
