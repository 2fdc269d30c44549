package io.metastore.client;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.HashKvResponseDecoder;
import io.metastore.codecs.MemberStatusResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.ReadConnectResponseDecoder;
import io.metastore.codecs.ReadKeepAliveResponseDecoder;
import io.metastore.codecs.ResponseHeaderDecoder;
import io.metastore.codecs.WatchCancelResponseDecoder;
import io.metastore.codecs.WatchCanceledDecoder;
import io.metastore.codecs.WatchCreateResponseDecoder;
import io.metastore.codecs.WatchEventsDecoder;
import io.metastore.codecs.WatchProgressDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.LongArrayList;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes what a member sends on a read session, one decoder per template, and calls the listener with primitives
 * and, for events, the events read whole. A message may hold several responses back to back, as on egress.
 * <p>
 * The responses to serializable reads, a {@code RangeResponse} or an {@code ErrorResponse} whose correlation id is a
 * read's (below {@link ReadSession#FIRST_CORRELATION_ID}), go to {@link SerializableReads}, which reads them; a
 * {@code NOT_CONNECTED} error goes to the listener whatever it answers, as the session is gone. The header revision
 * of everything read raises the client's {@link SeenRevision}.
 */
final class ReadResponseAdapter implements FragmentHandler
{
    /**
     * Told of each response and event of a read session.
     */
    interface Listener
    {
        /**
         * @param correlationId   of the connect request.
         * @param memberId        that answered.
         * @param revision        the member's committed revision.
         * @param compactRevision the member's compacted revision.
         */
        void onReadConnected(long correlationId, int memberId, long revision, long compactRevision);

        /**
         * @param correlationId of the keep-alive.
         */
        void onReadKeepAlive(long correlationId);

        /**
         * @param correlationId of the create request.
         * @param watchId       created.
         * @param startRevision first revision the watch delivers.
         */
        void onWatchCreated(long correlationId, long watchId, long startRevision);

        /**
         * @param correlationId of the cancel request.
         * @param watchId       canceled.
         */
        void onWatchCancelResponse(long correlationId, long watchId);

        /**
         * @param correlationId   of the request refused.
         * @param code            why.
         * @param compactRevision for {@code COMPACTED}.
         * @param message         for a person.
         */
        void onError(long correlationId, ErrorCode code, long compactRevision, String message);

        /**
         * @param watchId  whose events these are.
         * @param fragment true if the last revision goes on in the watch's next message.
         * @param events   in revision order; the same list for each watch a message is for, so never changed.
         * @param header   of the message: the member, its leadership term and committed revision.
         */
        void onWatchEvents(long watchId, boolean fragment, List<WatchEvent> events, ResponseHeader header);

        /**
         * @param watchId         ended by the member.
         * @param code            why.
         * @param compactRevision for {@code COMPACTED}.
         * @param message         for a person.
         */
        void onWatchCanceled(long watchId, ErrorCode code, long compactRevision, String message);

        /**
         * @param correlationId of the progress request answered, 0 if none.
         * @param watchId       or {@link io.metastore.protocol.Protocol#ALL_WATCHES}.
         * @param header        of the message; its revision, every change up to which was sent.
         */
        void onWatchProgress(long correlationId, long watchId, ResponseHeader header);
    }

    private static final byte[] EMPTY = new byte[0];

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private final ReadConnectResponseDecoder connectDecoder = new ReadConnectResponseDecoder();
    private final ReadKeepAliveResponseDecoder keepAliveDecoder = new ReadKeepAliveResponseDecoder();
    private final WatchCreateResponseDecoder watchCreateDecoder = new WatchCreateResponseDecoder();
    private final WatchCancelResponseDecoder watchCancelDecoder = new WatchCancelResponseDecoder();
    private final WatchEventsDecoder watchEventsDecoder = new WatchEventsDecoder();
    private final WatchCanceledDecoder watchCanceledDecoder = new WatchCanceledDecoder();
    private final WatchProgressDecoder watchProgressDecoder = new WatchProgressDecoder();
    private final LongArrayList watchIds = new LongArrayList();
    private final Listener listener;
    private final SerializableReads rangeReads;
    private final SeenRevision seenRevision;
    private final ErrorHandler errorHandler;

