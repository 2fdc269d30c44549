package io.metastore.client;

import io.metastore.codecs.BooleanType;
import io.metastore.codecs.DeleteRangeResponseDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutResponseDecoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.TxnResponseDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code TxnResponse} into a {@link TxnResult}: the {@code responses} field holds one whole response per
 * operation, back to back, each with its own message header; a nested transaction's response nests the same way.
 * <p>
 * One set of flyweights serves every depth: a level reads all it needs from the txn flyweight before it decodes
 * the responses inside, which may wrap that flyweight again.
 */
final class TxnResultDecoder
{
    /**
     * Deeper than any transaction the cluster accepts; guards the recursion against a malformed response.
     */
    static final int MAX_DEPTH = 64;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PutResponseDecoder putDecoder = new PutResponseDecoder();
    private final RangeResponseDecoder rangeDecoder = new RangeResponseDecoder();
    private final DeleteRangeResponseDecoder deleteRangeDecoder = new DeleteRangeResponseDecoder();
    private final TxnResponseDecoder txnDecoder = new TxnResponseDecoder();
    private int lastEnd;

    /**
     * Decode the body of a transaction response.
     *
     * @param buffer      holding the response.
     * @param bodyOffset  of the body, just past the message header.
     * @param blockLength from the message header.
     * @param version     from the message header.
     * @return the result, with the results of every operation that ran.
     * @throws MetaStoreException if the response is malformed.
     */
    TxnResult decode(final DirectBuffer buffer, final int bodyOffset, final int blockLength, final int version)
    {
        return decode(buffer, bodyOffset, blockLength, version, 0);
    }

    private TxnResult decode(
        final DirectBuffer buffer, final int bodyOffset, final int blockLength, final int version, final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw malformed("transaction responses nested deeper than " + MAX_DEPTH);
        }

        txnDecoder.wrap(buffer, bodyOffset, blockLength, version);
        final ResponseHeader header = ResponseDecoder.header(txnDecoder.header());
        final boolean succeeded = BooleanType.TRUE == txnDecoder.succeeded();
        final int responsesLength = txnDecoder.responsesLength();
        final int start = txnDecoder.limit() + TxnResponseDecoder.responsesHeaderLength();
        final int end = start + responsesLength;
        if (responsesLength < 0 || end > buffer.capacity())
        {
            throw malformed("responses of " + responsesLength + " bytes pass the end of the buffer");
        }

        final List<OpResult> results = new ArrayList<>();
        int cursor = start;
        while (cursor < end)
        {
            if (cursor + MessageHeaderDecoder.ENCODED_LENGTH > end)
            {
                throw malformed("truncated message header at offset " + (cursor - start) + " of the responses");
            }
            headerDecoder.wrap(buffer, cursor);
            if (MessageHeaderDecoder.SCHEMA_ID != headerDecoder.schemaId())
            {
                throw malformed("inner response of unknown schema " + headerDecoder.schemaId());
            }
            final int innerBlockLength = headerDecoder.blockLength();
            final int innerVersion = headerDecoder.version();
            final int templateId = headerDecoder.templateId();
            final int innerBodyOffset = cursor + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (templateId)
            {
                case PutResponseDecoder.TEMPLATE_ID:
                    putDecoder.wrap(buffer, innerBodyOffset, innerBlockLength, innerVersion);
                    results.add(ResponseDecoder.putResult(putDecoder));
                    cursor = putDecoder.limit();
                    break;

                case RangeResponseDecoder.TEMPLATE_ID:
                    rangeDecoder.wrap(buffer, innerBodyOffset, innerBlockLength, innerVersion);
                    results.add(ResponseDecoder.rangeResult(rangeDecoder));
                    cursor = rangeDecoder.limit();
                    break;

                case DeleteRangeResponseDecoder.TEMPLATE_ID:
                    deleteRangeDecoder.wrap(buffer, innerBodyOffset, innerBlockLength, innerVersion);
                    results.add(ResponseDecoder.deleteResult(deleteRangeDecoder));
                    cursor = deleteRangeDecoder.limit();
                    break;

                case TxnResponseDecoder.TEMPLATE_ID:
                    results.add(decode(buffer, innerBodyOffset, innerBlockLength, innerVersion, depth + 1));
                    cursor = lastEnd;
                    break;

                default:
                    throw malformed("inner response of unexpected template " + templateId);
            }
        }
        if (cursor != end)
        {
            throw malformed("last inner response runs " + (cursor - end) + " bytes past the responses");
        }
        lastEnd = end;

        return new TxnResult(header, succeeded, List.copyOf(results));
    }

    private static MetaStoreException malformed(final String message)
    {
        return new MetaStoreException(ErrorCode.INTERNAL, "malformed transaction response: " + message);
    }
}
