package io.metastore.node.service;

import io.metastore.codecs.ChangesRequestDecoder;
import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.SortOrder;
import io.metastore.node.kv.TxnOp;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;

/**
 * Frames requests and reads the fields they share, checked against the limits: the message header, a request's
 * block and variable length fields against the end of the buffer, flags against the bits each request defines,
 * the key and the range end. Reads put, range and delete-range requests, which stand alone or inside a
 * transaction, into a {@link TxnOp}.
 * <p>
 * Framing records where each variable length field of the request lies, so the key, value and range end are read
 * from the bytes framing already checked, the same way for every request.
 */
final class RequestReader
{
    /**
     * Length of the message header before each request.
     */
    static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_VAR_FIELDS = 3;
    private static final int PUT_FLAGS_MASK = 0b111;
    private static final int RANGE_FLAGS_MASK = 0b11;
    private static final int DELETE_RANGE_FLAGS_MASK = 0b1;
    private static final int KEY_FIELD = 0;
    private static final int SECOND_FIELD = 1;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PutRequestDecoder putDecoder = new PutRequestDecoder();
    private final RangeRequestDecoder rangeDecoder = new RangeRequestDecoder();
    private final DeleteRangeRequestDecoder deleteRangeDecoder = new DeleteRangeRequestDecoder();
    private final ChangesRequestDecoder changesDecoder = new ChangesRequestDecoder();
    private long fromRevision;
    private long toRevision;
    private final int[] fieldOffsets = new int[MAX_VAR_FIELDS];
    private final int[] fieldLengths = new int[MAX_VAR_FIELDS];
    private final Refusals refusals;
    private final int maxKeyLength;
    private final int maxValueLength;

    RequestReader(final Refusals refusals, final int maxKeyLength, final int maxValueLength)
    {
        this.refusals = refusals;
        this.maxKeyLength = maxKeyLength;
        this.maxValueLength = maxValueLength;
    }

    /**
     * @return the header last read by {@link #readHeader(DirectBuffer, int, int)}.
     */
    MessageHeaderDecoder header()
    {
        return headerDecoder;
    }

    /**
     * @return the largest value a request may carry.
     */
    int maxValueLength()
    {
        return maxValueLength;
    }

    /**
     * Read and check a request's message header: its schema and version.
     *
     * @return true if it can be read; false after refusing it.
     */
    boolean readHeader(final DirectBuffer buffer, final int offset, final int end)
    {
        final int remaining = end - offset;
        if (remaining < HEADER_LENGTH)
        {
            refusals.refuse(ErrorCode.MALFORMED, "request of " + remaining + " bytes is shorter than its header");
            return false;
        }

        headerDecoder.wrap(buffer, offset);
        final int schemaId = headerDecoder.schemaId();
        final int version = headerDecoder.version();
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID || version > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            refusals.refuse(
                ErrorCode.UNSUPPORTED_SCHEMA, "schema id " + schemaId + " version " + version + " is not " +
                MessageHeaderDecoder.SCHEMA_ID + " version <= " + MessageHeaderDecoder.SCHEMA_VERSION);
            return false;
        }

