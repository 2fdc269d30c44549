package io.metastore.client;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmRequestEncoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.ChangesRequestEncoder;
import io.metastore.codecs.CompactRequestEncoder;
import io.metastore.codecs.DefragmentRequestEncoder;
import io.metastore.codecs.DeleteRangeRequestEncoder;
import io.metastore.codecs.LeaseGrantRequestEncoder;
import io.metastore.codecs.LeaseKeepAliveRequestEncoder;
import io.metastore.codecs.LeaseListRequestEncoder;
import io.metastore.codecs.LeaseRevokeRequestEncoder;
import io.metastore.codecs.LeaseTimeToLiveRequestEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.RangeRequestEncoder;
import io.metastore.codecs.SortOrder;
import io.metastore.codecs.TxnRequestEncoder;
import io.metastore.protocol.Protocol;
import io.metastore.protocol.RequestVersions;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.List;

/**
 * Encodes requests with SBE flyweights straight into a buffer, the client's request ring. One per thread.
 */
final class RequestEncoder
{
    private static final int PUT_FIXED_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + PutRequestEncoder.BLOCK_LENGTH + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int RANGE_FIXED_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.BLOCK_LENGTH + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int MIN_REVISION_OFFSET =
        MessageHeaderEncoder.ENCODED_LENGTH + RangeRequestEncoder.minRevisionEncodingOffset();
    private static final int DELETE_RANGE_FIXED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH +
        DeleteRangeRequestEncoder.BLOCK_LENGTH + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;

    static final int LEASE_GRANT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + LeaseGrantRequestEncoder.BLOCK_LENGTH;
    static final int LEASE_REVOKE_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + LeaseRevokeRequestEncoder.BLOCK_LENGTH;
    static final int LEASE_KEEP_ALIVE_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + LeaseKeepAliveRequestEncoder.BLOCK_LENGTH;
    static final int LEASE_TIME_TO_LIVE_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + LeaseTimeToLiveRequestEncoder.BLOCK_LENGTH;
    static final int LEASE_LIST_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + LeaseListRequestEncoder.BLOCK_LENGTH;
    static final int ALARM_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + AlarmRequestEncoder.BLOCK_LENGTH;
    static final int COMPACT_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + CompactRequestEncoder.BLOCK_LENGTH;
    static final int DEFRAGMENT_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + DefragmentRequestEncoder.BLOCK_LENGTH;
    private static final int CHANGES_FIXED_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + ChangesRequestEncoder.BLOCK_LENGTH + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int TXN_FIXED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + TxnRequestEncoder.BLOCK_LENGTH +
        TxnRequestEncoder.ComparesEncoder.sbeHeaderSize() + 2 * Protocol.VAR_DATA_LENGTH_PREFIX;
    private static final int COMPARE_FIXED_LENGTH =
        TxnRequestEncoder.ComparesEncoder.sbeBlockLength() + 3 * Protocol.VAR_DATA_LENGTH_PREFIX;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PutRequestEncoder putEncoder = new PutRequestEncoder();
    private final RangeRequestEncoder rangeEncoder = new RangeRequestEncoder();
    private final DeleteRangeRequestEncoder deleteRangeEncoder = new DeleteRangeRequestEncoder();
    private final LeaseGrantRequestEncoder leaseGrantEncoder = new LeaseGrantRequestEncoder();
    private final LeaseRevokeRequestEncoder leaseRevokeEncoder = new LeaseRevokeRequestEncoder();
    private final LeaseKeepAliveRequestEncoder leaseKeepAliveEncoder = new LeaseKeepAliveRequestEncoder();
    private final LeaseTimeToLiveRequestEncoder leaseTimeToLiveEncoder = new LeaseTimeToLiveRequestEncoder();
    private final LeaseListRequestEncoder leaseListEncoder = new LeaseListRequestEncoder();
    private final TxnRequestEncoder txnEncoder = new TxnRequestEncoder();
    private final AlarmRequestEncoder alarmEncoder = new AlarmRequestEncoder();
    private final CompactRequestEncoder compactEncoder = new CompactRequestEncoder();
    private final DefragmentRequestEncoder defragmentEncoder = new DefragmentRequestEncoder();

