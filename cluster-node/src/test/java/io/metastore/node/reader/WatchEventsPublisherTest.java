package io.metastore.node.reader;

import io.metastore.codecs.BooleanType;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.WatchEventsDecoder;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.node.kv.Ops;
import io.metastore.node.kv.Recorder;
import io.metastore.node.storage.HistoryReader;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.protocol.KeyRanges;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The events a watcher is sent are etcd's for the same writes: one revision per write, every key a delete-range or a
 * lease's revocation removes at one revision, prevKv the pair the change replaced; a revision split over messages is
 * marked so, and a refused offer resumes at the first change not sent, never repeating one.
 */
class WatchEventsPublisherTest
{
    private static final byte[] EMPTY = new byte[0];

    @TempDir
    File tempDir;

    private RocksDbStorage storage;
    private KvStateMachine stateMachine;
    private HistoryReader history;
    private final Recorder recorder = new Recorder();
    private long position;

    @BeforeEach
    void before()
    {
        storage = RocksDbStorage.open(new File(tempDir, "store"));
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
        history = new HistoryReader(storage);
    }

    @AfterEach
    void after()
    {
        history.close();
        storage.close();
    }

    @Test
    void shouldSendEtcdsEventsWithPrevKvForPutsDeletesAndALeaseRevocation()
    {
        writeHistory();
        final Sink sink = new Sink(Integer.MAX_VALUE);
        final Watcher everything = watcher(bytes("a"), KeyRanges.fromKey(), true, false, false);

        assertEquals(WatchEventsPublisher.SENT, publish(sink, everything, 64 * 1024));

        assertEquals(List.of(
            "1 PUT a=1 c1 v1",
            "2 PUT b=1 c2 v1",
            "3 PUT a=2 c1 v2 prev[a=1 c1 v1]",
            "4 DELETE a prev[a=2 c1 v2]",
            "4 DELETE b prev[b=1 c2 v1]",
            "5 PUT a=3 c5 v1",
            "6 PUT c=x c6 v1 lease7",
            "7 DELETE c prev[c=x c6 v1 lease7]"), sink.events);
        assertEquals(List.of("whole"), sink.fragments());
        assertEquals(stateMachine.revision() + 1, everything.nextRevision);
    }

    @Test
    void shouldSendOnlyTheWatchedKeysAndTypesWithoutPrevKvUnlessAsked()
    {
        writeHistory();
        final Sink sink = new Sink(Integer.MAX_VALUE);

        publish(sink, watcher(bytes("a"), EMPTY, false, false, true), 64 * 1024);

        assertEquals(List.of("1 PUT a=1 c1 v1", "3 PUT a=2 c1 v2", "5 PUT a=3 c5 v1"), sink.events);
    }

    @Test
    void shouldMarkARevisionSplitOverMessagesAndKeepRevisionsWholeOtherwise()
    {
        writeHistory();
        final Sink sink = new Sink(Integer.MAX_VALUE);

        // A target below one event's size: one event a message.
        publish(sink, watcher(bytes("a"), KeyRanges.fromKey(), false, false, false), 1);

        assertEquals(8, sink.events.size());
        assertEquals(List.of("whole", "whole", "whole", "fragment", "whole", "whole", "whole", "whole"),
            sink.fragments());
    }

    @Test
    void shouldResumeAfterARefusedOfferAtTheFirstChangeNotSent()
    {
        writeHistory();
        final Watcher watcher = watcher(bytes("a"), KeyRanges.fromKey(), true, false, false);
        final Sink all = new Sink(Integer.MAX_VALUE);
        publish(all, watcher(bytes("a"), KeyRanges.fromKey(), true, false, false), 1);

        final List<String> received = new ArrayList<>();
        for (int accepted = 0; accepted < 4; accepted++)
        {
            // Takes four messages, then refuses: the fifth is the second delete of revision 4.
            final Sink sink = new Sink(4);
            final int result = publish(sink, watcher, 1);
            received.addAll(sink.events);
            if (WatchEventsPublisher.SENT == result)
            {
                break;
            }
            assertEquals(WatchEventsPublisher.NOT_SENT, result);
        }

        assertEquals(all.events, received);
    }