        return true;
    }

    /**
     * Read a put request.
     *
     * @return its length, or -1 after refusing it and the rest of the message; {@link Refusals#isRefused()} tells
     * a framed request that was refused.
     */
    int readPut(
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
        if (!hasKnownFlags(buffer, offset, PutRequestDecoder.flagsEncodingOffset(), PUT_FLAGS_MASK, "put", length))
        {
            return length;
        }
        final long lease = decoder.lease();
        if (lease < 0)
        {
            return refusals.refuse(length, ErrorCode.INVALID_ARGUMENT, "negative lease id " + lease);
        }
        final byte[] key = key(buffer, length);
        if (null == key)
        {
            return length;
        }
        final int valueLength = fieldLengths[SECOND_FIELD];
        if (valueLength > maxValueLength)
        {
            return refusals.refuse(
                length, ErrorCode.VALUE_TOO_LARGE, "value of " + valueLength + " bytes exceeds " + maxValueLength);
        }

        op.type = TxnOp.PUT;
        op.key = key;
        op.valueBuffer = buffer;
        op.valueOffset = fieldOffsets[SECOND_FIELD];
        op.valueLength = valueLength;
        op.lease = lease;
        op.prevKv = decoder.flags().prevKv();
        op.ignoreValue = decoder.flags().ignoreValue();
        op.ignoreLease = decoder.flags().ignoreLease();

        return length;
    }

    /**
     * Read a range request.
     *
     * @return as {@link #readPut}.
     */
    int readRange(
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
        if (!hasKnownFlags(
            buffer, offset, RangeRequestDecoder.flagsEncodingOffset(), RANGE_FLAGS_MASK, "range", length))
        {
            return length;
        }
        final short sortOrderRaw = decoder.sortOrderRaw();
        if (sortOrderRaw > SortOrder.DESCEND.value())
        {
            return refusals.refuse(length, ErrorCode.INVALID_ARGUMENT, "unknown sort order " + sortOrderRaw);
        }
        final long limit = decoder.keyLimit();
        final long revision = decoder.revision();
        if (limit < 0 || revision < 0)
        {
            return refusals.refuse(length, ErrorCode.INVALID_ARGUMENT,
                limit < 0 ? "negative limit " + limit : "negative revision " + revision);
        }
        if (!readKeyAndRangeEnd(buffer, length, op))
        {
            return length;
        }

        op.type = TxnOp.RANGE;
        op.limit = limit;
        op.revision = revision;
        op.descending = SortOrder.DESCEND.value() == sortOrderRaw;
        op.keysOnly = decoder.flags().keysOnly();
        op.countOnly = decoder.flags().countOnly();

        return length;
    }

    /**
     * Read a changes request: its key, range end and limit into {@code op}; its revisions into {@link #fromRevision()}
     * and {@link #toRevision()}.
     *
     * @return as {@link #readPut}.
     */
    int readChanges(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final TxnOp op)
    {
        final int length = frame(buffer, offset, end, blockLength, ChangesRequestDecoder.BLOCK_LENGTH, 2);
        if (length < 0)
        {
            return -1;
        }

        final ChangesRequestDecoder decoder = changesDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
        final long limit = decoder.changeLimit();
        fromRevision = decoder.fromRevision();
        toRevision = decoder.toRevision();
        if (limit < 0 || fromRevision < 1 || toRevision < 0)
        {
            return refusals.refuse(length, ErrorCode.INVALID_ARGUMENT, "limit " + limit + ", fromRevision " +
                fromRevision + " or toRevision " + toRevision + " out of range: fromRevision must be positive, " +
                "the others not negative");
        }
        if (!readKeyAndRangeEnd(buffer, length, op))
        {
            return length;
        }

        op.type = TxnOp.RANGE;
        op.limit = limit;
        return length;
    }

    /**
     * @return the first revision of the last changes request read.
     */
    long fromRevision()
    {
        return fromRevision;
    }

    /**
     * @return the last revision of the last changes request read, 0 for the current one.
     */
    long toRevision()
    {
        return toRevision;
    }

    /**
     * Read a delete-range request.
     *
     * @return as {@link #readPut}.
     */
    int readDeleteRange(
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
        if (!hasKnownFlags(
            buffer, offset, DeleteRangeRequestDecoder.flagsEncodingOffset(), DELETE_RANGE_FLAGS_MASK, "delete", length))
        {
            return length;
        }
        if (!readKeyAndRangeEnd(buffer, length, op))
        {
            return length;
        }

        op.type = TxnOp.DELETE_RANGE;
        op.prevKv = decoder.flags().prevKv();

        return length;
    }

    /**
     * Check that a request with a block and {@code varFields} variable length fields lies within the buffer, and
     * record where each field lies.
     *
     * @return the request's whole length, or -1 after refusing it.
     */
    int frame(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int minBlockLength,
        final int varFields)
    {
        if (blockLength < minBlockLength)
        {
            return refusals.refuse(ErrorCode.MALFORMED, "block length " + blockLength + " is below " + minBlockLength);
        }

        final long position = frameVarFields(buffer, (long)offset + HEADER_LENGTH + blockLength, end, varFields);
        return position < 0 ? -1 : (int)(position - offset);
    }

    /**
     * Check that variable length fields, back to back from {@code start}, lie within the buffer, recording where
     * the first {@link #MAX_VAR_FIELDS} lie.
     *
     * @return the position after the fields, or -1 after refusing the request.
     */
    long frameVarFields(final DirectBuffer buffer, final long start, final int end, final int varFields)
    {
        long position = start;
        if (position > end)
        {
            return refusals.refuse(ErrorCode.MALFORMED, "block runs past the end of the message");
        }
        for (int i = 0; i < varFields; i++)
        {
            if (position + Protocol.VAR_DATA_LENGTH_PREFIX > end)
            {
                return refusals.refuse(ErrorCode.MALFORMED, "length field " + i + " lies past the end of the message");
            }
            final long varLength = buffer.getInt((int)position) & 0xFFFF_FFFFL;
            position += Protocol.VAR_DATA_LENGTH_PREFIX;
            if (i < MAX_VAR_FIELDS)
            {
                fieldOffsets[i] = (int)position;
                fieldLengths[i] = (int)Math.min(Integer.MAX_VALUE, varLength);
            }
            position += varLength;
            if (position > end)
            {
                return refusals.refuse(
                    ErrorCode.MALFORMED, "field " + i + " of " + varLength + " bytes runs past the end of the message");
            }
        }

        return position;
    }

    /**
     * @param length of the request, to refuse it with.
     * @return a key of the given length, checked against the limits, or null after refusing the request.
     */
    byte[] newKey(final int keyLength, final int length)
    {
        if (0 == keyLength)
        {
            refusals.refuse(length, ErrorCode.EMPTY_KEY, "key is not provided");
            return null;
        }
        if (keyLength > maxKeyLength)
        {
            refusals.refuse(length, ErrorCode.KEY_TOO_LARGE, "key of " + keyLength + " bytes exceeds " + maxKeyLength);
            return null;
        }

        return new byte[keyLength];
    }

    /**
     * @param length of the request, to refuse it with.
     * @return a range end of the given length, checked against the limits, or null after refusing the request.
     */
    byte[] newRangeEnd(final int rangeEndLength, final int length)
    {
        if (rangeEndLength > maxKeyLength)
        {
            refusals.refuse(
                length, ErrorCode.KEY_TOO_LARGE, "rangeEnd of " + rangeEndLength + " bytes exceeds " + maxKeyLength);
            return null;
        }

        return 0 == rangeEndLength ? EMPTY : new byte[rangeEndLength];
    }

    /**
     * @return true if the range ends below its key: refused as an invalid range.
     */
    static boolean isInverted(final byte[] key, final byte[] rangeEnd)
    {
        return rangeEnd.length > 0 && !KeyRanges.isFromKey(rangeEnd) && KeyRanges.compare(rangeEnd, key) < 0;
    }

    /**
     * @param flagsOffset offset of the flags byte in the request's block.
     * @param knownFlags  the bits the request defines.
     * @param request     what the request is, for the message.
     * @param length      of the request, to refuse it with.
     * @return true if only known flags are set; false after refusing the request.
     */
    boolean hasKnownFlags(
        final DirectBuffer buffer,
        final int offset,
        final int flagsOffset,
        final int knownFlags,
        final String request,
        final int length)
    {
        final int flags = buffer.getByte(offset + HEADER_LENGTH + flagsOffset) & 0xFF;
        if (0 != (flags & ~knownFlags))
        {
            refusals.refuse(
                length, ErrorCode.UNKNOWN_FLAGS, "unknown " + request + " flags 0x" + Integer.toHexString(flags));
            return false;
        }

        return true;
    }

    private byte[] key(final DirectBuffer buffer, final int length)
    {
        final byte[] key = newKey(fieldLengths[KEY_FIELD], length);
        if (null != key)
        {
            buffer.getBytes(fieldOffsets[KEY_FIELD], key);
        }

        return key;
    }

    private boolean readKeyAndRangeEnd(final DirectBuffer buffer, final int length, final TxnOp op)
    {
        final byte[] key = key(buffer, length);
        if (null == key)
        {
            return false;
        }
        final byte[] rangeEnd = newRangeEnd(fieldLengths[SECOND_FIELD], length);
        if (null == rangeEnd)
        {
            return false;
        }
        buffer.getBytes(fieldOffsets[SECOND_FIELD], rangeEnd);
        if (isInverted(key, rangeEnd))
        {
            refusals.refuse(length, ErrorCode.INVALID_RANGE, "rangeEnd is below key");
            return false;
        }

        op.key = key;
        op.rangeEnd = rangeEnd;
        return true;
    }
}
