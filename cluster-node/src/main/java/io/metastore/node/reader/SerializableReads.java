package io.metastore.node.reader;

import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.RangeFlagsDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.RangeResponseEncoder;
import io.metastore.codecs.SortOrder;
import io.metastore.node.storage.CommittedView;
import io.metastore.node.storage.KvCursor;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * Serializable reads on a member's read port (etcd's {@code WithSerializable}): answered from the member's committed
 * state, off the log and off the service's thread, never from a state older than the client has seen
 * ({@code minRevision}): a read that asks for a revision the member has not committed yet waits, in a bounded queue
 * and for a bounded time, and is then refused as {@code MEMBER_BEHIND} so the client can ask another member.
 * <p>
 * The answers to one incoming message leave together in one message; reads are answered from one snapshot of the
 * committed state until the member commits again.
 */
final class SerializableReads implements AutoCloseable
{
    private static final int MAX_WAITING = 10_000;
    private static final int RECORD_HEADER_LENGTH = 4 * Long.BYTES;
    private static final int KV_FIXED_LENGTH =
        RangeResponseEncoder.KvsEncoder.sbeBlockLength() + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int RANGE_FLAGS_MASK = 0b11;

    private final RocksDbStorage storage;
    private final ReadResponses responses;
    private final int clusterId;
    private final int memberId;
    private final int maxKeyBytes;
    private final int maxResponseBytes;
    private final long waitNs;
    private final RangeRequestDecoder decoder = new RangeRequestDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RangeResponseEncoder encoder = new RangeResponseEncoder();
    private final ExpandableDirectByteBuffer batch = new ExpandableDirectByteBuffer(64 * 1024);
    private final UnsafeBuffer recordBuffer = new UnsafeBuffer(0, 0);
    private final ArrayList<byte[]> keys = new ArrayList<>();
    private final ArrayList<byte[]> records = new ArrayList<>();
    private final ArrayDeque<Read> waiting = new ArrayDeque<>();
    private ReadSession batchSession;
    private int batchLength;
    private CommittedView view;

    /**
     * A read waiting for the member to reach its minimum revision.
     */
    private record Read(
        ReadSession session,
        long correlationId,
        byte[] key,
        byte[] rangeEnd,
        long limit,
        boolean isDescending,
        boolean isKeysOnly,
        boolean isCountOnly,
        long minRevision,
        long deadlineNs)
    {
    }

    SerializableReads(
        final RocksDbStorage storage,
        final ReadResponses responses,
        final int clusterId,
        final int memberId,
        final int maxKeyBytes,
        final int maxResponseBytes,
        final long waitNs)
    {
        this.storage = storage;
        this.responses = responses;
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.maxKeyBytes = maxKeyBytes;
        this.maxResponseBytes = maxResponseBytes;
        this.waitNs = waitNs;
    }

