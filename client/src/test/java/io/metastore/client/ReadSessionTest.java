package io.metastore.client;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.RangeResponseEncoder;
import io.metastore.codecs.ReadConnectRequestDecoder;
import io.metastore.codecs.ReadConnectResponseEncoder;
import io.metastore.codecs.ReadKeepAliveRequestDecoder;
import io.metastore.codecs.ReadKeepAliveResponseEncoder;
import io.metastore.codecs.WatchCancelRequestDecoder;
import io.metastore.codecs.WatchCancelResponseEncoder;
import io.metastore.codecs.WatchCreateRequestDecoder;
import io.metastore.codecs.WatchCreateResponseEncoder;
import io.metastore.codecs.WatchEventsEncoder;
import io.metastore.protocol.Protocol;
import io.metastore.test.Tests;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read session over a real media driver, UDP on loopback, against fake members that answer as the protocol
 * says: what a member sees of the client, and how watches move when a member falls silent or never answers.
 */
class ReadSessionTest
{
    private static final long CLIENT_ID = 77;
    private static final long KEEPALIVE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long SILENCE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<String> delivered = new ArrayList<>();
    private final List<FakeMember> members = new ArrayList<>();
    private final WatchConductor watches = new WatchConductor(64, Runnable::run, errors::add);
    private final SeenRevision seenRevision = new SeenRevision();
    private final SerializableReads reads = new SerializableReads(
        CLIENT_ID, SILENCE_TIMEOUT_NS, 64, 64 * 1024, seenRevision, errors::add);
    private final ClientConductor conductor = TestConductors.conductor();
    private MediaDriver driver;
    private Aeron aeron;
    private ReadSession session;
    private String ingressEndpoints;

