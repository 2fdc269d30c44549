package io.metastore.node;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.metastore.client.MetaStoreClient;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.HashKvRequestEncoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.RangeRequestEncoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.ReadConnectRequestEncoder;
import io.metastore.codecs.ReadConnectResponseDecoder;
import io.metastore.codecs.ReadKeepAliveRequestEncoder;
import io.metastore.codecs.ReadKeepAliveResponseDecoder;
import io.metastore.codecs.SortOrder;
import io.metastore.codecs.WatchCancelRequestEncoder;
import io.metastore.codecs.WatchCreateRequestEncoder;
import io.metastore.codecs.WatchCreateResponseDecoder;
import io.metastore.codecs.WatchEventsDecoder;
import io.metastore.protocol.Protocol;
import io.metastore.test.Tests;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw bytes sent to a member's read port, what it sends back read raw, below the client's own checks. Bad bytes:
 * each request that names a session gets an error response with a code, bytes that name none are dropped, and the
 * port goes on serving watches and reads, the member logging nothing. Watches behind the tail, caught up from the
 * history: each is sent exactly the revisions from its start, once each, in order (the client would drop a
 * duplicate).
 */
@Timeout(120)
class ReadPortProtocolTest
{
    private static final long CLIENT_ID = 42;
    private static final int RESPONSE_STREAM_ID = 7777;

    @TempDir
    File tempDir;