    /**
     * Answer a range request, or queue it until the member has committed its minimum revision.
     *
     * @return the request's length, or -1 if it could not be framed (the rest of its message is not read).
     */
    int onRange(
        final ReadSession session,
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final long correlationId,
        final long committedRevision,
        final long nowNs)
    {
        final int fieldsOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        final int length = ReadPort.framedLength(buffer, offset, fieldsOffset, end, 2);
        if (blockLength < RangeRequestDecoder.BLOCK_LENGTH || length < 0)
        {
            refuse(session, correlationId, ErrorCode.MALFORMED, "range request runs past its message",
                committedRevision);
            return -1;
        }
        decoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int flags = buffer.getByte(
            offset + MessageHeaderDecoder.ENCODED_LENGTH + RangeRequestDecoder.flagsEncodingOffset()) & 0xFF;
        final short sortOrderRaw = decoder.sortOrderRaw();
        final long limit = decoder.keyLimit();
        final long revision = decoder.revision();
        final long minRevision = version >= 3 ? decoder.minRevision() : 0;
        final int keyLength = decoder.keyLength();
        final String invalid = 0 != (flags & ~RANGE_FLAGS_MASK) ? "unknown range flags" :
            sortOrderRaw > SortOrder.DESCEND.value() ? "unknown sort order " + sortOrderRaw :
            limit < 0 ? "negative limit" :
            0 != revision ? "a serializable read at a past revision goes through the log" :
            0 == keyLength ? "key is not provided" : null;
        if (null != invalid)
        {
            refuse(session, correlationId, 0 == keyLength ? ErrorCode.EMPTY_KEY : ErrorCode.INVALID_ARGUMENT, invalid,
                committedRevision);
            return length;
        }
        final byte[] key = new byte[keyLength];
        decoder.getKey(key, 0, keyLength);
        final int rangeEndLength = decoder.rangeEndLength();
        if (keyLength > maxKeyBytes || rangeEndLength > maxKeyBytes)
        {
            refuse(session, correlationId, ErrorCode.KEY_TOO_LARGE, "key or range end exceeds " + maxKeyBytes +
                " bytes", committedRevision);
            return length;
        }
        final byte[] rangeEnd = new byte[rangeEndLength];
        decoder.getRangeEnd(rangeEnd, 0, rangeEndLength);
        if (rangeEnd.length > 0 && !KeyRanges.isFromKey(rangeEnd) && KeyRanges.compare(rangeEnd, key) < 0)
        {
            refuse(session, correlationId, ErrorCode.INVALID_RANGE, "rangeEnd is below key", committedRevision);
            return length;
        }

        final boolean isDescending = SortOrder.DESCEND.value() == sortOrderRaw;
        final Read read = new Read(session, correlationId, key, rangeEnd, limit, isDescending,
            RangeFlagsDecoder.keysOnly((byte)flags), RangeFlagsDecoder.countOnly((byte)flags), minRevision,
            nowNs + waitNs);
        if (minRevision > committedRevision)
        {
            if (waiting.size() >= MAX_WAITING)
            {
                behind(read, committedRevision);
            }
            else
            {
                waiting.add(read);
            }
            return length;
        }
        answer(read);
        return length;
    }

    /**
     * Answer the reads the member has now caught up with, refuse those waited for too long.
     *
     * @return reads answered or refused.
     */
    int retryWaiting(final long committedRevision, final long nowNs)
    {
        int workCount = 0;
        for (int i = waiting.size(); i > 0; i--)
        {
            final Read read = waiting.poll();
            if (read.minRevision() <= committedRevision)
            {
                answer(read);
                flush();
                workCount++;
            }
            else if (nowNs - read.deadlineNs() >= 0)
            {
                behind(read, committedRevision);
                workCount++;
            }
            else
            {
                waiting.add(read);
            }
        }

        return workCount;
    }

    /**
     * Send the answers collected.
     */
    void flush()
    {
        try
        {
            if (batchLength > 0)
            {
                batchSession.offer(batch, 0, batchLength);
            }
        }
        finally
        {
            batchLength = 0;
            batchSession = null;
        }
    }

    /**
     * Let go of the snapshot read once the member has committed past it, so that it does not keep what RocksDB would
     * otherwise reclaim.
     */
    void releaseStaleView()
    {
        if (null != view && view.revision() != storage.publishedRevision())
        {
            closeView();
        }
    }

    public void close()
    {
        flush();
        waiting.clear();
        closeView();
    }

    private void closeView()
    {
        if (null != view)
        {
            view.close();
            view = null;
        }
    }

    private void answer(final Read read)
    {
        if (null != batchSession && batchSession != read.session())
        {
            flush();
        }
        // One snapshot of the committed state serves every read until the member commits again.
        releaseStaleView();
        if (null == view)
        {
            view = storage.openCommittedView();
        }
        batchSession = read.session();
        keys.clear();
        records.clear();
        final long count = collect(read);
        encode(read, count);
    }