    /**
     * @param listener     told of the session's responses and events.
     * @param rangeReads   reads the responses to serializable reads.
     * @param errorHandler for what cannot be read.
     */
    ReadResponseAdapter(final Listener listener, final SerializableReads rangeReads, final ErrorHandler errorHandler)
    {
        this.listener = listener;
        this.rangeReads = rangeReads;
        this.seenRevision = rangeReads.seenRevision();
        this.errorHandler = errorHandler;
    }

    /**
     * Read one message, whole, of one or more responses.
     * <p>
     * {@inheritDoc}
     */
    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        onMessage(buffer, offset, length);
    }

    /**
     * Read one message of one or more responses.
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return the number of responses read.
     */
    int onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int cursor = offset;
        int count = 0;
        while (cursor + MessageHeaderDecoder.ENCODED_LENGTH <= end)
        {
            headerDecoder.wrap(buffer, cursor);
            if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
            {
                errorHandler.onError(new MetaStoreException(null, "read session message of unknown schema " +
                    headerDecoder.schemaId()));
                break;
            }

            final int templateId = headerDecoder.templateId();
            if (isRangeReadResponse(buffer, cursor, end, templateId))
            {
                final int consumed = rangeReads.onResponse(buffer, cursor);
                if (consumed <= 0)
                {
                    break;
                }
                cursor += consumed;
                count++;
                continue;
            }

            final MessageDecoderFlyweight decoder = decoder(templateId);
            if (null == decoder)
            {
                errorHandler.onError(new MetaStoreException(null, "read session message of unknown template " +
                    templateId + "; rest of the message skipped"));
                break;
            }

            final int bodyOffset = cursor + MessageHeaderDecoder.ENCODED_LENGTH;
            decoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
            seenRevision.observe(buffer.getLong(
                bodyOffset + ResponseHeaderDecoder.revisionEncodingOffset(), ResponseHeaderDecoder.BYTE_ORDER));
            try
            {
                dispatch(templateId);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }

            cursor = bodyOffset + decoder.sbeDecodedLength();
            count++;
        }

        return count;
    }

    /**
     * @return true if the response at {@code offset} answers a serializable read: a range response, or an error
     * with a read's correlation id that does not say the session is gone.
     */
    private static boolean isRangeReadResponse(
        final DirectBuffer buffer, final int offset, final int end, final int templateId)
    {
        if (RangeResponseDecoder.TEMPLATE_ID == templateId || MemberStatusResponseDecoder.TEMPLATE_ID == templateId ||
            HashKvResponseDecoder.TEMPLATE_ID == templateId)
        {
            return true;
        }

        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (ErrorResponseDecoder.TEMPLATE_ID != templateId ||
            bodyOffset + ErrorResponseDecoder.codeEncodingOffset() + ErrorResponseDecoder.codeEncodingLength() > end)
        {
            return false;
        }

        final long correlationId = buffer.getLong(
            bodyOffset + ResponseHeaderDecoder.correlationIdEncodingOffset(), ResponseHeaderDecoder.BYTE_ORDER);
        final int code = buffer.getShort(
            bodyOffset + ErrorResponseDecoder.codeEncodingOffset(), ErrorResponseDecoder.BYTE_ORDER) & 0xFFFF;

        return ReadSession.isRangeReadCorrelationId(correlationId) && ErrorCode.NOT_CONNECTED.value() != code;
    }

    private MessageDecoderFlyweight decoder(final int templateId)
    {
        return switch (templateId)
        {
            case ErrorResponseDecoder.TEMPLATE_ID -> errorDecoder;
            case ReadConnectResponseDecoder.TEMPLATE_ID -> connectDecoder;
            case ReadKeepAliveResponseDecoder.TEMPLATE_ID -> keepAliveDecoder;
            case WatchCreateResponseDecoder.TEMPLATE_ID -> watchCreateDecoder;
            case WatchCancelResponseDecoder.TEMPLATE_ID -> watchCancelDecoder;
            case WatchEventsDecoder.TEMPLATE_ID -> watchEventsDecoder;
            case WatchCanceledDecoder.TEMPLATE_ID -> watchCanceledDecoder;
            case WatchProgressDecoder.TEMPLATE_ID -> watchProgressDecoder;
            default -> null;
        };
    }

    private void dispatch(final int templateId)
    {
        switch (templateId)
        {
            case ErrorResponseDecoder.TEMPLATE_ID -> listener.onError(
                errorDecoder.header().correlationId(),
                ResponseDecoder.errorCode(errorDecoder.codeRaw()),
                errorDecoder.actingVersion() >= 2 ? errorDecoder.compactRevision() : 0,
                errorDecoder.message());
            case ReadConnectResponseDecoder.TEMPLATE_ID -> listener.onReadConnected(
                connectDecoder.header().correlationId(),
                connectDecoder.header().memberId(),
                connectDecoder.header().revision(),
                connectDecoder.compactRevision());
            case ReadKeepAliveResponseDecoder.TEMPLATE_ID ->
                listener.onReadKeepAlive(keepAliveDecoder.header().correlationId());
            case WatchCreateResponseDecoder.TEMPLATE_ID -> listener.onWatchCreated(
                watchCreateDecoder.header().correlationId(),
                watchCreateDecoder.watchId(),
                watchCreateDecoder.startRevision());
            case WatchCancelResponseDecoder.TEMPLATE_ID -> listener.onWatchCancelResponse(
                watchCancelDecoder.header().correlationId(), watchCancelDecoder.watchId());
            case WatchEventsDecoder.TEMPLATE_ID -> onWatchEvents();
            case WatchCanceledDecoder.TEMPLATE_ID -> listener.onWatchCanceled(
                watchCanceledDecoder.watchId(),
                ResponseDecoder.errorCode(watchCanceledDecoder.codeRaw()),
                watchCanceledDecoder.compactRevision(),
                watchCanceledDecoder.message());
            default -> listener.onWatchProgress(
                watchProgressDecoder.header().correlationId(),
                watchProgressDecoder.watchId(),
                ResponseDecoder.header(watchProgressDecoder.header()));
        }
    }

    private void onWatchEvents()
    {
        final long watchId = watchEventsDecoder.watchId();
        final boolean fragment = BooleanType.TRUE == watchEventsDecoder.fragment();
        final ResponseHeader header = ResponseDecoder.header(watchEventsDecoder.header());
        final List<WatchEvent> events = events(watchEventsDecoder.events());
        // The same events for other watches of the session that select as this one does: read once, shared.
        watchIds.clear();
        watchIds.addLong(watchId);
        for (final WatchEventsDecoder.AlsoWatchIdsDecoder also : watchEventsDecoder.alsoWatchIds())
        {
            watchIds.addLong(also.watchId());
        }
        for (int i = 0, size = watchIds.size(); i < size; i++)
        {
            // Each watch on its own: a failure for one leaves the others their events.
            try
            {
                listener.onWatchEvents(watchIds.getLong(i), fragment, events, header);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    /**
     * Read a watch's events to their end, in the schema's order: each event's fields, its previous pair, its key
     * and value.
     */
    static List<WatchEvent> events(final WatchEventsDecoder.EventsDecoder group)
    {
        final List<WatchEvent> events = new ArrayList<>(group.count());
        for (final WatchEventsDecoder.EventsDecoder event : group)
        {
            final Change.Type type = ChangeType.DELETE.value() == event.changeTypeRaw() ?
                Change.Type.DELETE : Change.Type.PUT;
            final long createRevision = event.createRevision();
            final long modRevision = event.modRevision();
            final long version = event.version();
            final long lease = event.lease();

            long prevCreateRevision = 0;
            long prevModRevision = 0;
            long prevVersion = 0;
            long prevLease = 0;
            byte[] prevValue = null;
            for (final WatchEventsDecoder.EventsDecoder.PrevKvDecoder prev : event.prevKv())
            {
                prevCreateRevision = prev.createRevision();
                prevModRevision = prev.modRevision();
                prevVersion = prev.version();
                prevLease = prev.lease();
                prevValue = new byte[prev.valueLength()];
                prev.getValue(prevValue, 0, prevValue.length);
            }

            final byte[] key = new byte[event.keyLength()];
            event.getKey(key, 0, key.length);
            final int valueLength = event.valueLength();
            final byte[] value = 0 == valueLength ? EMPTY : new byte[valueLength];
            event.getValue(value, 0, valueLength);

            final KeyValue prevKv = null == prevValue ? null :
                new KeyValue(key, prevValue, prevCreateRevision, prevModRevision, prevVersion, prevLease);
            events.add(new WatchEvent(
                type, new KeyValue(key, value, createRevision, modRevision, version, lease), prevKv));
        }

        return events;
    }
}