    void encodeDefragment(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final long clientId)
    {
        defragmentEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(defragmentEncoder.sbeTemplateId()));
    }

    private final ChangesRequestEncoder changesEncoder = new ChangesRequestEncoder();

    static int changesLength(final byte[] key, final byte[] rangeEnd)
    {
        return CHANGES_FIXED_LENGTH + key.length + rangeEnd.length;
    }

    void encodeCompact(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final long revision,
        final boolean physical)
    {
        compactEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(compactEncoder.sbeTemplateId()));
        compactEncoder.revision(revision).flags().clear().physical(physical);
    }

    void encodeChanges(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] rangeEnd,
        final long fromRevision,
        final long toRevision,
        final long limit)
    {
        changesEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(changesEncoder.sbeTemplateId()));
        changesEncoder.fromRevision(fromRevision).toRevision(toRevision).changeLimit(limit);
        changesEncoder.putKey(key, 0, key.length).putRangeEnd(rangeEnd, 0, rangeEnd.length);
    }

    static int putLength(final byte[] key, final byte[] value)
    {
        return PUT_FIXED_LENGTH + key.length + value.length;
    }

    static int rangeLength(final byte[] key, final byte[] rangeEnd)
    {
        return RANGE_FIXED_LENGTH + key.length + rangeEnd.length;
    }

    static int deleteRangeLength(final byte[] key, final byte[] rangeEnd)
    {
        return DELETE_RANGE_FIXED_LENGTH + key.length + rangeEnd.length;
    }

    void encodePut(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] value,
        final PutOptions options)
    {
        putEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(putEncoder.sbeTemplateId()));
        putEncoder.lease(options.lease());
        putEncoder.flags().clear()
            .prevKv(options.prevKv())
            .ignoreValue(options.ignoreValue())
            .ignoreLease(options.ignoreLease());
        putEncoder.putKey(key, 0, key.length).putValue(value, 0, value.length);
    }

    /**
     * Encode a range as the options say, with a {@code minRevision} of 0: the I/O thread stamps a serializable read's
     * as it sends it ({@link #stampMinRevision(MutableDirectBuffer, int, long)}).
     */
    void encodeRange(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] rangeEnd,
        final RangeOptions options)
    {
        encodeRange(buffer, offset, correlationId, clientId, key, rangeEnd, options.limit(), options.revision(),
            options.sortOrder(), options.keysOnly(), options.countOnly(), 0);
    }

    /**
     * Encode a range, {@link #rangeLength(byte[], byte[])} bytes at {@code offset}.
     *
     * @param minRevision for a serializable read at a member's read port: the least revision the state read must
     *                    reflect; 0 on ingress.
     */
    void encodeRange(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] rangeEnd,
        final long limit,
        final long revision,
        final SortOrder sortOrder,
        final boolean keysOnly,
        final boolean countOnly,
        final long minRevision)
    {
        rangeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(rangeEncoder.sbeTemplateId()));
        rangeEncoder
            .keyLimit(limit)
            .revision(revision)
            .sortOrder(sortOrder)
            .minRevision(minRevision);
        rangeEncoder.flags().clear().keysOnly(keysOnly).countOnly(countOnly);
        rangeEncoder.putKey(key, 0, key.length).putRangeEnd(rangeEnd, 0, rangeEnd.length);
    }

    /**
     * Set the {@code minRevision} of a range request already encoded, in place: the I/O thread stamps a serializable
     * read with the highest revision the client has seen as it sends it, the freshest it knows.
     *
     * @param buffer      holding the request.
     * @param offset      of the request's message header.
     * @param minRevision the least revision the state read must reflect.
     */
    static void stampMinRevision(final MutableDirectBuffer buffer, final int offset, final long minRevision)
    {
        buffer.putLong(offset + MIN_REVISION_OFFSET, minRevision, RangeRequestEncoder.BYTE_ORDER);
    }

    void encodeDeleteRange(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final byte[] key,
        final byte[] rangeEnd,
        final DeleteOptions options)
    {
        deleteRangeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(deleteRangeEncoder.sbeTemplateId()));
        deleteRangeEncoder.flags().clear().prevKv(options.prevKv());
        deleteRangeEncoder.putKey(key, 0, key.length).putRangeEnd(rangeEnd, 0, rangeEnd.length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Leases and transactions
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Length of a transaction request: its block, its compares, and every operation of both branches encoded whole,
     * nested transactions included.
     */
    static int txnLength(final Txn txn)
    {
        int length = TXN_FIXED_LENGTH;
        for (final Compare compare : txn.compares())
        {
            length += COMPARE_FIXED_LENGTH + compare.encodedDataLength();
        }

        return length + opsLength(txn.success()) + opsLength(txn.failure());
    }

    void encodeLeaseGrant(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final long ttlSeconds,
        final long leaseId)
    {
        leaseGrantEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(leaseGrantEncoder.sbeTemplateId()));
        leaseGrantEncoder.ttl(ttlSeconds).id(leaseId);
    }

    void encodeLeaseRevoke(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final long id)
    {
        leaseRevokeEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(leaseRevokeEncoder.sbeTemplateId()));
        leaseRevokeEncoder.id(id);
    }

    void encodeLeaseKeepAlive(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final long id)
    {
        leaseKeepAliveEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(leaseKeepAliveEncoder.sbeTemplateId()));
        leaseKeepAliveEncoder.id(id);
    }

    void encodeLeaseTimeToLive(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final long id,
        final boolean withKeys)
    {
        leaseTimeToLiveEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(leaseTimeToLiveEncoder.sbeTemplateId()));
        leaseTimeToLiveEncoder.id(id);
        leaseTimeToLiveEncoder.flags().clear().keys(withKeys);
    }

    void encodeLeaseList(
        final MutableDirectBuffer buffer, final int offset, final long correlationId, final long clientId)
    {
        leaseListEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(leaseListEncoder.sbeTemplateId()));
    }

    void encodeAlarm(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final AlarmAction action,
        final long memberId,
        final AlarmType alarm)
    {
        alarmEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        headerEncoder.version(RequestVersions.oldestReading(alarmEncoder.sbeTemplateId()));
        alarmEncoder.action(action).memberId(memberId).alarm(alarm);
    }

    /**
     * Encode a transaction; the operations of its branches are whole requests back to back in the {@code success}
     * and {@code failure} fields, written in place, with request headers of zeros (the cluster ignores them).
     *
     * @return the length encoded, {@link #txnLength(Txn)}.
     */
    int encodeTxn(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlationId,
        final long clientId,
        final Txn txn)
    {
        txnEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .header().correlationId(correlationId).clientId(clientId).sequence(correlationId);
        final List<Compare> compares = txn.compares();
        final TxnRequestEncoder.ComparesEncoder comparesEncoder = txnEncoder.comparesCount(compares.size());
        for (int i = 0, size = compares.size(); i < size; i++)
        {
            final Compare compare = compares.get(i);
            final byte[] key = compare.keyBytes();
            final byte[] rangeEnd = compare.rangeEndBytes();
            final byte[] value = compare.valueBytes();
            comparesEncoder.next()
                .result(compare.result())
                .target(compare.target())
                .targetValue(compare.targetValue())
                .putKey(key, 0, key.length)
                .putRangeEnd(rangeEnd, 0, rangeEnd.length)
                .putValue(value, 0, value.length);
        }

        // The txn encoder is re-wrapped by a nested txn, so the two var-data fields are written here by hand.
        final int successOffset = txnEncoder.limit();
        final int failureOffset = encodeOps(buffer, successOffset, txn.success());
        final int end = encodeOps(buffer, failureOffset, txn.failure());
        // Read whole only by a member that reads every operation in it.
        headerEncoder.wrap(buffer, offset).version(txnVersion(txn));

        return end - offset;
    }

    private static int txnVersion(final Txn txn)
    {
        return Math.max(RequestVersions.oldestReading(TxnRequestEncoder.TEMPLATE_ID),
            Math.max(opsVersion(txn.success()), opsVersion(txn.failure())));
    }

    private static int opsVersion(final List<Op> ops)
    {
        int version = 0;
        for (int i = 0, size = ops.size(); i < size; i++)
        {
            final Op op = ops.get(i);
            version = Math.max(version, switch (op.type())
            {
                case PUT -> RequestVersions.oldestReading(PutRequestEncoder.TEMPLATE_ID);
                case RANGE -> RequestVersions.oldestReading(RangeRequestEncoder.TEMPLATE_ID);
                case DELETE_RANGE -> RequestVersions.oldestReading(DeleteRangeRequestEncoder.TEMPLATE_ID);
                case TXN -> txnVersion(op.txn());
            });
        }

        return version;
    }

    private static int opsLength(final List<Op> ops)
    {
        int length = 0;
        for (int i = 0, size = ops.size(); i < size; i++)
        {
            length += opLength(ops.get(i));
        }

        return length;
    }

    private static int opLength(final Op op)
    {
        switch (op.type())
        {
            case PUT:
                return putLength(op.keyBytes(), op.valueBytes());

            case RANGE:
                return rangeLength(op.keyBytes(), op.rangeEndBytes());

            case DELETE_RANGE:
                return deleteRangeLength(op.keyBytes(), op.rangeEndBytes());

            case TXN:
                return txnLength(op.txn());

            default:
                throw new IllegalArgumentException("unknown op type " + op.type());
        }
    }

    private int encodeOp(final MutableDirectBuffer buffer, final int offset, final Op op)
    {
        switch (op.type())
        {
            case PUT:
                encodePut(buffer, offset, 0, 0, op.keyBytes(), op.valueBytes(), op.putOptions());
                return putLength(op.keyBytes(), op.valueBytes());

            case RANGE:
                encodeRange(buffer, offset, 0, 0, op.keyBytes(), op.rangeEndBytes(), op.rangeOptions());
                return rangeLength(op.keyBytes(), op.rangeEndBytes());

            case DELETE_RANGE:
                encodeDeleteRange(buffer, offset, 0, 0, op.keyBytes(), op.rangeEndBytes(), op.deleteOptions());
                return deleteRangeLength(op.keyBytes(), op.rangeEndBytes());

            case TXN:
                return encodeTxn(buffer, offset, 0, 0, op.txn());

            default:
                throw new IllegalArgumentException("unknown op type " + op.type());
        }
    }

    /**
     * Write a var-data field holding the operations as whole requests: the length prefix, then each request.
     *
     * @return the offset just past the field.
     */
    private int encodeOps(final MutableDirectBuffer buffer, final int fieldOffset, final List<Op> ops)
    {
        int cursor = fieldOffset + Protocol.VAR_DATA_LENGTH_PREFIX;
        for (int i = 0, size = ops.size(); i < size; i++)
        {
            cursor += encodeOp(buffer, cursor, ops.get(i));
        }
        buffer.putInt(fieldOffset, cursor - fieldOffset - Protocol.VAR_DATA_LENGTH_PREFIX, ByteOrder.LITTLE_ENDIAN);

        return cursor;
    }
}
