package io.metastore.client;

import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.RangeResponseEncoder;
import io.metastore.codecs.SortOrder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serializable reads on the I/O thread, with a fake publication: what each message offered to the read session holds,
 * when a read is sent again, and how reads complete and fail.
 */
class SerializableReadsTest
{
    private static final long CLIENT_ID = 9;
    private static final int MEMBER_ID = 2;
    private static final int MAX_MESSAGE_LENGTH = 8 * 1024;
    private static final long RESEND_INTERVAL_NS = 1000;

    private final ClientConductor conductor = TestConductors.conductor();
    private final SeenRevision seenRevision = new SeenRevision();
    private final List<Throwable> errors = new ArrayList<>();
    private final SerializableReads reads = new SerializableReads(
        CLIENT_ID, RESEND_INTERVAL_NS, 3, 64 * 1024, seenRevision, errors::add);
    private final RequestEncoder encoder = new RequestEncoder();
    private final ExpandableArrayBuffer ring = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer responses = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final List<UnsafeBuffer> offered = new ArrayList<>();
    private final List<List<Integer>> requestOffsets = new ArrayList<>();
    private boolean isOfferRefused;

    @Test
    void shouldGoToTheReadSessionOnlySerializableAtTheLatestRevision()
    {
        assertTrue(new RangeOptions().serializable(true).isForReadSession());
        assertFalse(new RangeOptions().serializable(true).revision(5).isForReadSession(), "a past revision: the log");
        assertFalse(new RangeOptions().isForReadSession(), "linearizable by default");
        assertFalse(new RangeOptions().serializable(true).serializable(false).isForReadSession());
    }

    @Test
    void shouldSendReadsOfACycleInOneMessageStampedWithTheHighestRevisionSeen()
    {
        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        seenRevision.observe(45);
        take(1, "a");
        take(2, "b");
        seenRevision.observe(40);

        assertEquals(1, reads.doWork(this::offer, 0));

        assertEquals(1, offered.size());
        assertEquals(List.of("1:a@45", "2:b@45"), requests(0));
        assertEquals(2, reads.pendingCount());
        assertTrue(reads.isSessionWanted());
    }

    @Test
    void shouldBoundAMessageByCountLeavingTheRestInTheRing()
    {
        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        take(1, "a");
        take(2, "b");
        take(3, "c");

        assertFalse(reads.hasRoomFor(RequestEncoder.rangeLength(bytes("d"), new byte[0])));
        reads.doWork(this::offer, 0);
        assertTrue(reads.hasRoomFor(RequestEncoder.rangeLength(bytes("d"), new byte[0])));
    }

    @Test
    void shouldKeepReadsTakenWithNoSessionAndSendThemEncodedAnewOnceOneOpens()
    {
        take(1, "a");
        assertTrue(reads.isSessionWanted(), "the first read opens the session");
        assertEquals(0, reads.doWork(this::offer, 0));
        seenRevision.observe(7);

        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        reads.doWork(this::offer, 0);

        assertEquals(List.of("1:a@7"), requests(0));
        final RangeRequestDecoder decoder = decode(0, 0);
        assertEquals(CLIENT_ID, decoder.header().clientId());
        assertEquals(10, decoder.keyLimit());
        assertEquals(0, decoder.revision());
        assertEquals(SortOrder.DESCEND, decoder.sortOrder());
        assertTrue(decoder.flags().keysOnly());
    }