    @Test
    void shouldSendWatchersThatSelectAlikeEachMessageOnceNamingThemAllAndMoveThemTogether()
    {
        writeHistory();
        final Sink all = new Sink(Integer.MAX_VALUE);
        publish(all, watcher(bytes("a"), KeyRanges.fromKey(), true, false, false), 1);
        final List<Watcher> group = List.of(
            watcher(1, bytes("a"), KeyRanges.fromKey(), true, false, false),
            watcher(2, bytes("a"), KeyRanges.fromKey(), true, false, false),
            watcher(3, bytes("a"), KeyRanges.fromKey(), true, false, false));

        final List<String> received = new ArrayList<>();
        final List<List<Long>> named = new ArrayList<>();
        int result = WatchEventsPublisher.NOT_SENT;
        while (WatchEventsPublisher.SENT != result)
        {
            // Three messages a time, then a refusal: every watcher of the group goes on from the same change.
            final Sink sink = new Sink(3);
            result = publish(sink, group, 1);
            received.addAll(sink.events);
            named.addAll(sink.watchIds);
            assertEquals(group.get(0).nextRevision, group.get(2).nextRevision);
            assertEquals(group.get(0).nextSubRevision, group.get(2).nextSubRevision);
        }

        assertEquals(all.events, received);
        assertEquals(all.events.size(), named.size());
        named.forEach(ids -> assertEquals(List.of(1L, 2L, 3L), ids));
        assertEquals(stateMachine.revision() + 1, group.get(1).nextRevision);
    }

    @Test
    void shouldKeepAGroupedWatchersOwnLaterSendWhenNothingIsSent()
    {
        // The later send: a progress notification the first watcher did not ask for. Taking the first one's would
        // make it due again at once.
        writeHistory();
        final Watcher lead = watcher(1, bytes("zzz"), EMPTY, false, false, false);
        final Watcher notified = watcher(2, bytes("zzz"), EMPTY, false, false, false);
        notified.lastSentNs = 100;

        assertEquals(WatchEventsPublisher.SENT, publish(new Sink(Integer.MAX_VALUE), List.of(lead, notified), 1));

        assertEquals(100, notified.lastSentNs);
        assertEquals(lead.nextRevision, notified.nextRevision);
        assertEquals(stateMachine.revision() + 1, notified.nextRevision);
    }

    private void writeHistory()
    {
        put("a", "1", 0);
        put("b", "1", 0);
        put("a", "2", 0);
        stateMachine.deleteRange(Ops.deleteRange(bytes("a"), bytes("c"), false), recorder);
        commit();
        put("a", "3", 0);
        stateMachine.leaseGrant(7, 60, 0, recorder);
        commit();
        put("c", "x", 7);
        stateMachine.leaseRevoke(7, recorder);
        commit();
        assertEquals(7, stateMachine.revision());
    }

