package io.metastore.node.service;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmRequestDecoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.LeaseGrantRequestDecoder;
import io.metastore.codecs.LeaseKeepAliveRequestDecoder;
import io.metastore.codecs.LeaseListRequestDecoder;
import io.metastore.codecs.LeaseRevokeRequestDecoder;
import io.metastore.codecs.LeaseTimeToLiveRequestDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.SortOrder;
import io.metastore.codecs.TxnRequestDecoder;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.node.kv.TxnRequest;
import io.metastore.node.kv.TxnCompare;
import io.metastore.node.kv.TxnOp;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Decodes the requests of one ingress message, checks each before anything changes, and calls the state machine.
 * <p>
 * The one place that reads ingress bytes. Every check is made on the bytes alone, so every replica and every
 * replay reaches the same verdict: schema id and version, template id, block length, every length field against
 * the end of the buffer, empty keys, key and value limits, inverted ranges, unknown flags and enum values, and for
 * transactions the operations per list and the nesting depth. A refused request gets an error response on its
 * correlation id. When a request's length cannot be trusted the rest of its ingress message cannot be framed
 * either, and is refused with it.
 * <p>
 * A transaction's operations are whole requests inside its success and failure fields; each is decoded with the
 * same checks as on its own into a {@link TxnOp}, and the first that fails refuses the whole transaction.
 */
final class IngressAdapter
{
    /**
     * Deepest nesting of transactions: a transaction inside a transaction is depth 2.
     */
    static final int MAX_TXN_DEPTH = 8;

    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final byte[] EMPTY = new byte[0];
    private static final int PUT_FLAGS_MASK = 0b111;
    private static final int RANGE_FLAGS_MASK = 0b11;
    private static final int DELETE_RANGE_FLAGS_MASK = 0b1;
    private static final int LEASE_TIME_TO_LIVE_FLAGS_MASK = 0b1;
    private static final int COMPARE_VAR_FIELDS = 3;
    private static final int TXN_VAR_FIELDS = 2;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PutRequestDecoder putDecoder = new PutRequestDecoder();
    private final RangeRequestDecoder rangeDecoder = new RangeRequestDecoder();
    private final DeleteRangeRequestDecoder deleteRangeDecoder = new DeleteRangeRequestDecoder();
    private final TxnRequestDecoder txnDecoder = new TxnRequestDecoder();
    private final LeaseGrantRequestDecoder leaseGrantDecoder = new LeaseGrantRequestDecoder();
    private final LeaseRevokeRequestDecoder leaseRevokeDecoder = new LeaseRevokeRequestDecoder();
    private final LeaseKeepAliveRequestDecoder leaseKeepAliveDecoder = new LeaseKeepAliveRequestDecoder();
    private final LeaseTimeToLiveRequestDecoder leaseTimeToLiveDecoder = new LeaseTimeToLiveRequestDecoder();
    private final AlarmRequestDecoder alarmDecoder = new AlarmRequestDecoder();
    private final TxnOp singleOp = new TxnOp();
    private final KvStateMachine stateMachine;
    private final ResponseEncoder responder;
    private final int maxKeyLength;
    private final int maxValueLength;
    private final int maxTxnOps;
    private long timestampMs;
    private boolean rejected;

    IngressAdapter(
        final KvStateMachine stateMachine,
        final ResponseEncoder responder,
        final int maxKeyLength,
        final int maxValueLength,
        final int maxTxnOps)
    {
        this.stateMachine = stateMachine;
        this.responder = responder;
        this.maxKeyLength = maxKeyLength;
        this.maxValueLength = maxValueLength;
        this.maxTxnOps = maxTxnOps;
    }

    /**
     * Apply every request of one ingress message, answering each through the responder.
     *
     * @param buffer      holding the message.
     * @param offset      of the message.
     * @param length      of the message.
     * @param timestampMs cluster time of the log entry, in milliseconds.
     * @return the number of requests answered.
     */
    int onMessage(final DirectBuffer buffer, final int offset, final int length, final long timestampMs)
    {
        this.timestampMs = timestampMs;
        final int end = offset + length;
        int cursor = offset;
        int answered = 0;
        while (cursor < end)
        {
            final int consumed = onRequest(buffer, cursor, end);
            answered++;
            if (consumed <= 0)
            {
                break;
            }
            cursor += consumed;
        }

        return answered;
    }