    @BeforeEach
    void before()
    {
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(CommonContext.getAeronDirectoryName() + "-metastore-read-test-" + UUID.randomUUID())
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(64 * 1024)
            .ipcTermBufferLength(64 * 1024)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        ingressEndpoints = "0=localhost:" + (freePort() - Protocol.READ_PORT_OFFSET) +
            ",1=localhost:" + (freePort() - Protocol.READ_PORT_OFFSET);
    }

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(session);
        CloseHelper.closeAll(members);
        CloseHelper.closeAll(aeron, driver);
    }

    @Test
    void shouldConnectToConfiguredMemberNamingResolvedChannelAndKeepSessionAlive()
    {
        final ReadEndpoints endpoints = ReadEndpoints.fromIngressEndpoints(ingressEndpoints);
        final FakeMember member0 = member(endpoints, 0);
        final FakeMember member1 = member(endpoints, 1);
        session = newSession(endpoints, 1);

        watches.newWatch(bytes("k"), new WatchOptions(), new DeliveredListener());
        awaitWork("a watch created on member 1", () -> 1 == member1.creates.size());
        awaitWork("keep-alives", () -> member1.keepAlives >= 3);

        assertEquals(1, session.sessionMemberId());
        assertTrue(member1.responseChannel.startsWith("aeron:udp?endpoint="), member1.responseChannel);
        assertFalse(member1.responseChannel.endsWith(":0"), "port resolved: " + member1.responseChannel);
        assertEquals(CLIENT_ID, member1.clientId);
        assertEquals(0, member0.connects);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldMoveWatchToNextMemberFromRevisionAfterLastDeliveredWhenMemberFallsSilent()
    {
        final ReadEndpoints endpoints = ReadEndpoints.fromIngressEndpoints(ingressEndpoints);
        final FakeMember member0 = member(endpoints, 0);
        final FakeMember member1 = member(endpoints, 1);
        session = newSession(endpoints, -1);
        watches.newWatch(bytes("k"), new WatchOptions().prefix().startRevision(5), new DeliveredListener());
        awaitWork("a watch created on member 0, the leader", () -> 1 == member0.creates.size());
        final long[] first = member0.creates.get(0);
        assertEquals(5, first[1]);

        member0.sendEvents(first[0], false, 5, "a");
        member0.sendEvents(first[0], true, 6, "b");
        awaitWork("revision 5 delivered", () -> delivered.size() == 1);
        member0.isSilent = true;

        awaitWork("the watch created on member 1", () -> 1 == member1.creates.size());
        final long[] second = member1.creates.get(0);
        assertEquals(6, second[1], "revision 6 was half received: asked for again whole");
        assertTrue(session.lastLossReason().startsWith("member 0 lost: nothing from it"), session.lastLossReason());
        assertEquals(1, session.sessionMemberId());

        member1.sendEvents(second[0], true, 6, "b");
        member1.sendEvents(second[0], false, 6, "c");
        member1.sendEvents(second[0], false, 7, "d");
        awaitWork("revisions 6 and 7 delivered", () -> delivered.size() == 3);

        assertEquals(List.of("5:a", "6:b,c", "7:d"), delivered);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldMoveToTheLeadersReadPortWhenTheOneMemberGivenFallsSilent()
    {
        final ReadEndpoints all = ReadEndpoints.fromIngressEndpoints(ingressEndpoints);
        final FakeMember leader = member(all, 0);
        final FakeMember follower = member(all, 1);
        // One plain endpoint, the follower's, numbered 0 as a lone endpoint is; the client sends to member 0, which
        // leads, at an endpoint it was not given.
        final String followerIngress = ingressEndpoints.substring(ingressEndpoints.indexOf(",1=") + 3);
        final String leaderIngress = ingressEndpoints.substring(2, ingressEndpoints.indexOf(','));
        final ReadEndpoints given = ReadEndpoints.fromIngressEndpoints("0=" + followerIngress);
        session = newSession(given, -1, () -> ReadEndpoints.readEndpoint(leaderIngress));

        watches.newWatch(bytes("k"), new WatchOptions().startRevision(5), new DeliveredListener());
        awaitWork("the watch created on the follower", () -> 1 == follower.creates.size());
        assertEquals(1, session.sessionMemberId(), "the id the member gave, not the numbering of the endpoint");
        follower.sendEvents(follower.creates.get(0)[0], false, 5, "a");
        awaitWork("revision 5 delivered", () -> delivered.size() == 1);
        follower.isSilent = true;

        awaitWork("the watch created on the leader", () -> 1 == leader.creates.size());
        assertEquals(6, leader.creates.get(0)[1]);
        assertEquals(0, session.sessionMemberId());
        assertTrue(session.lastLossReason().startsWith("member 1 lost: nothing from it"), session.lastLossReason());
        leader.sendEvents(leader.creates.get(0)[0], false, 6, "b");
        awaitWork("revision 6 delivered", () -> delivered.size() == 2);

        assertEquals(List.of("5:a", "6:b"), delivered);
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldMoveToNextMemberWhenFirstNeverAnswers()
    {
        final ReadEndpoints endpoints = ReadEndpoints.fromIngressEndpoints(ingressEndpoints);
        final FakeMember member1 = member(endpoints, 1);
        session = newSession(endpoints, 0);

        watches.newWatch(bytes("k"), new WatchOptions().startRevision(3), new DeliveredListener());
        awaitWork("the watch created on member 1", () -> 1 == member1.creates.size());

        assertEquals(3, member1.creates.get(0)[1]);
        assertTrue(session.lastLossReason().contains("read port not connected"), session.lastLossReason());
    }

    @Test
    void shouldOpenSessionForSerializableReadsAndSendThemTogetherToItsMemberStampedWithTheRevisionSeen()
    {
        final ReadEndpoints endpoints = ReadEndpoints.fromIngressEndpoints(ingressEndpoints);
        final FakeMember member0 = member(endpoints, 0);
        final FakeMember member1 = member(endpoints, 1);
        session = newSession(endpoints, 1);
        seenRevision.observe(150);

        final SerializableRange a = read(1, "a");
        final SerializableRange b = read(2, "b");
        awaitWork("both reads answered", () -> a.isDone() && b.isDone());

        assertEquals(List.of("1@150", "2@150"), member1.reads.stream().sorted().toList(),
            "taken before the session opened: sent together, stamped with the revision seen, above the member's");
        assertEquals(1, member1.readMessages);
        final RangeResult result = (RangeResult)a.join();
        assertEquals(1, result.header().memberId());
        assertEquals(150, result.header().revision());
        assertEquals("a", result.kvs().get(0).keyUtf8());
        assertEquals("b", ((RangeResult)b.join()).kvs().get(0).keyUtf8());
        assertEquals(150, seenRevision.get());
        assertEquals(0, member0.connects);
        assertEquals(0, reads.pendingCount());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldSendReadNotAnsweredAgainToTheNextMemberWhenTheMemberFallsSilent()
    {
        final ReadEndpoints endpoints = ReadEndpoints.fromIngressEndpoints(ingressEndpoints);
        final FakeMember member0 = member(endpoints, 0);
        final FakeMember member1 = member(endpoints, 1);
        member0.isAnsweringReads = false;
        member1.revision = 105;
        session = newSession(endpoints, 0);

        final SerializableRange read = read(7, "k");
        awaitWork("the read sent to member 0", () -> 1 == member0.reads.size());
        assertEquals(List.of("7@100"), member0.reads, "member 0's revision, from its connect, was seen");
        member0.revision = 110;
        awaitWork("a keep-alive answered by member 0 at revision 110", () -> 110 == seenRevision.get());
        member0.isSilent = true;
        awaitWork("the read answered by member 1", read::isDone);

        assertEquals(List.of("7@110"), member1.reads, "sent again, stamped with the revision seen since, above " +
            "the next member's: it must catch up first");
        final RangeResult result = (RangeResult)read.join();
        assertEquals(1, result.header().memberId());
        assertEquals(110, result.header().revision());
        assertTrue(session.lastLossReason().startsWith("member 0 lost: nothing from it"), session.lastLossReason());
        assertEquals(List.of(), errors);
    }

    /**
     * As the conductor does with a serializable read it takes from the ring.
     */
    private SerializableRange read(final long correlationId, final String key)
    {
        final RangeOptions options = new RangeOptions().serializable(true);
        final SerializableRange read = new SerializableRange(
            conductor, Long.MAX_VALUE, correlationId, Long.MAX_VALUE, bytes(key), new byte[0], options);
        final ExpandableArrayBuffer request = new ExpandableArrayBuffer(64);
        new RequestEncoder().encodeRange(request, 0, correlationId, CLIENT_ID, bytes(key), new byte[0], options);
        reads.onRequest(read, request, 0, read.length());

        return read;
    }

    private ReadSession newSession(final ReadEndpoints endpoints, final int readMemberId)
    {
        return newSession(endpoints, readMemberId, () -> null);
    }

    private ReadSession newSession(
        final ReadEndpoints endpoints, final int readMemberId, final Supplier<String> leaderReadEndpoint)
    {
        return new ReadSession(
            aeron,
            CLIENT_ID,
            endpoints,
            readMemberId,
            () -> 0,
            leaderReadEndpoint,
            "aeron:udp?endpoint=localhost:0",
            Protocol.READ_RESPONSE_STREAM_ID,
            KEEPALIVE_INTERVAL_NS,
            SILENCE_TIMEOUT_NS,
            watches,
            reads,
            errors::add);
    }

    private FakeMember member(final ReadEndpoints endpoints, final int index)
    {
        final FakeMember member = new FakeMember(aeron, endpoints.memberId(index), endpoints.channel(index));
        members.add(member);
        return member;
    }

    private void awaitWork(final String what, final BooleanSupplier condition)
    {
        Tests.await(what, () ->
        {
            session.doWork(System.nanoTime());
            for (final FakeMember member : members)
            {
                member.poll();
            }
            return condition.getAsBoolean();
        });
    }

    private static int freePort()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private final class DeliveredListener implements WatchListener
    {
        @Override
        public void onEvents(final WatchEvents events)
        {
            final StringBuilder sb = new StringBuilder().append(events.revision()).append(':');
            for (int i = 0; i < events.events().size(); i++)
            {
                sb.append(i > 0 ? "," : "").append(events.events().get(i).kv().keyUtf8());
            }
            delivered.add(sb.toString());
        }
    }

    /**
     * A member's read port as the protocol describes it, polled by the test's thread.
     */
    private static final class FakeMember implements FragmentHandler, AutoCloseable
    {
        final List<long[]> creates = new ArrayList<>();
        final List<Long> cancels = new ArrayList<>();
        final List<String> reads = new ArrayList<>();
        int readMessages;
        boolean isAnsweringReads = true;
        int connects;
        int keepAlives;
        long clientId;
        String responseChannel;
        boolean isSilent;

        private final Aeron aeron;
        private final int memberId;
        private final Subscription subscription;
        private final ArrayDeque<byte[]> replies = new ArrayDeque<>();
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        private final ExpandableArrayBuffer readReplies = new ExpandableArrayBuffer(1024);
        private final RangeRequestDecoder rangeDecoder = new RangeRequestDecoder();
        private ExclusivePublication responses;
        long revision = 100;

        FakeMember(final Aeron aeron, final int memberId, final String readChannel)
        {
            this.aeron = aeron;
            this.memberId = memberId;
            this.subscription = aeron.addSubscription(readChannel, Protocol.READ_STREAM_ID);
        }

        void poll()
        {
            if (isSilent)
            {
                return;
            }

            subscription.poll(this, 10);
            while (null != responses && !replies.isEmpty())
            {
                final byte[] reply = replies.peek();
                if (responses.offer(new UnsafeBuffer(reply), 0, reply.length) < 0)
                {
                    break;
                }
                replies.poll();
            }
        }

        void sendEvents(final long watchId, final boolean fragment, final long revision, final String key)
        {
            final WatchEventsEncoder encoder = new WatchEventsEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder);
            encoder.header().memberId(memberId).revision(revision);
            encoder.watchId(watchId).fragment(fragment ? BooleanType.TRUE : BooleanType.FALSE);
            final WatchEventsEncoder.EventsEncoder events = encoder.eventsCount(1);
            events.next().changeType(ChangeType.PUT).createRevision(revision).modRevision(revision).version(1)
                .lease(0).prevKvCount(0);
            events.putKey(bytes(key), 0, key.length()).putValue(bytes("v"), 0, 1);
            reply(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        }

        /**
         * Serializable reads come several to a message, answered together; the session's own requests one each.
         */
        @Override
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            headerDecoder.wrap(buffer, offset);
            if (RangeRequestDecoder.TEMPLATE_ID != headerDecoder.templateId())
            {
                onSessionRequest(buffer, offset);
                return;
            }

            readMessages++;
            int cursor = offset;
            int replyLength = 0;
            while (cursor < offset + length)
            {
                rangeDecoder.wrapAndApplyHeader(buffer, cursor, headerDecoder);
                final long correlationId = rangeDecoder.header().correlationId();
                final long minRevision = rangeDecoder.minRevision();
                reads.add(correlationId + "@" + minRevision);
                final byte[] key = new byte[rangeDecoder.keyLength()];
                rangeDecoder.getKey(key, 0, key.length);
                rangeDecoder.skipRangeEnd();
                cursor = rangeDecoder.limit();

                final RangeResponseEncoder encoder = new RangeResponseEncoder()
                    .wrapAndApplyHeader(readReplies, replyLength, headerEncoder);
                encoder.header().correlationId(correlationId).memberId(memberId)
                    .revision(Math.max(revision, minRevision));
                encoder.count(1).more(BooleanType.FALSE);
                encoder.kvsCount(1).next().createRevision(2).modRevision(2).version(1).lease(0)
                    .putKey(key, 0, key.length).putValue(bytes("v"), 0, 1);
                replyLength += MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
            }

            if (isAnsweringReads)
            {
                final byte[] reply = new byte[replyLength];
                readReplies.getBytes(0, reply);
                replies.add(reply);
            }
        }

        private void onSessionRequest(final DirectBuffer buffer, final int offset)
        {
            switch (headerDecoder.templateId())
            {
                case ReadConnectRequestDecoder.TEMPLATE_ID ->
                {
                    final ReadConnectRequestDecoder decoder = new ReadConnectRequestDecoder()
                        .wrapAndApplyHeader(buffer, offset, headerDecoder);
                    connects++;
                    clientId = decoder.header().clientId();
                    final long correlationId = decoder.header().correlationId();
                    final int streamId = decoder.responseStreamId();
                    final String channel = decoder.responseChannel();
                    if (!channel.equals(responseChannel))
                    {
                        CloseHelper.close(responses);
                        responseChannel = channel;
                        responses = aeron.addExclusivePublication(channel, streamId);
                    }
                    final ReadConnectResponseEncoder encoder = new ReadConnectResponseEncoder()
                        .wrapAndApplyHeader(this.buffer, 0, headerEncoder);
                    encoder.header().correlationId(correlationId).memberId(memberId).revision(revision);
                    encoder.compactRevision(0);
                    reply(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
                }
                case ReadKeepAliveRequestDecoder.TEMPLATE_ID ->
                {
                    keepAlives++;
                    final long correlationId = new ReadKeepAliveRequestDecoder()
                        .wrapAndApplyHeader(buffer, offset, headerDecoder).header().correlationId();
                    final ReadKeepAliveResponseEncoder encoder = new ReadKeepAliveResponseEncoder()
                        .wrapAndApplyHeader(this.buffer, 0, headerEncoder);
                    encoder.header().correlationId(correlationId).memberId(memberId).revision(revision);
                    reply(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
                }
                case WatchCreateRequestDecoder.TEMPLATE_ID ->
                {
                    final WatchCreateRequestDecoder decoder = new WatchCreateRequestDecoder()
                        .wrapAndApplyHeader(buffer, offset, headerDecoder);
                    final long correlationId = decoder.header().correlationId();
                    final long watchId = decoder.watchId();
                    final long startRevision = decoder.startRevision();
                    creates.add(new long[]{ watchId, startRevision });
                    final WatchCreateResponseEncoder encoder = new WatchCreateResponseEncoder()
                        .wrapAndApplyHeader(this.buffer, 0, headerEncoder);
                    encoder.header().correlationId(correlationId).memberId(memberId).revision(revision);
                    encoder.watchId(watchId).startRevision(0 == startRevision ? revision + 1 : startRevision);
                    reply(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
                }
                case WatchCancelRequestDecoder.TEMPLATE_ID ->
                {
                    final WatchCancelRequestDecoder decoder = new WatchCancelRequestDecoder()
                        .wrapAndApplyHeader(buffer, offset, headerDecoder);
                    final long correlationId = decoder.header().correlationId();
                    cancels.add(decoder.watchId());
                    final WatchCancelResponseEncoder encoder = new WatchCancelResponseEncoder()
                        .wrapAndApplyHeader(this.buffer, 0, headerEncoder);
                    encoder.header().correlationId(correlationId).memberId(memberId).revision(revision);
                    encoder.watchId(decoder.watchId());
                    reply(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
                }
                default -> throw new IllegalStateException("unexpected template " + headerDecoder.templateId());
            }
        }

        @Override
        public void close()
        {
            CloseHelper.closeAll(responses, subscription);
        }

        private void reply(final int length)
        {
            final byte[] reply = new byte[length];
            buffer.getBytes(0, reply);
            replies.add(reply);
        }
    }
}
