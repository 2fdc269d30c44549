package io.metastore.node.service;

import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.SortOrder;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;

/**
 * Decodes the requests of one ingress message, checks each before anything changes, and calls the state machine.
 * <p>
 * The one place that reads ingress bytes. Every check is made on the bytes alone, so every replica and every
 * replay reaches the same verdict: schema id and version, template id, block length, every length field against
 * the end of the buffer, empty keys, key and value limits, inverted ranges, unknown flags and enum values. A
 * refused request gets an error response on its correlation id. When a request's length cannot be trusted the
 * rest of its ingress message cannot be framed either, and is refused with it.
 */
final class IngressAdapter
{
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final byte[] EMPTY = new byte[0];
    private static final int PUT_FLAGS_MASK = 0b111;
    private static final int RANGE_FLAGS_MASK = 0b11;
    private static final int DELETE_RANGE_FLAGS_MASK = 0b1;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PutRequestDecoder putDecoder = new PutRequestDecoder();
    private final RangeRequestDecoder rangeDecoder = new RangeRequestDecoder();
    private final DeleteRangeRequestDecoder deleteRangeDecoder = new DeleteRangeRequestDecoder();
    private final KvStateMachine stateMachine;
    private final ResponseEncoder responder;
    private final int maxKeyLength;
    private final int maxValueLength;
    private final int[] varLengths = new int[2];

    IngressAdapter(
        final KvStateMachine stateMachine,
        final ResponseEncoder responder,
        final int maxKeyLength,
        final int maxValueLength)
    {
        this.stateMachine = stateMachine;
        this.responder = responder;
        this.maxKeyLength = maxKeyLength;
        this.maxValueLength = maxValueLength;
    }

    /**
     * Apply every request of one ingress message, answering each through the responder.
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return the number of requests answered.
     */
    int onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
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

        if (remaining < HEADER_LENGTH)
        {
            return refuse(ErrorCode.MALFORMED, "request of " + remaining + " bytes is shorter than its header");
        }

        headerDecoder.wrap(buffer, offset);
        final int schemaId = headerDecoder.schemaId();
        final int version = headerDecoder.version();
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID || version > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return refuse(
                ErrorCode.UNSUPPORTED_SCHEMA, "schema id " + schemaId + " version " + version + " is not " +
                MessageHeaderDecoder.SCHEMA_ID + " version <= " + MessageHeaderDecoder.SCHEMA_VERSION);
        }

        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        switch (templateId)
        {
            case PutRequestDecoder.TEMPLATE_ID:
                return onPut(buffer, offset, end, blockLength, version);

            case RangeRequestDecoder.TEMPLATE_ID:
                return onRange(buffer, offset, end, blockLength, version);

            case DeleteRangeRequestDecoder.TEMPLATE_ID:
                return onDeleteRange(buffer, offset, end, blockLength, version);

            default:
                return refuse(ErrorCode.UNKNOWN_TEMPLATE, "unknown template id " + templateId);
        }
    }

    private int onPut(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, PutRequestDecoder.BLOCK_LENGTH);
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

        final byte[] key = readKey(decoder.keyLength());
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
        final int valueOffset = decoder.limit() + Protocol.VAR_DATA_LENGTH_PREFIX;

        stateMachine.put(
            key,
            buffer,
            valueOffset,
            valueLength,
            lease,
            decoder.flags().prevKv(),
            decoder.flags().ignoreValue(),
            decoder.flags().ignoreLease(),
            responder);

        return length;
    }

    private int onRange(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, RangeRequestDecoder.BLOCK_LENGTH);
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

        final byte[] key = readKey(decoder.keyLength());
        if (null == key)
        {
            return length;
        }
        decoder.getKey(key, 0, key.length);
        final byte[] rangeEnd = readRangeEnd(decoder.rangeEndLength(), key);
        if (null == rangeEnd)
        {
            return length;
        }
        decoder.getRangeEnd(rangeEnd, 0, rangeEnd.length);
        if (isInverted(key, rangeEnd))
        {
            return reject(length, ErrorCode.INVALID_RANGE, "rangeEnd is below key");
        }

        stateMachine.range(
            key,
            rangeEnd,
            limit,
            revision,
            SortOrder.DESCEND.value() == sortOrderRaw,
            decoder.flags().keysOnly(),
            decoder.flags().countOnly(),
            responder);

        return length;
    }

    private int onDeleteRange(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = frame(buffer, offset, end, blockLength, DeleteRangeRequestDecoder.BLOCK_LENGTH);
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

        final byte[] key = readKey(decoder.keyLength());
        if (null == key)
        {
            return length;
        }
        decoder.getKey(key, 0, key.length);
        final byte[] rangeEnd = readRangeEnd(decoder.rangeEndLength(), key);
        if (null == rangeEnd)
        {
            return length;
        }
        decoder.getRangeEnd(rangeEnd, 0, rangeEnd.length);
        if (isInverted(key, rangeEnd))
        {
            return reject(length, ErrorCode.INVALID_RANGE, "rangeEnd is below key");
        }

        stateMachine.deleteRange(key, rangeEnd, decoder.flags().prevKv(), responder);

        return length;
    }

    /**
     * Check that a request with a block and two variable length fields lies within the buffer.
     *
     * @return the request's whole length, or -1 after refusing it.
     */
    private int frame(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int minBlockLength)
    {
        if (blockLength < minBlockLength)
        {
            return refuse(ErrorCode.MALFORMED, "block length " + blockLength + " is below " + minBlockLength);
        }

        long position = (long)offset + HEADER_LENGTH + blockLength;
        for (int i = 0; i < varLengths.length; i++)
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
            varLengths[i] = (int)varLength;
        }

        return (int)(position - offset);
    }

    private byte[] readKey(final int keyLength)
    {
        if (0 == keyLength)
        {
            refuse(ErrorCode.EMPTY_KEY, "key is not provided");
            return null;
        }
        if (keyLength > maxKeyLength)
        {
            refuse(ErrorCode.KEY_TOO_LARGE, "key of " + keyLength + " bytes exceeds " + maxKeyLength);
            return null;
        }

        return new byte[keyLength];
    }

    private byte[] readRangeEnd(final int rangeEndLength, final byte[] key)
    {
        if (rangeEndLength > maxKeyLength)
        {
            refuse(ErrorCode.KEY_TOO_LARGE, "rangeEnd of " + rangeEndLength + " bytes exceeds " + maxKeyLength);
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
        responder.onError(stateMachine.revision(), code, message);
        return -1;
    }

    /**
     * Refuse a well framed request: the next request of the ingress message is still read.
     */
    private int reject(final int length, final ErrorCode code, final String message)
    {
        responder.onError(stateMachine.revision(), code, message);
        return length;
    }
}