    private int onRequest(final DirectBuffer buffer, final int offset, final int end)
    {
        final int remaining = end - offset;
        final long correlationId = remaining >= Protocol.CORRELATION_ID_OFFSET + Long.BYTES ?
            buffer.getLong(offset + Protocol.CORRELATION_ID_OFFSET) : Protocol.NULL_CORRELATION_ID;
        responder.correlationId(correlationId);
        rejected = false;

        if (!readHeader(buffer, offset, end))
        {
            return -1;
        }

        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final TxnOp op = singleOp;
        final int length;
        switch (templateId)
        {
            case PutRequestDecoder.TEMPLATE_ID:
                length = decodePut(buffer, offset, end, blockLength, version, op);
                if (length > 0 && !rejected)
                {
                    stateMachine.put(op.key, op.valueBuffer, op.valueOffset, op.valueLength, op.lease, op.prevKv,
                        op.ignoreValue, op.ignoreLease, responder);
                }
                break;

            case RangeRequestDecoder.TEMPLATE_ID:
                length = decodeRange(buffer, offset, end, blockLength, version, op);
                if (length > 0 && !rejected)
                {
                    stateMachine.range(op.key, op.rangeEnd, op.limit, op.revision, op.descending, op.keysOnly,
                        op.countOnly, responder);
                }
                break;

            case DeleteRangeRequestDecoder.TEMPLATE_ID:
                length = decodeDeleteRange(buffer, offset, end, blockLength, version, op);
                if (length > 0 && !rejected)
                {
                    stateMachine.deleteRange(op.key, op.rangeEnd, op.prevKv, responder);
                }
                break;

            case TxnRequestDecoder.TEMPLATE_ID:
                length = decodeTxn(buffer, offset, end, blockLength, version, 1, op);
                if (length > 0 && !rejected)
                {
                    stateMachine.txn(op.txn, responder);
                }
                op.txn = null;
                break;

            case LeaseGrantRequestDecoder.TEMPLATE_ID:
                length = onLeaseGrant(buffer, offset, end, blockLength, version);
                break;

            case LeaseRevokeRequestDecoder.TEMPLATE_ID:
                length = onLeaseRevoke(buffer, offset, end, blockLength, version);
                break;

            case LeaseKeepAliveRequestDecoder.TEMPLATE_ID:
                length = onLeaseKeepAlive(buffer, offset, end, blockLength, version);
                break;

            case LeaseTimeToLiveRequestDecoder.TEMPLATE_ID:
                length = onLeaseTimeToLive(buffer, offset, end, blockLength, version);
                break;

            case LeaseListRequestDecoder.TEMPLATE_ID:
                length = frame(buffer, offset, end, blockLength, LeaseListRequestDecoder.BLOCK_LENGTH, 0);
                if (length > 0)
                {
                    stateMachine.leaseList(responder);
                }
                break;

            case AlarmRequestDecoder.TEMPLATE_ID:
                length = onAlarm(buffer, offset, end, blockLength, version);
                break;

            default:
                return refuse(ErrorCode.UNKNOWN_TEMPLATE, "unknown template id " + templateId);
        }

        return length;
    }

    private boolean readHeader(final DirectBuffer buffer, final int offset, final int end)
    {
        final int remaining = end - offset;
        if (remaining < HEADER_LENGTH)
        {
            refuse(ErrorCode.MALFORMED, "request of " + remaining + " bytes is shorter than its header");
            return false;
        }

        headerDecoder.wrap(buffer, offset);
        final int schemaId = headerDecoder.schemaId();
        final int version = headerDecoder.version();
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID || version > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            refuse(
                ErrorCode.UNSUPPORTED_SCHEMA, "schema id " + schemaId + " version " + version + " is not " +
                MessageHeaderDecoder.SCHEMA_ID + " version <= " + MessageHeaderDecoder.SCHEMA_VERSION);
            return false;
        }

