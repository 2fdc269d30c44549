package io.metastore.node.service;

import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.TxnRequestDecoder;
import io.metastore.node.kv.TxnCompare;
import io.metastore.node.kv.TxnOp;
import io.metastore.node.kv.TxnRequest;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Decodes a transaction request into a {@link TxnRequest} tree: its compares, then the requests of its success
 * and failure lists, which are whole requests back to back, each read with the same checks as on its own (nested
 * transactions recursively, to {@link #MAX_TXN_DEPTH}). The first request that fails refuses the whole
 * transaction.
 */
final class TxnDecoder
{
    /**
     * Deepest nesting of transactions: a transaction inside a transaction is depth 2.
     */
    static final int MAX_TXN_DEPTH = 8;

    private static final int HEADER_LENGTH = RequestReader.HEADER_LENGTH;
    private static final int COMPARE_VAR_FIELDS = 3;
    private static final int TXN_VAR_FIELDS = 2;

    private final TxnRequestDecoder txnDecoder = new TxnRequestDecoder();
    private final RequestReader reader;
    private final Refusals refusals;
    private final int maxTxnOps;

    TxnDecoder(final RequestReader reader, final Refusals refusals, final int maxTxnOps)
    {
        this.reader = reader;
        this.refusals = refusals;
        this.maxTxnOps = maxTxnOps;
    }

    /**
     * Decode a transaction and, recursively, the requests inside it into {@code op.txn}.
     *
     * @return its whole length, or -1 after refusing it and the rest of the message; {@link Refusals#isRefused()}
     * tells a framed transaction that was refused.
     */
    int decode(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final int depth,
        final TxnOp op)
    {
        final int length = frame(buffer, offset, end, blockLength);
        if (length < 0)
        {
            return -1;
        }
        if (depth > MAX_TXN_DEPTH)
        {
            return refusals.refuse(length, ErrorCode.TXN_TOO_DEEP, "transactions nest " + depth +
                " deep, deeper than " + MAX_TXN_DEPTH);
        }

        final TxnRequestDecoder decoder = txnDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
        final TxnRequestDecoder.ComparesDecoder compares = decoder.compares();
        if (compares.count() > maxTxnOps)
        {
            return refusals.refuse(length, ErrorCode.TOO_MANY_OPERATIONS, "too many operations in txn request: " +
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
            refusals.refuse(length, ErrorCode.INVALID_ARGUMENT, "unknown compare result " + resultRaw +
                " or target " + targetRaw);
            return null;
        }

        final TxnCompare compare = new TxnCompare();
        compare.result = CompareResult.get(resultRaw);
        compare.target = CompareTarget.get(targetRaw);
        compare.targetValue = entry.targetValue();
        compare.key = reader.newKey(entry.keyLength(), length);
        if (null == compare.key)
        {
            return null;
        }
        entry.getKey(compare.key, 0, compare.key.length);
        compare.rangeEnd = reader.newRangeEnd(entry.rangeEndLength(), length);
        if (null == compare.rangeEnd)
        {
            return null;
        }
        entry.getRangeEnd(compare.rangeEnd, 0, compare.rangeEnd.length);
        if (RequestReader.isInverted(compare.key, compare.rangeEnd))
        {
            refusals.refuse(length, ErrorCode.INVALID_RANGE, "compare rangeEnd is below key");
            return null;
        }
        final int valueLength = entry.valueLength();
        if (valueLength > reader.maxValueLength())
        {
            refusals.refuse(length, ErrorCode.VALUE_TOO_LARGE, "compare value of " + valueLength +
                " bytes exceeds " + reader.maxValueLength());
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
                refusals.refuse(ErrorCode.TOO_MANY_OPERATIONS, "too many operations in txn request: the limit is " +
                    maxTxnOps + " per list");
                return false;
            }
            if (!reader.readHeader(buffer, cursor, end))
            {
                return false;
            }

            final int templateId = reader.header().templateId();
            final int blockLength = reader.header().blockLength();
            final int version = reader.header().version();
            final TxnOp op = new TxnOp();
            final int length = switch (templateId)
            {
                case PutRequestDecoder.TEMPLATE_ID -> reader.readPut(buffer, cursor, end, blockLength, version, op);
                case RangeRequestDecoder.TEMPLATE_ID ->
                    reader.readRange(buffer, cursor, end, blockLength, version, op);
                case DeleteRangeRequestDecoder.TEMPLATE_ID ->
                    reader.readDeleteRange(buffer, cursor, end, blockLength, version, op);
                case TxnRequestDecoder.TEMPLATE_ID -> decode(buffer, cursor, end, blockLength, version, depth + 1, op);
                default -> refusals.refuse(
                    ErrorCode.UNKNOWN_TEMPLATE, "template id " + templateId + " cannot be in a txn");
            };
            if (length <= 0 || refusals.isRefused())
            {
                return false;
            }
            ops.add(op);
            cursor += length;
        }

        return true;
    }

    /**
     * Check that a transaction lies within the buffer: its block, its compares group and its two lists. The
     * requests inside the lists are framed when they are decoded.
     *
     * @return the transaction's whole length, or -1 after refusing it.
     */
    private int frame(final DirectBuffer buffer, final int offset, final int end, final int blockLength)
    {
        if (blockLength < TxnRequestDecoder.BLOCK_LENGTH)
        {
            return refusals.refuse(
                ErrorCode.MALFORMED, "block length " + blockLength + " is below " + TxnRequestDecoder.BLOCK_LENGTH);
        }

        long position = (long)offset + HEADER_LENGTH + blockLength;
        if (position + TxnRequestDecoder.ComparesDecoder.HEADER_SIZE > end)
        {
            return refusals.refuse(ErrorCode.MALFORMED, "compares group header lies past the end of the message");
        }
        final int entryBlockLength = buffer.getShort((int)position, TxnRequestDecoder.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort((int)position + 2, TxnRequestDecoder.BYTE_ORDER) & 0xFFFF;
        if (entryBlockLength < TxnRequestDecoder.ComparesDecoder.sbeBlockLength())
        {
            return refusals.refuse(ErrorCode.MALFORMED, "compare block length " + entryBlockLength + " is below " +
                TxnRequestDecoder.ComparesDecoder.sbeBlockLength());
        }
        position += TxnRequestDecoder.ComparesDecoder.HEADER_SIZE;
        for (int i = 0; i < count && position >= 0; i++)
        {
            position = reader.frameVarFields(buffer, position + entryBlockLength, end, COMPARE_VAR_FIELDS);
        }
        if (position >= 0)
        {
            position = reader.frameVarFields(buffer, position, end, TXN_VAR_FIELDS);
        }

        return position < 0 ? -1 : (int)(position - offset);
    }
}