    private void put(final String key, final String value, final long lease)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(value.getBytes(StandardCharsets.UTF_8));
        stateMachine.put(Ops.put(bytes(key), buffer, 0, buffer.capacity(), lease, false, false, false), recorder);
        commit();
    }

    private void commit()
    {
        storage.commit(++position, stateMachine.revision());
    }

    private int publish(final Sink sink, final Watcher watcher, final int targetMessageBytes)
    {
        final List<byte[]> chunks = new ArrayList<>();
        final long to = history.readChunks(
            watcher.nextRevision, watcher.nextSubRevision, history.committedRevision(), 1 << 20, chunks);
        final WatchEventsPublisher publisher =
            new WatchEventsPublisher(history, 1, 0, () -> 0, targetMessageBytes, 1 << 20);
        return publisher.publish(sink, watcher, chunks, to, history.committedRevision(), 0);
    }

    private int publish(final Sink sink, final List<Watcher> watchers, final int targetMessageBytes)
    {
        final Watcher lead = watchers.get(0);
        final List<byte[]> chunks = new ArrayList<>();
        final long to = history.readChunks(
            lead.nextRevision, lead.nextSubRevision, history.committedRevision(), 1 << 20, chunks);
        final WatchEventsPublisher publisher =
            new WatchEventsPublisher(history, 1, 0, () -> 0, targetMessageBytes, 1 << 20);
        return publisher.publish(sink, watchers, chunks, to, history.committedRevision(), 0);
    }

    private static Watcher watcher(
        final byte[] key, final byte[] rangeEnd, final boolean prevKv, final boolean noPut, final boolean noDelete)
    {
        return watcher(1, key, rangeEnd, prevKv, noPut, noDelete);
    }

    private static Watcher watcher(
        final long watchId,
        final byte[] key,
        final byte[] rangeEnd,
        final boolean prevKv,
        final boolean noPut,
        final boolean noDelete)
    {
        return new Watcher(watchId, key, rangeEnd, prevKv, noPut, noDelete, false, 1, 0);
    }

    /**
     * Decodes what it takes into one line an event, until it has taken its count of messages.
     */
    private static final class Sink implements WatchEventsPublisher.MessageSink
    {
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final WatchEventsDecoder decoder = new WatchEventsDecoder();
        private final List<String> events = new ArrayList<>();
        private final List<Boolean> isFragment = new ArrayList<>();
        private final List<List<Long>> watchIds = new ArrayList<>();
        private int messagesLeft;

        Sink(final int messages)
        {
            this.messagesLeft = messages;
        }

        List<String> fragments()
        {
            final List<String> result = new ArrayList<>();
            isFragment.forEach(fragment -> result.add(fragment ? "fragment" : "whole"));
            return result;
        }

        public boolean offer(final DirectBuffer buffer, final int offset, final int length)
        {
            if (0 == messagesLeft)
            {
                return false;
            }
            messagesLeft--;
            decoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            isFragment.add(BooleanType.TRUE == decoder.fragment());
            for (final WatchEventsDecoder.EventsDecoder event : decoder.events())
            {
                final StringBuilder line = new StringBuilder();
                line.append(event.modRevision()).append(' ').append(event.changeType());
                final long createRevision = event.createRevision();
                final long version = event.version();
                final long lease = event.lease();
                String prev = "";
                for (final WatchEventsDecoder.EventsDecoder.PrevKvDecoder prevKv : event.prevKv())
                {
                    final long prevCreate = prevKv.createRevision();
                    final long prevVersion = prevKv.version();
                    final long prevLease = prevKv.lease();
                    final byte[] prevValue = new byte[prevKv.valueLength()];
                    prevKv.getValue(prevValue, 0, prevValue.length);
                    prev = "=" + utf8(prevValue) + " c" + prevCreate + " v" + prevVersion +
                        (0 == prevLease ? "" : " lease" + prevLease);
                }
                final byte[] keyBytes = new byte[event.keyLength()];
                event.getKey(keyBytes, 0, keyBytes.length);
                final byte[] valueBytes = new byte[event.valueLength()];
                event.getValue(valueBytes, 0, valueBytes.length);
                final String key = utf8(keyBytes);
                final String value = utf8(valueBytes);
                line.append(' ').append(key);
                if (!value.isEmpty() || "PUT".equals(event.changeType().name()))
                {
                    line.append('=').append(value).append(" c").append(createRevision).append(" v").append(version);
                    if (0 != lease)
                    {
                        line.append(" lease").append(lease);
                    }
                }
                if (!prev.isEmpty())
                {
                    line.append(" prev[").append(key).append(prev).append(']');
                }
                events.add(line.toString());
            }
            final List<Long> ids = new ArrayList<>(List.of(decoder.watchId()));
            decoder.alsoWatchIds().forEach(also -> ids.add(also.watchId()));
            watchIds.add(ids);
            return true;
        }

        private static String utf8(final byte[] bytes)
        {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public int maxMessageLength()
        {
            return 1 << 20;
        }
    }
}
