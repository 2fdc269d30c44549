package io.metastore.node.reader;

import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.WatchEventsEncoder;
import io.metastore.node.storage.ChangeChunk;
import io.metastore.node.storage.HistoryReader;
import io.metastore.protocol.Protocol;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Encodes a watcher's events from chunks of the history into {@code WatchEvents} messages and offers them on its
 * session. A message holds whole revisions up to a target size; a revision larger than that goes in fragments, each
 * but the last marked, so the client can put it back together. When an offer fails the watcher keeps the position of
 * the first change not sent, down to its sub revision, and goes on from there later.
 * <p>
 * Watchers of one session that select the same events from the same position are sent them once: each message names
 * the others too ({@code alsoWatchIds}), and they take the first one's position after the send.
 */
final class WatchEventsPublisher
{
    /**
     * The offer of every message succeeded: the watcher has all it is owed up to the revision asked for.
     */
    static final int SENT = 0;

    /**
     * An offer failed (back pressure, not connected): the watcher goes on from where it stopped later.
     */
    static final int NOT_SENT = 1;

    /**
     * One event is larger than the session's publication takes in one message.
     */
    static final int TOO_LARGE = 2;

    /**
     * Most watchers one message names: a larger group is sent as several.
     */
    static final int MAX_WATCHERS_A_MESSAGE = 256;

    private static final int EVENT_FIXED_LENGTH = WatchEventsEncoder.EventsEncoder.sbeBlockLength() +
        WatchEventsEncoder.EventsEncoder.PrevKvEncoder.sbeHeaderSize() + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int PREV_KV_FIXED_LENGTH =
        WatchEventsEncoder.EventsEncoder.PrevKvEncoder.sbeBlockLength() + Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int GROUP_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + WatchEventsEncoder.BLOCK_LENGTH;
    private static final int RECORD_HEADER_LENGTH = 4 * Long.BYTES;
    private static final int ALSO_WATCH_ID_LENGTH = WatchEventsEncoder.AlsoWatchIdsEncoder.sbeBlockLength();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final WatchEventsEncoder encoder = new WatchEventsEncoder();
    private final ChangeChunk.Reader reader = new ChangeChunk.Reader();
    private final UnsafeBuffer buffer;
    private final HistoryReader history;
    private final int clusterId;
    private final int memberId;
    private final int targetMessageBytes;
    private final LongSupplier leadershipTermId;
    private WatchEventsEncoder.EventsEncoder events;
    private List<Watcher> group;
    private int alsoCount;
    private int eventCount;
    private long lastEventRevision;
    private long eventsSent;