    private long collect(final Read read)
    {
        if (0 == read.rangeEnd().length)
        {
            final byte[] record = view.get(read.key());
            if (null != record && !read.isCountOnly())
            {
                keys.add(read.key());
                records.add(record);
            }
            return null == record ? 0 : 1;
        }

        long count = 0;
        long bytes = 0;
        boolean isCollecting = !read.isCountOnly();
        try (KvCursor cursor = KvCursor.openRange(view.cursor(), read.key(), read.rangeEnd(), read.isDescending()))
        {
            while (KvCursor.isInRange(cursor, read.key(), read.rangeEnd(), read.isDescending()))
            {
                count++;
                if (isCollecting)
                {
                    final byte[] key = cursor.key();
                    final byte[] record = cursor.record();
                    final long sent = KV_FIXED_LENGTH + key.length +
                        (read.isKeysOnly() ? 0 : record.length - RECORD_HEADER_LENGTH);
                    if (!keys.isEmpty() && bytes + sent > maxResponseBytes)
                    {
                        isCollecting = false;
                    }
                    else
                    {
                        keys.add(key);
                        records.add(record);
                        bytes += sent;
                        isCollecting = (0 == read.limit() || keys.size() < read.limit()) &&
                            keys.size() < Protocol.MAX_GROUP_ENTRIES;
                    }
                }
                if (read.isDescending())
                {
                    cursor.prev();
                }
                else
                {
                    cursor.next();
                }
            }
        }

        return count;
    }

    private void encode(final Read read, final long count)
    {
        long bytes = MessageHeaderEncoder.ENCODED_LENGTH + RangeResponseEncoder.BLOCK_LENGTH + 4;
        for (int i = 0; i < keys.size(); i++)
        {
            bytes += KV_FIXED_LENGTH + keys.get(i).length + records.get(i).length;
        }
        // A message is at most what the client's publication takes, which its term length sets.
        final int limit = Math.min(maxResponseBytes, read.session().maxMessageLength());
        if (bytes > limit)
        {
            refuse(read.session(), read.correlationId(), ErrorCode.RESPONSE_TOO_LARGE, "an answer of " + bytes +
                " bytes exceeds the " + limit + " the read session takes in a message; read with a limit",
                view.revision());
            return;
        }
        if (batchLength + bytes > limit)
        {
            final ReadSession session = batchSession;
            flush();
            batchSession = session;
        }
        batch.checkLimit((int)(batchLength + bytes));
        encoder.wrapAndApplyHeader(batch, batchLength, headerEncoder);
        encoder.header()
            .correlationId(read.correlationId())
            .clusterId(clusterId)
            .memberId(memberId)
            .revision(view.revision())
            .leadershipTermId(responses.leadershipTermId());
        encoder.count(count).more(count > keys.size() && !read.isCountOnly() ?
            BooleanType.TRUE : BooleanType.FALSE);
        final RangeResponseEncoder.KvsEncoder kvs = encoder.kvsCount(keys.size());
        for (int i = 0; i < keys.size(); i++)
        {
            final byte[] record = records.get(i);
            recordBuffer.wrap(record);
            kvs.next()
                .createRevision(recordBuffer.getLong(0, ByteOrder.LITTLE_ENDIAN))
                .modRevision(recordBuffer.getLong(Long.BYTES, ByteOrder.LITTLE_ENDIAN))
                .version(recordBuffer.getLong(2 * Long.BYTES, ByteOrder.LITTLE_ENDIAN))
                .lease(recordBuffer.getLong(3 * Long.BYTES, ByteOrder.LITTLE_ENDIAN))
                .putKey(keys.get(i), 0, keys.get(i).length);
            if (read.isKeysOnly())
            {
                kvs.putValue(record, 0, 0);
            }
            else
            {
                kvs.putValue(record, RECORD_HEADER_LENGTH, record.length - RECORD_HEADER_LENGTH);
            }
        }
        batchLength += MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private void behind(final Read read, final long committedRevision)
    {
        refuse(read.session(), read.correlationId(), ErrorCode.MEMBER_BEHIND, "member " + memberId +
            " has committed revision " + committedRevision + ", not yet " + read.minRevision() +
            " the client has seen; ask another member", committedRevision);
    }

    private void refuse(
        final ReadSession session,
        final long correlationId,
        final ErrorCode code,
        final String message,
        final long committedRevision)
    {
        responses.error(session.publication, correlationId, code, 0, committedRevision, message);
    }
}