    @Test
    void shouldSendReadsNotAnsweredAgainWhenTheSessionIsLostAndCompleteThemOnce()
    {
        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        final SerializableRange answered = take(1, "a");
        final SerializableRange unanswered = take(2, "b");
        reads.doWork(this::offer, 0);
        final int length = rangeResponse(0, 1, 60);
        assertEquals(length, reads.onResponse(responses, 0));
        assertEquals(60, ((RangeResult)answered.join()).header().revision());

        reads.onSessionLost();
        reads.onSessionOpened(MEMBER_ID + 1, MAX_MESSAGE_LENGTH);
        reads.doWork(this::offer, 0);

        assertEquals(List.of("2:b@60"), requests(1), "sent again, never older than what was seen meanwhile");
        assertFalse(unanswered.isDone());
        rangeResponse(0, 2, 61);
        reads.onResponse(responses, 0);
        assertEquals(61, ((RangeResult)unanswered.join()).header().revision());
        assertEquals(0, reads.pendingCount());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldSendAgainTheReadsOfAMessageNotOffered()
    {
        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        take(1, "a");
        isOfferRefused = true;
        assertEquals(0, reads.doWork(this::offer, 0));
        take(2, "b");

        isOfferRefused = false;
        reads.doWork(this::offer, 0);

        assertEquals(1, offered.size());
        assertEquals(List.of("1:a@0", "2:b@0"), requests(0).stream().sorted().toList());
    }

    @Test
    void shouldSendAgainToTheSameMemberAReadNotAnsweredWithinTheResendInterval()
    {
        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        final SerializableRange read = take(1, "a");
        reads.doWork(this::offer, 500);

        reads.expire(500 + RESEND_INTERVAL_NS - 1);
        assertEquals(0, reads.doWork(this::offer, 500 + RESEND_INTERVAL_NS - 1));
        seenRevision.observe(3);
        reads.expire(500 + RESEND_INTERVAL_NS);
        reads.doWork(this::offer, 500 + RESEND_INTERVAL_NS);

        assertEquals(2, offered.size());
        assertEquals(List.of("1:a@3"), requests(1), "its answer may have been lost");
        rangeResponse(0, 1, 5);
        reads.onResponse(responses, 0);
        rangeResponse(0, 1, 5);
        reads.onResponse(responses, 0);
        assertEquals(5, ((RangeResult)read.join()).header().revision());
        assertEquals(List.of(), errors, "a second answer is passed over");
    }

    @Test
    void shouldFailReadRefusedAsMemberBehindRetryably()
    {
        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        final SerializableRange read = take(1, "a");
        reads.doWork(this::offer, 0);

        final ErrorResponseEncoder error = new ErrorResponseEncoder().wrapAndApplyHeader(responses, 0, headerEncoder);
        error.header().correlationId(1).memberId(MEMBER_ID).revision(30);
        error.code(ErrorCode.MEMBER_BEHIND).compactRevision(0).message("applied 30, asked for 45");
        reads.onResponse(responses, 0);

        final CompletionException ex = assertThrows(CompletionException.class, read::join);
        assertInstanceOf(MemberBehindException.class, ex.getCause());
        assertTrue(((MetaStoreException)ex.getCause()).isRetryable());
    }

    @Test
    void shouldFailReadsPastTheirDeadlineSaidSentOrNot()
    {
        final SerializableRange waiting = take(1, "a", 100);
        reads.onSessionOpened(MEMBER_ID, MAX_MESSAGE_LENGTH);
        final SerializableRange sent = take(2, "b", 100);
        reads.doWork(this::offer, 0);

        assertEquals(0, reads.expire(99));
        assertEquals(2, reads.expire(100));

        final CompletionException notSent = assertThrows(CompletionException.class, waiting::join);
        assertInstanceOf(MetaStoreTimeoutException.class, notSent.getCause());
        final CompletionException sentEx = assertThrows(CompletionException.class, sent::join);
        assertTrue(sentEx.getCause().getMessage().contains("sent to member " + MEMBER_ID),
            sentEx.getCause().getMessage());
        assertEquals(0, reads.pendingCount());
    }

    @Test
    void shouldFailAReadTooLargeForAMessageAloneAndSendTheOthers()
    {
        final SerializableRange large = take(1, "x".repeat(200));
        take(2, "b");
        reads.onSessionOpened(MEMBER_ID, 150);
        reads.doWork(this::offer, 0);

        final CompletionException ex = assertThrows(CompletionException.class, large::join);
        assertTrue(ex.getCause().getMessage().contains("exceeds the largest message"), ex.getCause().getMessage());
        assertEquals(List.of("2:b@0"), requests(0));
    }

    private SerializableRange take(final long correlationId, final String key)
    {
        return take(correlationId, key, Long.MAX_VALUE);
    }

    /**
     * As the conductor does with a read it reads from the ring: the read encoded by its caller, handed over.
     */
    private SerializableRange take(final long correlationId, final String key, final long deadlineNs)
    {
        final RangeOptions options = new RangeOptions().limit(10).sortOrder(SortOrder.DESCEND).keysOnly(true)
            .serializable(true);
        final byte[] keyBytes = bytes(key);
        final byte[] rangeEnd = options.rangeEndFor(keyBytes);
        final SerializableRange read = new SerializableRange(
            conductor, Long.MAX_VALUE, correlationId, deadlineNs, keyBytes, rangeEnd, options);
        final int length = RequestEncoder.rangeLength(keyBytes, rangeEnd);
        encoder.encodeRange(ring, 0, correlationId, CLIENT_ID, keyBytes, rangeEnd, options);
        reads.onRequest(read, ring, 0, length);

        return read;
    }

    /**
     * The read session's publication: keeps each message offered, and where each request in it starts.
     */
    private boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (isOfferRefused)
        {
            return false;
        }

        final UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
        message.putBytes(0, buffer, offset, length);
        final List<Integer> offsets = new ArrayList<>();
        int cursor = 0;
        while (cursor < length)
        {
            offsets.add(cursor);
            final RangeRequestDecoder decoder =
                new RangeRequestDecoder().wrapAndApplyHeader(message, cursor, new MessageHeaderDecoder());
            decoder.skipKey();
            decoder.skipRangeEnd();
            cursor = decoder.limit();
        }
        assertEquals(length, cursor, "whole requests back to back");
        offered.add(message);
        requestOffsets.add(offsets);

        return true;
    }

    private RangeRequestDecoder decode(final int message, final int index)
    {
        return new RangeRequestDecoder().wrapAndApplyHeader(
            offered.get(message), requestOffsets.get(message).get(index), new MessageHeaderDecoder());
    }

    /**
     * @return each request of a message offered: {@code correlationId:key@minRevision}.
     */
    private List<String> requests(final int message)
    {
        final List<String> texts = new ArrayList<>();
        for (int i = 0; i < requestOffsets.get(message).size(); i++)
        {
            final RangeRequestDecoder decoder = decode(message, i);
            final long correlationId = decoder.header().correlationId();
            final long minRevision = decoder.minRevision();
            final byte[] key = new byte[decoder.keyLength()];
            decoder.getKey(key, 0, key.length);
            texts.add(correlationId + ":" + new String(key) + "@" + minRevision);
        }

        return texts;
    }

    private int rangeResponse(final int offset, final long correlationId, final long revision)
    {
        final RangeResponseEncoder encoder = new RangeResponseEncoder()
            .wrapAndApplyHeader(responses, offset, headerEncoder);
        encoder.header().correlationId(correlationId).memberId(MEMBER_ID).revision(revision);
        encoder.count(1).more(BooleanType.FALSE);
        encoder.kvsCount(1).next().createRevision(2).modRevision(2).version(1).lease(0)
            .putKey(bytes("a"), 0, 1).putValue(bytes("v"), 0, 1);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