    WatchEventsPublisher(
        final HistoryReader history,
        final int clusterId,
        final int memberId,
        final LongSupplier leadershipTermId,
        final int targetMessageBytes,
        final int maxMessageBytes)
    {
        this.history = history;
        this.leadershipTermId = leadershipTermId;
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.targetMessageBytes = targetMessageBytes;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BitUtil.align(maxMessageBytes, 64)));
    }

    /**
     * Send a watcher the events it is owed from chunks that hold every change of revisions from its next one up to
     * {@code toRevision}.
     *
     * @param sink           the watcher's session.
     * @param watcher        to send to; its position moves past what was sent.
     * @param chunks         holding the changes, in revision order; may hold changes outside the revisions.
     * @param toRevision     last revision to send.
     * @param headerRevision the member's committed revision, for the messages' headers.
     * @param nowNs          now, recorded as the watcher's last send when something was sent.
     * @return {@link #SENT}, {@link #NOT_SENT} or {@link #TOO_LARGE}.
     */
    int publish(
        final MessageSink sink,
        final Watcher watcher,
        final List<byte[]> chunks,
        final long toRevision,
        final long headerRevision,
        final long nowNs)
    {
        group = null;
        alsoCount = 0;
        return publishTo(sink, watcher, chunks, toRevision, headerRevision, nowNs);
    }

    /**
     * Send watchers of one session that select the same events from the same position the events they are owed, each
     * message once, naming them all: as {@link #publish(MessageSink, Watcher, List, long, long, long)} for the first,
     * whose position the others then take.
     *
     * @param sink           the watchers' session.
     * @param watchers       at least one, at most {@link #MAX_WATCHERS_A_MESSAGE}.
     * @param chunks         holding the changes, in revision order; may hold changes outside the revisions.
     * @param toRevision     last revision to send.
     * @param headerRevision the member's committed revision, for the messages' headers.
     * @param nowNs          now, recorded as the watchers' last send when something was sent.
     * @return {@link #SENT}, {@link #NOT_SENT} or {@link #TOO_LARGE}.
     */
    int publish(
        final MessageSink sink,
        final List<Watcher> watchers,
        final List<byte[]> chunks,
        final long toRevision,
        final long headerRevision,
        final long nowNs)
    {
        group = watchers;
        alsoCount = watchers.size() - 1;
        final Watcher lead = watchers.get(0);
        final int result = publishTo(sink, lead, chunks, toRevision, headerRevision, nowNs);
        for (int i = 1; i <= alsoCount; i++)
        {
            watchers.get(i).positionFrom(lead);
        }

        return result;
    }

    private int publishTo(
        final MessageSink sink,
        final Watcher watcher,
        final List<byte[]> chunks,
        final long toRevision,
        final long headerRevision,
        final long nowNs)
    {
        // Room for the other watchers' ids after the events, in every message.
        final int idsLength = WatchEventsEncoder.AlsoWatchIdsEncoder.sbeHeaderSize() +
            alsoCount * ALSO_WATCH_ID_LENGTH;
        final int targetBytes = targetMessageBytes - idsLength;
        final int maxMessageBytes = Math.min(buffer.capacity(), sink.maxMessageLength()) - idsLength;
        begin(watcher.watchId, headerRevision);
        for (int c = 0, size = chunks.size(); c < size; c++)
        {
            reader.wrap(chunks.get(c));
            while (reader.next())
            {
                final long revision = reader.revision();
                if (revision > toRevision)
                {
                    break;
                }
                if (revision < watcher.nextRevision ||
                    (revision == watcher.nextRevision && reader.subRevision() < watcher.nextSubRevision) ||
                    !watcher.wants(reader.isDelete()) ||
                    !watcher.matches(reader.buffer(), reader.keyOffset(), reader.keyLength()))
                {
                    continue;
                }

                final ChangeChunk.Reader previous = watcher.isPrevKv && 0 != reader.previousRevision() ?
                    history.findChange(reader.previousRevision(), reader.previousSubRevision()) : null;
                final int length = eventLength(reader, previous);
                if (eventCount > 0 &&
                    (encoder.limit() + length > targetBytes || eventCount == Protocol.MAX_GROUP_ENTRIES))
                {
                    if (!offer(sink, revision == lastEventRevision))
                    {
                        return NOT_SENT;
                    }
                    watcher.nextRevision = revision;
                    watcher.nextSubRevision = reader.subRevision();
                    watcher.lastSentNs = nowNs;
                    begin(watcher.watchId, headerRevision);
                }
                if (encoder.limit() + length > maxMessageBytes)
                {
                    return TOO_LARGE;
                }
                append(reader, previous);
            }
        }

        if (eventCount > 0)
        {
            if (!offer(sink, false))
            {
                return NOT_SENT;
            }
            watcher.lastSentNs = nowNs;
        }
        watcher.deliveredUpTo(toRevision);

        return SENT;
    }

    /**
     * Where a watcher's messages go.
     */
    interface MessageSink
    {
        /**
         * @return true if the message was taken, false if it is to be offered again later.
         */
        boolean offer(DirectBuffer buffer, int offset, int length);

        /**
         * @return the largest message taken.
         */
        int maxMessageLength();
    }

    private void begin(final long watchId, final long headerRevision)
    {
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.header()
            .correlationId(0)
            .clusterId(clusterId)
            .memberId(memberId)
            .revision(headerRevision)
            .leadershipTermId(leadershipTermId.getAsLong());
        encoder.watchId(watchId).fragment(BooleanType.FALSE);
        events = encoder.eventsCount(Protocol.MAX_GROUP_ENTRIES);
        eventCount = 0;
    }

    private boolean offer(final MessageSink sink, final boolean isFragment)
    {
        events.resetCountToIndex();
        encoder.fragment(isFragment ? BooleanType.TRUE : BooleanType.FALSE);
        final WatchEventsEncoder.AlsoWatchIdsEncoder ids = encoder.alsoWatchIdsCount(alsoCount);
        for (int i = 1; i <= alsoCount; i++)
        {
            ids.next().watchId(group.get(i).watchId);
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        if (sink.offer(buffer, 0, length))
        {
            eventsSent += (long)eventCount * (1 + alsoCount);
            return true;
        }

        return false;
    }

    /**
     * @return events sent since this publisher was made, an event sent once for n watchers counting n.
     */
    long eventsSent()
    {
        return eventsSent;
    }

    private void append(final ChangeChunk.Reader change, final ChangeChunk.Reader previous)
    {
        final DirectBuffer chunk = change.buffer();
        final int recordOffset = change.recordOffset();
        events.next().modRevision(change.revision());
        if (change.isDelete())
        {
            events.changeType(ChangeType.DELETE).createRevision(0).version(0).lease(0);
        }
        else
        {
            events.changeType(ChangeType.PUT)
                .createRevision(chunk.getLong(recordOffset, ByteOrder.LITTLE_ENDIAN))
                .version(chunk.getLong(recordOffset + 2 * Long.BYTES, ByteOrder.LITTLE_ENDIAN))
                .lease(chunk.getLong(recordOffset + 3 * Long.BYTES, ByteOrder.LITTLE_ENDIAN));
        }

        final WatchEventsEncoder.EventsEncoder.PrevKvEncoder prevKv = events.prevKvCount(null == previous ? 0 : 1);
        if (null != previous)
        {
            final DirectBuffer previousChunk = previous.buffer();
            final int previousOffset = previous.recordOffset();
            prevKv.next()
                .createRevision(previousChunk.getLong(previousOffset, ByteOrder.LITTLE_ENDIAN))
                .modRevision(previousChunk.getLong(previousOffset + Long.BYTES, ByteOrder.LITTLE_ENDIAN))
                .version(previousChunk.getLong(previousOffset + 2 * Long.BYTES, ByteOrder.LITTLE_ENDIAN))
                .lease(previousChunk.getLong(previousOffset + 3 * Long.BYTES, ByteOrder.LITTLE_ENDIAN))
                .putValue(previousChunk, previousOffset + RECORD_HEADER_LENGTH,
                    previous.recordLength() - RECORD_HEADER_LENGTH);
        }
        events.putKey(chunk, change.keyOffset(), change.keyLength());
        if (change.isDelete())
        {
            events.putValue(chunk, 0, 0);
        }
        else
        {
            events.putValue(chunk, recordOffset + RECORD_HEADER_LENGTH, change.recordLength() - RECORD_HEADER_LENGTH);
        }
        eventCount++;
        lastEventRevision = change.revision();
    }

    private static int eventLength(final ChangeChunk.Reader change, final ChangeChunk.Reader previous)
    {
        int length = EVENT_FIXED_LENGTH + change.keyLength() + Math.max(0, change.recordLength());
        if (null != previous)
        {
            length += PREV_KV_FIXED_LENGTH + previous.recordLength();
        }
        return length;
    }
}