    private TestCluster cluster;
    private Aeron aeron;
    private ExclusivePublication publication;
    private Subscription subscription;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final List<String> answers = new ArrayList<>();
    private final Map<Long, List<Long>> eventRevisions = new HashMap<>();
    private final List<List<Long>> eventMessageWatchIds = new ArrayList<>();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onAnswer);

    @AfterEach
    void after()
    {
        CloseHelper.quietCloseAll(subscription, publication, aeron);
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldAnswerBadRequestsWithErrorsAndKeepServing()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        client.put("k", "v");
        connectRaw();

        final List<byte[]> bad = new ArrayList<>();
        bad.add(watch(101, 1, "", "", 0, 0));
        bad.add(watch(102, 2, "b", "a", 0, 0));
        bad.add(watch(103, 3, "k", "", 0, 0xF0));
        bad.add(watch(104, 4, "k", "", -5, 0));
        bad.add(cancel(105, 999));
        final byte[] truncated = watch(106, 6, "k", "", 0, 0);
        bad.add(Arrays.copyOf(truncated, truncated.length - 1));
        final byte[] unknownTemplate = keepAlive(107);
        new UnsafeBuffer(unknownTemplate).putShort(2, (short)999);
        bad.add(unknownTemplate);
        final byte[] wrongSchema = keepAlive(108);
        new UnsafeBuffer(wrongSchema).putShort(4, (short)1);
        bad.add(wrongSchema);
        bad.add(range(109, "k", "", 5));
        bad.add(range(110, "b", "a", 0));
        bad.add(watch(111, 11, "k".repeat(5000), "", 0, 0));
        final byte[] unknownSortOrder = range(112, "k", "", 0);
        unknownSortOrder[MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.sortOrderEncodingOffset()] = 7;
        bad.add(unknownSortOrder);
        bad.add(hashKv(113, -1));
        bad.add(hashKv(114, 1000));
        final byte[] truncatedHash = hashKv(115, 0);
        bad.add(Arrays.copyOf(truncatedHash, truncatedHash.length - 1));
        bad.forEach(this::send);
        final Random random = new Random(7);
        for (int i = 0; i < 30; i++)
        {
            final byte[] garbage = new byte[1 + random.nextInt(60)];
            random.nextBytes(garbage);
            send(garbage);
        }

        send(keepAlive(200));
        awaitAnswers(1 + bad.size() + 1);
        assertEquals(List.of(
            "101 " + ErrorCode.EMPTY_KEY,
            "102 " + ErrorCode.INVALID_RANGE,
            "103 " + ErrorCode.UNKNOWN_FLAGS,
            "104 " + ErrorCode.INVALID_ARGUMENT,
            "105 " + ErrorCode.WATCH_NOT_FOUND,
            "106 " + ErrorCode.MALFORMED,
            "107 " + ErrorCode.UNKNOWN_TEMPLATE,
            "108 " + ErrorCode.UNSUPPORTED_SCHEMA,
            "109 " + ErrorCode.INVALID_ARGUMENT,
            "110 " + ErrorCode.INVALID_RANGE,
            "111 " + ErrorCode.KEY_TOO_LARGE,
            "112 " + ErrorCode.INVALID_ARGUMENT,
            "113 " + ErrorCode.INVALID_ARGUMENT,
            "114 " + ErrorCode.FUTURE_REVISION,
            "115 " + ErrorCode.MALFORMED,
            "200 keep-alive"), answers.subList(1, answers.size()));

        send(watch(300, 30, "k", "", 0, 0));
        send(watch(301, 30, "k", "", 0, 0));
        send(range(302, "k", "", 0));
        awaitAnswers(1 + bad.size() + 1 + 3);
        assertEquals(List.of("300 watch 30", "301 " + ErrorCode.INVALID_ARGUMENT, "302 range 1"),
            answers.subList(answers.size() - 3, answers.size()));
        assertEquals("v", client.get("k").kvs().get(0).valueUtf8());
        cluster.assertNoErrors();
    }

    @Test
    void shouldSendEachWatchBehindTheTailExactlyItsRevisionsOnceEachInOrder()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        // 1 KiB values: the history past the first start is many times what the read port reads for a laggard at once.
        final byte[] value = new byte[1024];
        final long first = client.put("c/0".getBytes(StandardCharsets.UTF_8), value).header().revision();
        for (int i = 1; i < 2000; i++)
        {
            client.put(("c/" + i % 100).getBytes(StandardCharsets.UTF_8), value);
        }
        connectRaw();

        final long[] starts = { first, first + 700, first + 1300, first + 1300, first + 1999, first + 2000 };
        for (int i = 0; i < starts.length; i++)
        {
            send(watch(10 + i, 1 + i, "c/", "c0", starts[i], 0));
        }
        for (int i = 2000; i < 2300; i++)
        {
            client.put(("c/" + i % 100).getBytes(StandardCharsets.UTF_8), value);
        }

        final long last = first + 2299;
        for (int i = 0; i < starts.length; i++)
        {
            final long watchId = 1 + i;
            final int count = (int)(last - starts[i] + 1);
            Tests.await(count + " events of watch " + watchId, () ->
            {
                subscription.poll(assembler, 10);
                return eventRevisions.getOrDefault(watchId, List.of()).size() >= count;
            });
            assertEquals(describe(LongStream.rangeClosed(starts[i], last).boxed().toList()),
                describe(eventRevisions.get(watchId)), "watch " + watchId);
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldSendWatchesOfASessionThatSelectAlikeEachMessageOnceNamingThemAll()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        final long first = client.put("s/0".getBytes(StandardCharsets.UTF_8), new byte[100]).header().revision();
        connectRaw();

        // 1-3 alike from the next revision, 4 with prevKv, 5 with no deletes (alike in what it gets, not in what it
        // asks), 6 alike but from the past: caught up from the history, it joins them at the tail.
        send(watch(10, 1, "s/", "s0", 0, 0));
        send(watch(11, 2, "s/", "s0", 0, 0));
        send(watch(12, 3, "s/", "s0", 0, 0));
        send(watch(13, 4, "s/", "s0", 0, 0b001));
        send(watch(14, 5, "s/", "s0", 0, 0b100));
        send(watch(15, 6, "s/", "s0", first, 0));
        awaitAnswers(7);
        for (int i = 1; i <= 600; i++)
        {
            client.put(("s/" + i % 50).getBytes(StandardCharsets.UTF_8), new byte[100]);
        }

        final long last = first + 600;
        for (long watchId = 1; watchId <= 6; watchId++)
        {
            final long start = 6 == watchId ? first : first + 1;
            final int count = (int)(last - start + 1);
            final long id = watchId;
            Tests.await(count + " events of watch " + watchId, () ->
            {
                subscription.poll(assembler, 10);
                return eventRevisions.getOrDefault(id, List.of()).size() >= count;
            });
            assertEquals(describe(LongStream.rangeClosed(start, last).boxed().toList()),
                describe(eventRevisions.get(watchId)), "watch " + watchId);
        }
        // The watches each message is for, without repeats: 6 alone until it has caught up.
        final Set<Set<Long>> sharing = new HashSet<>();
        eventMessageWatchIds.forEach(watchIds -> sharing.add(Set.copyOf(watchIds)));
        assertTrue(sharing.contains(Set.of(1L, 2L, 3L, 6L)), sharing::toString);
        assertTrue(Set.of(Set.of(1L, 2L, 3L, 6L), Set.of(1L, 2L, 3L), Set.of(6L), Set.of(4L), Set.of(5L))
            .containsAll(sharing), sharing::toString);
        eventMessageWatchIds.forEach(watchIds -> assertEquals(watchIds.size(), Set.copyOf(watchIds).size()));
        cluster.assertNoErrors();
    }

    @Test
    void shouldSendAClientOfAnEarlierSchemaEachWatchItsOwnMessages()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        final long first = client.put("s/0".getBytes(StandardCharsets.UTF_8), new byte[100]).header().revision();
        connectRaw(WatchEventsDecoder.alsoWatchIdsDecoderSinceVersion() - 1);

        send(watch(10, 1, "s/", "s0", 0, 0));
        send(watch(11, 2, "s/", "s0", 0, 0));
        awaitAnswers(3);
        for (int i = 1; i <= 100; i++)
        {
            client.put(("s/" + i % 50).getBytes(StandardCharsets.UTF_8), new byte[100]);
        }

        for (long watchId = 1; watchId <= 2; watchId++)
        {
            final long id = watchId;
            Tests.await("100 events of watch " + watchId, () ->
            {
                subscription.poll(assembler, 10);
                return eventRevisions.getOrDefault(id, List.of()).size() >= 100;
            });
            assertEquals(describe(LongStream.rangeClosed(first + 1, first + 100).boxed().toList()),
                describe(eventRevisions.get(watchId)), "watch " + watchId);
        }
        assertTrue(eventMessageWatchIds.stream().allMatch(watchIds -> 1 == watchIds.size()));
        cluster.assertNoErrors();
    }

    @Test
    void shouldTellAClientOfANewerSchemaThatItIsTooNewRatherThanLeaveItWaiting()
    {
        cluster = TestCluster.start(tempDir, 1);
        openRaw();

        send(connect(1, ReadConnectRequestEncoder.SCHEMA_VERSION + 1));

        awaitAnswers(1);
        assertEquals("1 UNSUPPORTED_SCHEMA", answers.get(0));
        cluster.assertNoErrors();
    }

    /**
     * @return first and last revision, how many, and how many are not one above the one before: short, for a failure.
     */
    private static String describe(final List<Long> revisions)
    {
        int outOfOrder = 0;
        for (int i = 1; i < revisions.size(); i++)
        {
            outOfOrder += revisions.get(i) == revisions.get(i - 1) + 1 ? 0 : 1;
        }
        return revisions.get(0) + ".." + revisions.get(revisions.size() - 1) + ": " + revisions.size() +
            " revisions, " + outOfOrder + " not following the one before";
    }

    private void connectRaw()
    {
        connectRaw(ReadConnectRequestEncoder.SCHEMA_VERSION);
    }

    private void connectRaw(final int version)
    {
        openRaw();
        send(connect(1, version));
        awaitAnswers(1);
        assertEquals("1 connected", answers.get(0));
    }

    private void openRaw()
    {
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(cluster.node(0).context().aeronDirectoryName()));
        subscription = aeron.addSubscription("aeron:ipc", RESPONSE_STREAM_ID);
        publication = aeron.addExclusivePublication("aeron:ipc", Protocol.READ_STREAM_ID);
        Tests.await("the read port", publication::isConnected);
    }

    private void onAnswer(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int at = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (headerDecoder.templateId())
        {
            case ErrorResponseDecoder.TEMPLATE_ID ->
            {
                final ErrorResponseDecoder error = new ErrorResponseDecoder().wrap(buffer, at, blockLength, version);
                answers.add(error.header().correlationId() + " " + error.code());
            }
            case ReadConnectResponseDecoder.TEMPLATE_ID -> answers.add(
                new ReadConnectResponseDecoder().wrap(buffer, at, blockLength, version).header().correlationId() +
                " connected");
            case WatchCreateResponseDecoder.TEMPLATE_ID ->
            {
                final WatchCreateResponseDecoder created =
                    new WatchCreateResponseDecoder().wrap(buffer, at, blockLength, version);
                answers.add(created.header().correlationId() + " watch " + created.watchId());
            }
            case RangeResponseDecoder.TEMPLATE_ID ->
            {
                final RangeResponseDecoder range = new RangeResponseDecoder().wrap(buffer, at, blockLength, version);
                answers.add(range.header().correlationId() + " range " + range.count());
            }
            case ReadKeepAliveResponseDecoder.TEMPLATE_ID -> answers.add(buffer.getLong(at) + " keep-alive");
            case WatchEventsDecoder.TEMPLATE_ID ->
            {
                final WatchEventsDecoder watchEvents = new WatchEventsDecoder().wrap(buffer, at, blockLength, version);
                final List<Long> revisions = new ArrayList<>();
                for (final WatchEventsDecoder.EventsDecoder event : watchEvents.events())
                {
                    revisions.add(event.modRevision());
                    for (final WatchEventsDecoder.EventsDecoder.PrevKvDecoder prevKv : event.prevKv())
                    {
                        prevKv.skipValue();
                    }
                    event.skipKey();
                    event.skipValue();
                }
                // The message is for its watch and for each other it names.
                final List<Long> watchIds = new ArrayList<>(List.of(watchEvents.watchId()));
                watchEvents.alsoWatchIds().forEach(also -> watchIds.add(also.watchId()));
                eventMessageWatchIds.add(watchIds);
                watchIds.forEach(watchId ->
                    eventRevisions.computeIfAbsent(watchId, id -> new ArrayList<>()).addAll(revisions));
            }
            default ->
            {
                // Progress is not what these tests count.
            }
        }
    }

    private void awaitAnswers(final int count)
    {
        Tests.await(count + " answers", () ->
        {
            subscription.poll(assembler, 10);
            return answers.size() >= count;
        });
    }

    private void send(final byte[] message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        Tests.await("an offer to the read port", () -> publication.offer(buffer, 0, message.length) > 0);
    }

    private byte[] hashKv(final long correlationId, final long revision)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HashKvRequestEncoder encoder = new HashKvRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).revision(revision).header()
            .correlationId(correlationId).clientId(CLIENT_ID).sequence(correlationId);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] connect(final long correlationId)
    {
        return connect(correlationId, ReadConnectRequestEncoder.SCHEMA_VERSION);
    }

    private byte[] connect(final long correlationId, final int version)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ReadConnectRequestEncoder encoder = new ReadConnectRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header()
            .correlationId(correlationId).clientId(CLIENT_ID).sequence(correlationId);
        headerEncoder.version(version);
        encoder.responseStreamId(RESPONSE_STREAM_ID).responseChannel("aeron:ipc");
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] keepAlive(final long correlationId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final ReadKeepAliveRequestEncoder encoder = new ReadKeepAliveRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header()
            .correlationId(correlationId).clientId(CLIENT_ID).sequence(correlationId);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] cancel(final long correlationId, final long watchId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final WatchCancelRequestEncoder encoder = new WatchCancelRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header()
            .correlationId(correlationId).clientId(CLIENT_ID).sequence(correlationId);
        encoder.watchId(watchId);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] watch(
        final long correlationId,
        final long watchId,
        final String key,
        final String rangeEnd,
        final long startRevision,
        final int flags)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 * 1024]);
        final WatchCreateRequestEncoder encoder = new WatchCreateRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header()
            .correlationId(correlationId).clientId(CLIENT_ID).sequence(correlationId);
        encoder.watchId(watchId).startRevision(startRevision);
        buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + WatchCreateRequestEncoder.flagsEncodingOffset(),
            (byte)flags);
        final byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        final byte[] rangeEndBytes = rangeEnd.getBytes(StandardCharsets.UTF_8);
        encoder.putKey(keyBytes, 0, keyBytes.length).putRangeEnd(rangeEndBytes, 0, rangeEndBytes.length);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] range(final long correlationId, final String key, final String rangeEnd, final long revision)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final RangeRequestEncoder encoder = new RangeRequestEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).header()
            .correlationId(correlationId).clientId(CLIENT_ID).sequence(correlationId);
        encoder.keyLimit(0).revision(revision).sortOrder(SortOrder.NONE).minRevision(0);
        final byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        final byte[] rangeEndBytes = rangeEnd.getBytes(StandardCharsets.UTF_8);
        encoder.putKey(keyBytes, 0, keyBytes.length).putRangeEnd(rangeEndBytes, 0, rangeEndBytes.length);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
