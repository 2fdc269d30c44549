package io.metastore.client;

import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.RangeResponseEncoder;
import io.metastore.codecs.ReadConnectResponseEncoder;
import io.metastore.codecs.WatchCanceledEncoder;
import io.metastore.codecs.WatchCreateResponseEncoder;
import io.metastore.codecs.WatchEventsEncoder;
import io.metastore.codecs.WatchProgressEncoder;
import io.metastore.protocol.Protocol;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a member sends on a read session, encoded with the generated encoders, read by the client's adapter.
 */
class ReadResponseAdapterTest
{
    private static final long SESSION_REQUEST = ReadSession.FIRST_CORRELATION_ID + 3;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final List<String> calls = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final List<List<WatchEvent>> eventLists = new ArrayList<>();
    private final List<ResponseHeader> eventHeaders = new ArrayList<>();
    private final SeenRevision seenRevision = new SeenRevision();
    private final SerializableReads reads =
        new SerializableReads(1, Long.MAX_VALUE, 16, 64 * 1024, seenRevision, errors::add);
    private final ReadResponseAdapter adapter = new ReadResponseAdapter(new RecordingListener(), reads, errors::add);

    @Test
    void shouldReadEventsWithPreviousPairsAndDeletes()
    {
        final int length = encodeWatchEvents(0);

        assertEquals(1, adapter.onMessage(buffer, 0, length));

        assertEquals(List.of("events(7,fragment=true)"), calls);
        assertEquals(List.of(new ResponseHeader(4, 2, 12, 3)), eventHeaders, "the member's own, for etcd's header");
        final List<WatchEvent> events = eventLists.get(0);
        assertEquals(2, events.size());
        final WatchEvent put = events.get(0);
        assertEquals(Change.Type.PUT, put.type());
        assertEquals(new KeyValue(bytes("a"), bytes("new"), 3, 10, 2, 5), put.kv());
        assertEquals(new KeyValue(bytes("a"), bytes("old"), 3, 4, 1, 5), put.prevKv());
        final WatchEvent delete = events.get(1);
        assertEquals(Change.Type.DELETE, delete.type());
        assertArrayEquals(bytes("b"), delete.kv().key());
        assertEquals(10, delete.revision());
        assertEquals(0, delete.kv().value().length);
        assertNull(delete.prevKv());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldGiveEveryWatchAMessageNamesTheSameEventsReadOnce()
    {
        int length = encodeWatchEvents(0, 8, 9);
        // What follows the ids is read as the next response: the ids were read to their end.
        length = encodeError(length, SESSION_REQUEST, ErrorCode.NOT_CONNECTED, 10);

        assertEquals(2, adapter.onMessage(buffer, 0, length));

        assertEquals(List.of("events(7,fragment=true)", "events(8,fragment=true)", "events(9,fragment=true)",
            "error(" + SESSION_REQUEST + ",NOT_CONNECTED,0,error)"), calls);
        assertEquals(2, eventLists.get(0).size());
        assertSame(eventLists.get(0), eventLists.get(1));
        assertSame(eventLists.get(0), eventLists.get(2));
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldReadResponsesBackToBackInOneMessage()
    {
        int length = 0;
        final ReadConnectResponseEncoder connect = new ReadConnectResponseEncoder()
            .wrapAndApplyHeader(buffer, length, headerEncoder);
        connect.header().correlationId(1).memberId(2).revision(50);
        connect.compactRevision(20);
        length += MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength();

        final WatchCreateResponseEncoder created = new WatchCreateResponseEncoder()
            .wrapAndApplyHeader(buffer, length, headerEncoder);
        created.header().correlationId(2).memberId(2).revision(50);
        created.watchId(7).startRevision(51);
        length += MessageHeaderEncoder.ENCODED_LENGTH + created.encodedLength();

        length = encodeWatchEvents(length);

        final ErrorResponseEncoder error = new ErrorResponseEncoder().wrapAndApplyHeader(buffer, length, headerEncoder);
        error.header().correlationId(SESSION_REQUEST);
        error.code(ErrorCode.COMPACTED).compactRevision(20).message("compacted");
        length += MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength();

        final WatchCanceledEncoder canceled = new WatchCanceledEncoder()
            .wrapAndApplyHeader(buffer, length, headerEncoder);
        canceled.watchId(8).code(ErrorCode.CANCELED).compactRevision(0).message("bye");
        length += MessageHeaderEncoder.ENCODED_LENGTH + canceled.encodedLength();

        final WatchProgressEncoder progress = new WatchProgressEncoder()
            .wrapAndApplyHeader(buffer, length, headerEncoder);
        progress.header().correlationId(4).revision(60);
        progress.watchId(Protocol.ALL_WATCHES);
        length += MessageHeaderEncoder.ENCODED_LENGTH + progress.encodedLength();

        assertEquals(6, adapter.onMessage(buffer, 0, length));

        assertEquals(List.of(
            "connected(1,member=2,revision=50,compact=20)",
            "created(2,watch=7,start=51)",
            "events(7,fragment=true)",
            "error(" + SESSION_REQUEST + ",COMPACTED,20,compacted)",
            "canceled(8,CANCELED,0,bye)",
            "progress(4,watch=-1,revision=60)"), calls);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldGiveTheReadsTheResponsesToReadsAndTheListenerTheRestAndSeeEveryRevision()
    {
        final SerializableRange answered = pendingRead(5);
        final SerializableRange behind = pendingRead(6);
        final SerializableRange lost = pendingRead(7);

        int length = 0;
        final RangeResponseEncoder range = new RangeResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder);
        range.header().correlationId(5).memberId(2).revision(70);
        range.count(0).more(BooleanType.FALSE).kvsCount(0);
        length += MessageHeaderEncoder.ENCODED_LENGTH + range.encodedLength();
        length = encodeError(length, 6, ErrorCode.MEMBER_BEHIND, 60);
        length = encodeError(length, 7, ErrorCode.NOT_CONNECTED, 60);
        length = encodeWatchEvents(length);
        final WatchProgressEncoder progress = new WatchProgressEncoder()
            .wrapAndApplyHeader(buffer, length, headerEncoder);
        progress.header().correlationId(0).revision(80);
        progress.watchId(7);
        length += MessageHeaderEncoder.ENCODED_LENGTH + progress.encodedLength();

        assertEquals(5, adapter.onMessage(buffer, 0, length));

        assertEquals(70, ((RangeResult)answered.join()).header().revision());
        final CompletionException ex = assertThrows(CompletionException.class, behind::join);
        assertInstanceOf(MemberBehindException.class, ex.getCause());
        assertFalse(lost.isDone(), "the session is gone: the read goes to the next member");
        assertEquals(List.of(
            "error(7,NOT_CONNECTED,0,error)",
            "events(7,fragment=true)",
            "progress(0,watch=7,revision=80)"), calls);
        assertEquals(80, seenRevision.get());
        assertEquals(List.of(), errors);
    }

    private SerializableRange pendingRead(final long correlationId)
    {
        final RangeOptions options = new RangeOptions().serializable(true);
        final SerializableRange read = new SerializableRange(TestConductors.conductor(), Long.MAX_VALUE,
            correlationId, Long.MAX_VALUE, bytes("k"), new byte[0], options);
        final ExpandableArrayBuffer request = new ExpandableArrayBuffer(64);
        new RequestEncoder().encodeRange(request, 0, correlationId, 1, bytes("k"), new byte[0], options);
        reads.onRequest(read, request, 0, read.length());

        return read;
    }

    private int encodeError(final int offset, final long correlationId, final ErrorCode code, final long revision)
    {
        final ErrorResponseEncoder error = new ErrorResponseEncoder().wrapAndApplyHeader(buffer, offset, headerEncoder);
        error.header().correlationId(correlationId).revision(revision);
        error.code(code).compactRevision(0).message("error");

        return offset + MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength();
    }

    private int encodeWatchEvents(final int offset, final long... alsoWatchIds)
    {
        final WatchEventsEncoder encoder = new WatchEventsEncoder().wrapAndApplyHeader(buffer, offset, headerEncoder);
        encoder.header().clusterId(4).memberId(2).revision(12).leadershipTermId(3);
        encoder.watchId(7).fragment(BooleanType.TRUE);
        final WatchEventsEncoder.EventsEncoder events = encoder.eventsCount(2);
        events.next().changeType(ChangeType.PUT).createRevision(3).modRevision(10).version(2).lease(5)
            .prevKvCount(1).next().createRevision(3).modRevision(4).version(1).lease(5).putValue(bytes("old"), 0, 3);
        events.putKey(bytes("a"), 0, 1).putValue(bytes("new"), 0, 3);
        events.next().changeType(ChangeType.DELETE).createRevision(0).modRevision(10).version(0).lease(0)
            .prevKvCount(0);
        events.putKey(bytes("b"), 0, 1).putValue(new byte[0], 0, 0);
        final WatchEventsEncoder.AlsoWatchIdsEncoder ids = encoder.alsoWatchIdsCount(alsoWatchIds.length);
        for (final long watchId : alsoWatchIds)
        {
            ids.next().watchId(watchId);
        }

        return offset + MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private final class RecordingListener implements ReadResponseAdapter.Listener
    {
        @Override
        public void onReadConnected(
            final long correlationId, final int memberId, final long revision, final long compactRevision)
        {
            calls.add("connected(" + correlationId + ",member=" + memberId + ",revision=" + revision +
                ",compact=" + compactRevision + ")");
        }

        @Override
        public void onReadKeepAlive(final long correlationId)
        {
            calls.add("keepAlive(" + correlationId + ")");
        }

        @Override
        public void onWatchCreated(final long correlationId, final long watchId, final long startRevision)
        {
            calls.add("created(" + correlationId + ",watch=" + watchId + ",start=" + startRevision + ")");
        }

        @Override
        public void onWatchCancelResponse(final long correlationId, final long watchId)
        {
            calls.add("cancelResponse(" + correlationId + ",watch=" + watchId + ")");
        }

        @Override
        public void onError(
            final long correlationId, final ErrorCode code, final long compactRevision, final String message)
        {
            calls.add("error(" + correlationId + "," + code + "," + compactRevision + "," + message + ")");
        }

        @Override
        public void onWatchEvents(
            final long watchId, final boolean fragment, final List<WatchEvent> events, final ResponseHeader header)
        {
            calls.add("events(" + watchId + ",fragment=" + fragment + ")");
            eventLists.add(events);
            eventHeaders.add(header);
        }

        @Override
        public void onWatchCanceled(
            final long watchId, final ErrorCode code, final long compactRevision, final String message)
        {
            calls.add("canceled(" + watchId + "," + code + "," + compactRevision + "," + message + ")");
        }

        @Override
        public void onWatchProgress(final long correlationId, final long watchId, final ResponseHeader header)
        {
            calls.add("progress(" + correlationId + ",watch=" + watchId + ",revision=" + header.revision() + ")");
        }
    }
}
