package io.metastore.tools.log;

import io.metastore.codecs.AlarmRequestDecoder;
import io.metastore.codecs.ChangesRequestDecoder;
import io.metastore.codecs.CompactRequestDecoder;
import io.metastore.codecs.DefragmentRequestDecoder;
import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.LeaseGrantRequestDecoder;
import io.metastore.codecs.LeaseKeepAliveRequestDecoder;
import io.metastore.codecs.LeaseListRequestDecoder;
import io.metastore.codecs.LeaseRevokeRequestDecoder;
import io.metastore.codecs.LeaseTimeToLiveRequestDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.ResponseHeaderDecoder;
import io.metastore.codecs.TxnRequestDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the requests of a logged client message with MetaStore's generated SBE decoders, and pairs each with the
 * response the service sent for it when the log was replayed. Bytes that do not decode are described as such, never
 * thrown: the log holds what clients sent, bad input included, and the node refused it the same way.
 */
final class RequestDescriber
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ErrorResponseDecoder error = new ErrorResponseDecoder();
    private final PutRequestDecoder putDecoder = new PutRequestDecoder();
    private final RangeRequestDecoder rangeDecoder = new RangeRequestDecoder();
    private final DeleteRangeRequestDecoder deleteRangeDecoder = new DeleteRangeRequestDecoder();
    private final LeaseGrantRequestDecoder leaseGrantDecoder = new LeaseGrantRequestDecoder();
    private final LeaseRevokeRequestDecoder leaseRevokeDecoder = new LeaseRevokeRequestDecoder();
    private final LeaseKeepAliveRequestDecoder leaseKeepAliveDecoder = new LeaseKeepAliveRequestDecoder();
    private final LeaseTimeToLiveRequestDecoder leaseTimeToLiveDecoder = new LeaseTimeToLiveRequestDecoder();
    private final LeaseListRequestDecoder leaseListDecoder = new LeaseListRequestDecoder();
    private final AlarmRequestDecoder alarmDecoder = new AlarmRequestDecoder();
    private final CompactRequestDecoder compactDecoder = new CompactRequestDecoder();
    private final DefragmentRequestDecoder defragmentDecoder = new DefragmentRequestDecoder();
    private final ChangesRequestDecoder changesDecoder = new ChangesRequestDecoder();
    private final TxnRequestDecoder txnDecoder = new TxnRequestDecoder();
    private final ResponseLengths responseLengths = new ResponseLengths();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer branch = new UnsafeBuffer(0, 0);
    private RequestDescriber nested;
    private final int valuePreviewBytes;

    /**
     * @param valuePreviewBytes bytes of each value to keep, -1 for all.
     */
    RequestDescriber(final int valuePreviewBytes)
    {
        this.valuePreviewBytes = valuePreviewBytes;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return its requests, in order; one of op {@code malformed} ends the list when the rest cannot be framed.
     */
    List<LoggedRequest> describe(final DirectBuffer buffer, final int offset, final int length)
    {
        final List<LoggedRequest> requests = new ArrayList<>();
        final int end = offset + length;
        int cursor = offset;
        while (cursor < end)
        {
            final int consumed = describeOne(buffer, cursor, end, requests);
            if (consumed <= 0)
            {
                break;
            }
            cursor += consumed;
        }

        return requests;
    }

    /**
     * Pair the requests of a message with the responses the service sent for it, in order.
     *
     * @param requests of the message.
     * @param buffer   holding the responses, back to back.
     * @param length   of the responses.
     */
    void answer(final List<LoggedRequest> requests, final DirectBuffer buffer, final int length)
    {
        int cursor = 0;
        for (final LoggedRequest request : requests)
        {
            if (cursor + MessageHeaderDecoder.ENCODED_LENGTH > length)
            {
                return;
            }
            header.wrap(buffer, cursor);
            final int body = cursor + MessageHeaderDecoder.ENCODED_LENGTH;
            final long revision = buffer.getLong(
                body + ResponseHeaderDecoder.revisionEncodingOffset(), ResponseHeaderDecoder.BYTE_ORDER);
            if (ErrorResponseDecoder.TEMPLATE_ID == header.templateId())
            {
                error.wrap(buffer, body, header.blockLength(), header.version());
                request.answered(revision, error.code().name(), error.message());
                cursor = body + error.encodedLength();
            }
            else
            {
                request.answered(revision, null, null);
                final int next = responseLengths.length(header, buffer, body);
                if (next < 0)
                {
                    return;
                }
                cursor = body + next;
            }
        }
    }

    private int describeOne(final DirectBuffer buffer, final int offset, final int end, final List<LoggedRequest> out)
    {
        final long correlationId = end - offset >= MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES ?
            buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH) : 0;
        try
        {
            if (end - offset < MessageHeaderDecoder.ENCODED_LENGTH)
            {
                throw new IndexOutOfBoundsException("shorter than a message header");
            }
            header.wrap(buffer, offset);
            if (MessageHeaderDecoder.SCHEMA_ID != header.schemaId())
            {
                throw new IllegalArgumentException("schema id " + header.schemaId());
            }
            view.wrap(buffer, offset, end - offset);
            final int body = MessageHeaderDecoder.ENCODED_LENGTH;
            final int length = body + decode(view, body, header.templateId(), header.blockLength(),
                header.version(), out);

            return length;
        }
        catch (final RuntimeException ex)
        {
            out.add(new LoggedRequest("malformed", correlationId, 0)
                .add("reason", "cannot be decoded (" + ex.getMessage() + "); the rest of the message is not framed"));
            return -1;
        }
    }

    @SuppressWarnings("MethodLength")
    private int decode(
        final DirectBuffer buffer,
        final int offset,
        final int templateId,
        final int blockLength,
        final int version,
        final List<LoggedRequest> out)
    {
        switch (templateId)
        {
            case PutRequestDecoder.TEMPLATE_ID:
            {
                final PutRequestDecoder d = putDecoder.wrap(buffer, offset, blockLength, version);
                final LoggedRequest r = new LoggedRequest("put", d.header());
                r.add("lease", d.lease());
                flags(r, d.flags().prevKv(), "prevKv", d.flags().ignoreValue(), "ignoreValue",
                    d.flags().ignoreLease(), "ignoreLease");
                final byte[] key = new byte[d.keyLength()];
                d.getKey(key, 0, key.length);
                r.key("key", key);
                r.add("value", preview(bytes(d.valueLength(), (dst) -> d.getValue(dst, 0, dst.length))));
                out.add(r);
                return d.encodedLength();
            }

            case RangeRequestDecoder.TEMPLATE_ID:
            {
                final RangeRequestDecoder d = rangeDecoder.wrap(buffer, offset, blockLength, version);
                final LoggedRequest r = new LoggedRequest("range", d.header());
                r.add("limit", d.keyLimit()).add("atRevision", d.revision()).add("sort", d.sortOrder().name());
                flags(r, d.flags().keysOnly(), "keysOnly", d.flags().countOnly(), "countOnly", false, null);
                keyAndRangeEnd(r, bytes(d.keyLength(), (dst) -> d.getKey(dst, 0, dst.length)),
                    bytes(d.rangeEndLength(), (dst) -> d.getRangeEnd(dst, 0, dst.length)));
                out.add(r);
                return d.encodedLength();
            }

            case DeleteRangeRequestDecoder.TEMPLATE_ID:
            {
                final DeleteRangeRequestDecoder d =
                    deleteRangeDecoder.wrap(buffer, offset, blockLength, version);
                final LoggedRequest r = new LoggedRequest("delete", d.header());
                flags(r, d.flags().prevKv(), "prevKv", false, null, false, null);
                keyAndRangeEnd(r, bytes(d.keyLength(), (dst) -> d.getKey(dst, 0, dst.length)),
                    bytes(d.rangeEndLength(), (dst) -> d.getRangeEnd(dst, 0, dst.length)));
                out.add(r);
                return d.encodedLength();
            }

            case TxnRequestDecoder.TEMPLATE_ID:
                return txn(buffer, offset, blockLength, version, out);

            case LeaseGrantRequestDecoder.TEMPLATE_ID:
            {
                final LeaseGrantRequestDecoder d =
                    leaseGrantDecoder.wrap(buffer, offset, blockLength, version);
                out.add(new LoggedRequest("lease-grant", d.header())
                    .add("ttl", d.ttl()).add("id", d.id()));
                return d.encodedLength();
            }

            case LeaseRevokeRequestDecoder.TEMPLATE_ID:
            {
                final LeaseRevokeRequestDecoder d =
                    leaseRevokeDecoder.wrap(buffer, offset, blockLength, version);
                out.add(new LoggedRequest("lease-revoke", d.header()).add("id", d.id()));
                return d.encodedLength();
            }

            case LeaseKeepAliveRequestDecoder.TEMPLATE_ID:
            {
                final LeaseKeepAliveRequestDecoder d =
                    leaseKeepAliveDecoder.wrap(buffer, offset, blockLength, version);
                out.add(new LoggedRequest("lease-keepalive", d.header()).add("id", d.id()));
                return d.encodedLength();
            }

            case LeaseTimeToLiveRequestDecoder.TEMPLATE_ID:
            {
                final LeaseTimeToLiveRequestDecoder d =
                    leaseTimeToLiveDecoder.wrap(buffer, offset, blockLength, version);
                final LoggedRequest r = new LoggedRequest("lease-timetolive", d.header());
                r.add("id", d.id());
                flags(r, d.flags().keys(), "keys", false, null, false, null);
                out.add(r);
                return d.encodedLength();
            }

            case LeaseListRequestDecoder.TEMPLATE_ID:
            {
                final LeaseListRequestDecoder d =
                    leaseListDecoder.wrap(buffer, offset, blockLength, version);
                out.add(new LoggedRequest("lease-list", d.header()));
                return d.encodedLength();
            }

            case AlarmRequestDecoder.TEMPLATE_ID:
            {
                final AlarmRequestDecoder d = alarmDecoder.wrap(buffer, offset, blockLength, version);
                out.add(new LoggedRequest("alarm", d.header())
                    .add("action", d.action().name()).add("member", d.memberId()).add("alarm", d.alarm().name()));
                return d.encodedLength();
            }

            case CompactRequestDecoder.TEMPLATE_ID:
            {
                final CompactRequestDecoder d = compactDecoder.wrap(buffer, offset, blockLength, version);
                final LoggedRequest r = new LoggedRequest("compact", d.header());
                r.add("compactRevision", d.revision());
                flags(r, d.flags().physical(), "physical", false, null, false, null);
                out.add(r);
                return d.encodedLength();
            }

            case DefragmentRequestDecoder.TEMPLATE_ID:
            {
                final DefragmentRequestDecoder d =
                    defragmentDecoder.wrap(buffer, offset, blockLength, version);
                out.add(new LoggedRequest("defragment", d.header()));
                return d.encodedLength();
            }

            case ChangesRequestDecoder.TEMPLATE_ID:
            {
                final ChangesRequestDecoder d = changesDecoder.wrap(buffer, offset, blockLength, version);
                final LoggedRequest r = new LoggedRequest("changes", d.header());
                r.add("from", d.fromRevision()).add("to", d.toRevision()).add("limit", d.changeLimit());
                keyAndRangeEnd(r, bytes(d.keyLength(), (dst) -> d.getKey(dst, 0, dst.length)),
                    bytes(d.rangeEndLength(), (dst) -> d.getRangeEnd(dst, 0, dst.length)));
                out.add(r);
                return d.encodedLength();
            }

            default:
                throw new IllegalArgumentException("unknown template " + templateId);
        }
    }

    private int txn(
        final DirectBuffer buffer,
        final int offset,
        final int blockLength,
        final int version,
        final List<LoggedRequest> out)
    {
        final TxnRequestDecoder d = txnDecoder.wrap(buffer, offset, blockLength, version);
        final LoggedRequest r = new LoggedRequest("txn", d.header());
        final List<LoggedRequest> compares = new ArrayList<>();
        for (final TxnRequestDecoder.ComparesDecoder compare : d.compares())
        {
            final LoggedRequest c = new LoggedRequest("compare", 0, 0);
            c.add("target", compare.target().name()).add("result", compare.result().name());
            c.add("targetValue", compare.targetValue());
            final byte[] key = bytes(compare.keyLength(), (dst) -> compare.getKey(dst, 0, dst.length));
            final byte[] rangeEnd = bytes(compare.rangeEndLength(), (dst) -> compare.getRangeEnd(dst, 0, dst.length));
            keyAndRangeEnd(c, key, rangeEnd);
            r.keys().add(key);
            c.add("value", preview(bytes(compare.valueLength(), (dst) -> compare.getValue(dst, 0, dst.length))));
            compares.add(c);
        }
        r.add("compares", compares);
        // A transaction's branches hold requests of their own, a transaction perhaps: one describer per depth.
        if (null == nested)
        {
            nested = new RequestDescriber(valuePreviewBytes);
        }
        d.wrapSuccess(branch);
        final List<LoggedRequest> success = nested.describe(branch, 0, branch.capacity());
        d.wrapFailure(branch);
        final List<LoggedRequest> failure = nested.describe(branch, 0, branch.capacity());
        r.add("success", success).add("failure", failure);
        for (final LoggedRequest op : success)
        {
            r.keys().addAll(op.keys());
        }
        for (final LoggedRequest op : failure)
        {
            r.keys().addAll(op.keys());
        }
        out.add(r);

        return d.encodedLength();
    }

    private Object preview(final byte[] value)
    {
        if (valuePreviewBytes < 0 || value.length <= valuePreviewBytes)
        {
            return new LoggedRequest.Bytes(value, value.length);
        }

        return new LoggedRequest.Bytes(Arrays.copyOf(value, valuePreviewBytes), value.length);
    }

    private static void keyAndRangeEnd(final LoggedRequest r, final byte[] key, final byte[] rangeEnd)
    {
        r.key("key", key);
        if (rangeEnd.length > 0)
        {
            r.add("rangeEnd", rangeEnd);
        }
    }

    private static void flags(
        final LoggedRequest r,
        final boolean first,
        final String firstName,
        final boolean second,
        final String secondName,
        final boolean third,
        final String thirdName)
    {
        final StringBuilder sb = new StringBuilder();
        append(sb, first, firstName);
        append(sb, second, secondName);
        append(sb, third, thirdName);
        if (sb.length() > 0)
        {
            r.add("flags", sb.toString());
        }
    }

    private static void append(final StringBuilder sb, final boolean isSet, final String name)
    {
        if (isSet)
        {
            sb.append(sb.length() > 0 ? "," : "").append(name);
        }
    }

    private interface BytesReader
    {
        void read(byte[] dst);
    }

    private static byte[] bytes(final int length, final BytesReader reader)
    {
        final byte[] bytes = new byte[length];
        reader.read(bytes);
        return bytes;
    }
}