        return true;
    }

    private int decodePut(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final TxnOp op)
    {
        final int length = frame(buffer, offset, end, blockLength, PutRequestDecoder.BLOCK_LENGTH, 2);
        if (length < 0)
        {
            return -1;
        }

        final PutRequestDecoder decoder = putDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
        final int flags = buffer.getByte(offset + HEADER_LENGTH + PutRequestDecoder.flagsEncodingOffset()) & 0xFF;
        if (0 != (flags & ~PUT_FLAGS_MASK))
        {
            return reject(length, ErrorCode.UNKNOWN_FLAGS, "unknown put flags 0x" + Integer.toHexString(flags));
        }
        final long lease = decoder.lease();
        if (lease < 0)
        {
            return reject(length, ErrorCode.INVALID_ARGUMENT, "negative lease id " + lease);
        }

        final byte[] key = readKey(decoder.keyLength(), length);
        if (null == key)
        {
            return length;
        }
        decoder.getKey(key, 0, key.length);

        final int valueLength = decoder.valueLength();
        if (valueLength > maxValueLength)
        {
            return reject(
                length, ErrorCode.VALUE_TOO_LARGE, "value of " + valueLength + " bytes exceeds " + maxValueLength);
        }

        op.type = TxnOp.PUT;
        op.key = key;
        op.valueBuffer = buffer;
        op.valueOffset = decoder.limit() + Protocol.VAR_DATA_LENGTH_PREFIX;
        op.valueLength = valueLength;
        op.lease = lease;
        op.prevKv = decoder.flags().prevKv();
        op.ignoreValue = decoder.flags().ignoreValue();
        op.ignoreLease = decoder.flags().ignoreLease();

        return length;
    }

    private int decodeRange(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final TxnOp op)
    {
        final int length = frame(buffer, offset, end, blockLength, RangeRequestDecoder.BLOCK_LENGTH, 2);
        if (length < 0)
        {
            return -1;
        }

        final RangeRequestDecoder decoder = rangeDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
        final int flags = buffer.getByte(offset + HEADER_LENGTH + RangeRequestDecoder.flagsEncodingOffset()) & 0xFF;
        if (0 != (flags & ~RANGE_FLAGS_MASK))
        {
            return reject(length, ErrorCode.UNKNOWN_FLAGS, "unknown range flags 0x" + Integer.toHexString(flags));
        }
        final short sortOrderRaw = decoder.sortOrderRaw();
        if (sortOrderRaw > SortOrder.DESCEND.value())
        {
            return reject(length, ErrorCode.INVALID_ARGUMENT, "unknown sort order " + sortOrderRaw);
        }
        final long limit = decoder.keyLimit();
        final long revision = decoder.revision();
        if (limit < 0 || revision < 0)
        {
            return reject(length, ErrorCode.INVALID_ARGUMENT, "negative limit " + limit + " or revision " + revision);
        }

        final byte[] key = readKey(decoder.keyLength(), length);
        if (null == key)
        {
            return length;
        }
        decoder.getKey(key, 0, key.length);
        final byte[] rangeEnd = readRangeEnd(decoder.rangeEndLength(), length);
        if (null == rangeEnd)
        {
            return length;
        }
        decoder.getRangeEnd(rangeEnd, 0, rangeEnd.length);
        if (isInverted(key, rangeEnd))
        {
            return reject(length, ErrorCode.INVALID_RANGE, "rangeEnd is below key");
        }

        op.type = TxnOp.RANGE;
        op.key = key;
        op.rangeEnd = rangeEnd;
        op.limit = limit;
        op.revision = revision;
        op.descending = SortOrder.DESCEND.value() == sortOrderRaw;
        op.keysOnly = decoder.flags().keysOnly();
        op.countOnly = decoder.flags().countOnly();

        return length;
    }

    private int decodeDeleteRange(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final TxnOp op)
    {
        final int length = frame(buffer, offset, end, blockLength, DeleteRangeRequestDecoder.BLOCK_LENGTH, 2);
        if (length < 0)
        {
            return -1;
        }

        final DeleteRangeRequestDecoder decoder =
            deleteRangeDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
        final int flags =
            buffer.getByte(offset + HEADER_LENGTH + DeleteRangeRequestDecoder.flagsEncodingOffset()) & 0xFF;
        if (0 != (flags & ~DELETE_RANGE_FLAGS_MASK))
        {
            return reject(length, ErrorCode.UNKNOWN_FLAGS, "unknown delete flags 0x" + Integer.toHexString(flags));
        }

        final byte[] key = readKey(decoder.keyLength(), length);
        if (null == key)
        {
            return length;
        }
        decoder.getKey(key, 0, key.length);
        final byte[] rangeEnd = readRangeEnd(decoder.rangeEndLength(), length);
        if (null == rangeEnd)
        {
            return length;
        }
        decoder.getRangeEnd(rangeEnd, 0, rangeEnd.length);
        if (isInverted(key, rangeEnd))
        {
            return reject(length, ErrorCode.INVALID_RANGE, "rangeEnd is below key");
        }

        op.type = TxnOp.DELETE_RANGE;
        op.key = key;
        op.rangeEnd = rangeEnd;
        op.prevKv = decoder.flags().prevKv();

        return length;
    }

    /**
     * Decode a transaction and, recursively, the requests inside it into {@code op.txn}.
     *
     * @return its whole length, or -1 after refusing it; {@link #rejected} is set when it was framed but refused.
     */
    private int decodeTxn(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final int depth,
        final TxnOp op)
    {
        final int length = frameTxn(buffer, offset, end, blockLength);
        if (length < 0)
        {
            return -1;
        }
        if (depth > MAX_TXN_DEPTH)
        {
            return reject(length, ErrorCode.TXN_TOO_DEEP, "transactions nest " + depth + " deep, deeper than " +
                MAX_TXN_DEPTH);
        }

        final TxnRequestDecoder decoder = txnDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
        final TxnRequestDecoder.ComparesDecoder compares = decoder.compares();
        if (compares.count() > maxTxnOps)
        {
            return reject(length, ErrorCode.TOO_MANY_OPERATIONS, "too many operations in txn request: " +
                compares.count() + " compares, the limit is " + maxTxnOps);
        }

        final TxnRequest txn = new TxnRequest();
        for (final TxnRequestDecoder.ComparesDecoder entry : compares)
        {
            final TxnCompare compare = decodeCompare(entry, length);
            if (null == compare)
            {
                return length;
            }
            txn.compares.add(compare);
        }

        final int successOffset = decoder.limit() + Protocol.VAR_DATA_LENGTH_PREFIX;
        final int successLength = decoder.successLength();
        final int failureOffset = successOffset + successLength + Protocol.VAR_DATA_LENGTH_PREFIX;
        final int failureLength =
            buffer.getInt(failureOffset - Protocol.VAR_DATA_LENGTH_PREFIX, TxnRequestDecoder.BYTE_ORDER);
        if (!decodeOps(buffer, successOffset, successOffset + successLength, depth, txn.success) ||
            !decodeOps(buffer, failureOffset, failureOffset + failureLength, depth, txn.failure))
        {
            rejected = true;
            return length;
        }

        op.type = TxnOp.TXN;
        op.txn = txn;

        return length;
    }

    private TxnCompare decodeCompare(final TxnRequestDecoder.ComparesDecoder entry, final int length)
    {
        final short resultRaw = entry.resultRaw();
        final short targetRaw = entry.targetRaw();
        if (resultRaw > CompareResult.NOT_EQUAL.value() || targetRaw > CompareTarget.LEASE.value())
        {
            reject(length, ErrorCode.INVALID_ARGUMENT, "unknown compare result " + resultRaw + " or target " +
                targetRaw);
            return null;
        }

        final TxnCompare compare = new TxnCompare();
        compare.result = CompareResult.get(resultRaw);
        compare.target = CompareTarget.get(targetRaw);
        compare.targetValue = entry.targetValue();
        compare.key = readKey(entry.keyLength(), length);
        if (null == compare.key)
        {
            return null;
        }
        entry.getKey(compare.key, 0, compare.key.length);
        compare.rangeEnd = readRangeEnd(entry.rangeEndLength(), length);
        if (null == compare.rangeEnd)
        {
            return null;
        }
        entry.getRangeEnd(compare.rangeEnd, 0, compare.rangeEnd.length);
        if (isInverted(compare.key, compare.rangeEnd))
        {
            reject(length, ErrorCode.INVALID_RANGE, "compare rangeEnd is below key");
            return null;
        }
        final int valueLength = entry.valueLength();
        if (valueLength > maxValueLength)
        {
            reject(length, ErrorCode.VALUE_TOO_LARGE, "compare value of " + valueLength + " bytes exceeds " +
                maxValueLength);
            return null;
        }
        compare.value = new byte[valueLength];
        entry.getValue(compare.value, 0, valueLength);

        return compare;
    }

    /**
     * Decode the requests back to back in {@code [offset, end)}, a success or failure list.
     *
     * @return true if every one was decoded; false after the first was refused.
     */
    private boolean decodeOps(
        final DirectBuffer buffer, final int offset, final int end, final int depth, final List<TxnOp> ops)
    {
        int cursor = offset;
        while (cursor < end)
        {
            if (ops.size() == maxTxnOps)
            {
                refuse(ErrorCode.TOO_MANY_OPERATIONS, "too many operations in txn request: the limit is " +
                    maxTxnOps + " per list");
                return false;
            }
            if (!readHeader(buffer, cursor, end))
            {
                return false;
            }

            final int templateId = headerDecoder.templateId();
            final int blockLength = headerDecoder.blockLength();
            final int version = headerDecoder.version();
            final TxnOp op = new TxnOp();
            final int length = switch (templateId)
            {
                case PutRequestDecoder.TEMPLATE_ID -> decodePut(buffer, cursor, end, blockLength, version, op);
                case RangeRequestDecoder.TEMPLATE_ID -> decodeRange(buffer, cursor, end, blockLength, version, op);
                case DeleteRangeRequestDecoder.TEMPLATE_ID ->
                    decodeDeleteRange(buffer, cursor, end, blockLength, version, op);
                case TxnRequestDecoder.TEMPLATE_ID ->
                    decodeTxn(buffer, cursor, end, blockLength, version, depth + 1, op);
                default -> refuse(ErrorCode.UNKNOWN_TEMPLATE, "template id " + templateId + " cannot be in a txn");
            };
            if (length <= 0 || rejected)
            {
                return false;
            }
            ops.add(op);
            cursor += length;
        }

        return true;
    }

    private int onLeaseGrant(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, LeaseGrantRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            final LeaseGrantRequestDecoder decoder =
                leaseGrantDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
            final long id = decoder.id();
            if (id < 0)
            {
                return reject(length, ErrorCode.INVALID_ARGUMENT, "negative lease id " + id);
            }
            stateMachine.leaseGrant(id, decoder.ttl(), timestampMs, responder);
        }

        return length;
    }

    private int onLeaseRevoke(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, LeaseRevokeRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            stateMachine.leaseRevoke(
                leaseRevokeDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version).id(), responder);
        }

        return length;
    }

    private int onLeaseKeepAlive(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, LeaseKeepAliveRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            stateMachine.leaseKeepAlive(
                leaseKeepAliveDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version).id(),
                timestampMs,
                responder);
        }

        return length;
    }

    private int onLeaseTimeToLive(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, LeaseTimeToLiveRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            final LeaseTimeToLiveRequestDecoder decoder =
                leaseTimeToLiveDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
            final int flags =
                buffer.getByte(offset + HEADER_LENGTH + LeaseTimeToLiveRequestDecoder.flagsEncodingOffset()) & 0xFF;
            if (0 != (flags & ~LEASE_TIME_TO_LIVE_FLAGS_MASK))
            {
                return reject(length, ErrorCode.UNKNOWN_FLAGS, "unknown lease flags 0x" + Integer.toHexString(flags));
            }
            stateMachine.leaseTimeToLive(decoder.id(), decoder.flags().keys(), timestampMs, responder);
        }

        return length;
    }

    private int onAlarm(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, AlarmRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            final AlarmRequestDecoder decoder = alarmDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
            final short actionRaw = decoder.actionRaw();
            final short alarmRaw = decoder.alarmRaw();
            if (actionRaw > AlarmAction.DEACTIVATE.value() || alarmRaw > AlarmType.CORRUPT.value())
            {
                return reject(length, ErrorCode.INVALID_ARGUMENT, "unknown alarm action " + actionRaw + " or type " +
                    alarmRaw);
            }
            stateMachine.alarm(AlarmAction.get(actionRaw), decoder.memberId(), AlarmType.get(alarmRaw), responder);
        }

        return length;
    }

    /**
     * Check that a request with a block and {@code varFields} variable length fields lies within the buffer.
     *
     * @return the request's whole length, or -1 after refusing it.
     */
    private int frame(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int minBlockLength,
        final int varFields)
    {
        if (blockLength < minBlockLength)
        {
            return refuse(ErrorCode.MALFORMED, "block length " + blockLength + " is below " + minBlockLength);
        }

        final long position = frameVarFields(buffer, (long)offset + HEADER_LENGTH + blockLength, end, varFields);
        return position < 0 ? -1 : (int)(position - offset);
    }

    /**
     * Check that a transaction lies within the buffer: its block, its compares group and its two lists. The
     * requests inside the lists are framed when they are decoded.
     *
     * @return the transaction's whole length, or -1 after refusing it.
     */
    private int frameTxn(final DirectBuffer buffer, final int offset, final int end, final int blockLength)
    {
        if (blockLength < TxnRequestDecoder.BLOCK_LENGTH)
        {
            return refuse(
                ErrorCode.MALFORMED, "block length " + blockLength + " is below " + TxnRequestDecoder.BLOCK_LENGTH);
        }

        long position = (long)offset + HEADER_LENGTH + blockLength;
        if (position + TxnRequestDecoder.ComparesDecoder.HEADER_SIZE > end)
        {
            return refuse(ErrorCode.MALFORMED, "compares group header lies past the end of the message");
        }
        final int entryBlockLength = buffer.getShort((int)position, TxnRequestDecoder.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort((int)position + 2, TxnRequestDecoder.BYTE_ORDER) & 0xFFFF;
        if (entryBlockLength < TxnRequestDecoder.ComparesDecoder.sbeBlockLength())
        {
            return refuse(ErrorCode.MALFORMED, "compare block length " + entryBlockLength + " is below " +
                TxnRequestDecoder.ComparesDecoder.sbeBlockLength());
        }
        position += TxnRequestDecoder.ComparesDecoder.HEADER_SIZE;
        for (int i = 0; i < count && position >= 0; i++)
        {
            position = frameVarFields(buffer, position + entryBlockLength, end, COMPARE_VAR_FIELDS);
        }
        if (position >= 0)
        {
            position = frameVarFields(buffer, position, end, TXN_VAR_FIELDS);
        }

        return position < 0 ? -1 : (int)(position - offset);
    }

    /**
     * @return the position after the fields, or -1 after refusing the request.
     */
    private long frameVarFields(final DirectBuffer buffer, final long start, final int end, final int varFields)
    {
        long position = start;
        if (position > end)
        {
            return refuse(ErrorCode.MALFORMED, "block runs past the end of the message");
        }
        for (int i = 0; i < varFields; i++)
        {
            if (position + Protocol.VAR_DATA_LENGTH_PREFIX > end)
            {
                return refuse(ErrorCode.MALFORMED, "length field " + i + " lies past the end of the message");
            }
            final long varLength = buffer.getInt((int)position) & 0xFFFF_FFFFL;
            position += Protocol.VAR_DATA_LENGTH_PREFIX + varLength;
            if (position > end)
            {
                return refuse(
                    ErrorCode.MALFORMED, "field " + i + " of " + varLength + " bytes runs past the end of the message");
            }
        }

        return position;
    }

    private byte[] readKey(final int keyLength, final int length)
    {
        if (0 == keyLength)
        {
            reject(length, ErrorCode.EMPTY_KEY, "key is not provided");
            return null;
        }
        if (keyLength > maxKeyLength)
        {
            reject(length, ErrorCode.KEY_TOO_LARGE, "key of " + keyLength + " bytes exceeds " + maxKeyLength);
            return null;
        }

        return new byte[keyLength];
    }

    private byte[] readRangeEnd(final int rangeEndLength, final int length)
    {
        if (rangeEndLength > maxKeyLength)
        {
            reject(length, ErrorCode.KEY_TOO_LARGE, "rangeEnd of " + rangeEndLength + " bytes exceeds " + maxKeyLength);
            return null;
        }

        return 0 == rangeEndLength ? EMPTY : new byte[rangeEndLength];
    }

    private static boolean isInverted(final byte[] key, final byte[] rangeEnd)
    {
        return rangeEnd.length > 0 && !KeyRanges.isFromKey(rangeEnd) && KeyRanges.compare(rangeEnd, key) < 0;
    }

    /**
     * Refuse a request whose extent cannot be trusted: the rest of the ingress message is refused with it.
     */
    private int refuse(final ErrorCode code, final String message)
    {
        rejected = true;
        responder.onError(stateMachine.revision(), code, message);
        return -1;
    }

    /**
     * Refuse a well framed request: the next request of the ingress message is still read.
     */
    private int reject(final int length, final ErrorCode code, final String message)
    {
        rejected = true;
        responder.onError(stateMachine.revision(), code, message);
        return length;
    }
}
