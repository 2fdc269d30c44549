package io.metastore.client;

import io.metastore.codecs.AlarmResponseDecoder;
import io.metastore.codecs.BooleanType;
import io.metastore.codecs.DeleteRangeResponseDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.LeaseGrantResponseDecoder;
import io.metastore.codecs.LeaseKeepAliveResponseDecoder;
import io.metastore.codecs.LeaseListResponseDecoder;
import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.codecs.LeaseTimeToLiveResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutResponseDecoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.ResponseHeaderDecoder;
import io.metastore.codecs.TxnResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the responses of one egress message, back to back, and completes the matching pending requests.
 * The one place that reads egress bytes.
 */
final class ResponseDecoder
{
    /**
     * Finds and removes the pending request for a correlation id.
     */
    interface PendingLookup
    {
        PendingRequest remove(long correlationId);
    }

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private final PutResponseDecoder putDecoder = new PutResponseDecoder();
    private final RangeResponseDecoder rangeDecoder = new RangeResponseDecoder();
    private final DeleteRangeResponseDecoder deleteRangeDecoder = new DeleteRangeResponseDecoder();
    private final LeaseGrantResponseDecoder leaseGrantDecoder = new LeaseGrantResponseDecoder();
    private final LeaseRevokeResponseDecoder leaseRevokeDecoder = new LeaseRevokeResponseDecoder();
    private final LeaseKeepAliveResponseDecoder leaseKeepAliveDecoder = new LeaseKeepAliveResponseDecoder();
    private final LeaseTimeToLiveResponseDecoder leaseTimeToLiveDecoder = new LeaseTimeToLiveResponseDecoder();
    private final LeaseListResponseDecoder leaseListDecoder = new LeaseListResponseDecoder();
    private final TxnResponseDecoder txnDecoder = new TxnResponseDecoder();
    private final AlarmResponseDecoder alarmDecoder = new AlarmResponseDecoder();
    private final TxnResultDecoder txnResultDecoder = new TxnResultDecoder();
    private final PendingLookup pending;
    private final ErrorHandler errorHandler;

    ResponseDecoder(final PendingLookup pending, final ErrorHandler errorHandler)
    {
        this.pending = pending;
        this.errorHandler = errorHandler;
    }

    /**
     * Complete the requests answered by one egress message.
     *
     * @return the number of responses read.
     */
    int onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int cursor = offset;
        int count = 0;
        while (cursor + MessageHeaderDecoder.ENCODED_LENGTH <= end)
        {
            headerDecoder.wrap(buffer, cursor);
            if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
            {
                errorHandler.onError(new MetaStoreException(null, "response of unknown schema " +
                    headerDecoder.schemaId()));
                break;
            }
            final int consumed = onResponse(buffer, cursor);
            if (consumed <= 0)
            {
                break;
            }
            cursor += consumed;
            count++;
        }

        return count;
    }

    private int onResponse(final DirectBuffer buffer, final int offset)
    {
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int templateId = headerDecoder.templateId();
        final int bodyLength;
        switch (templateId)
        {
            case ErrorResponseDecoder.TEMPLATE_ID:
                bodyLength = onError(errorDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case PutResponseDecoder.TEMPLATE_ID:
                bodyLength = onPut(putDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case RangeResponseDecoder.TEMPLATE_ID:
                bodyLength = onRange(rangeDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case DeleteRangeResponseDecoder.TEMPLATE_ID:
                bodyLength = onDeleteRange(deleteRangeDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case TxnResponseDecoder.TEMPLATE_ID:
                bodyLength = onTxn(buffer, bodyOffset, blockLength, version);
                break;

            case LeaseGrantResponseDecoder.TEMPLATE_ID:
                bodyLength = onLeaseGrant(leaseGrantDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case LeaseRevokeResponseDecoder.TEMPLATE_ID:
                bodyLength = onLeaseRevoke(leaseRevokeDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case LeaseKeepAliveResponseDecoder.TEMPLATE_ID:
                bodyLength = onLeaseKeepAlive(leaseKeepAliveDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case LeaseTimeToLiveResponseDecoder.TEMPLATE_ID:
                bodyLength = onLeaseTimeToLive(
                    leaseTimeToLiveDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case LeaseListResponseDecoder.TEMPLATE_ID:
                bodyLength = onLeaseList(leaseListDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            case AlarmResponseDecoder.TEMPLATE_ID:
                bodyLength = onAlarm(alarmDecoder.wrap(buffer, bodyOffset, blockLength, version));
                break;

            default:
                errorHandler.onError(new MetaStoreException(null, "response of unknown template " + templateId));
                return -1;
        }

        return MessageHeaderDecoder.ENCODED_LENGTH + bodyLength;
    }

    private int onError(final ErrorResponseDecoder decoder)
    {
        final long correlationId = decoder.header().correlationId();
        final ErrorCode code = errorCode(decoder.codeRaw());
        final String message = decoder.message();
        final PendingRequest request = pending.remove(correlationId);
        if (null == request)
        {
            errorHandler.onError(new MetaStoreException(
                code, "unmatched error, correlationId=" + correlationId + ": " + message));
        }
        else
        {
            request.future.completeExceptionally(
                ErrorCode.NO_SPACE == code ? new NoSpaceException(message) : new MetaStoreException(code, message));
        }

        return decoder.encodedLength();
    }

    private int onPut(final PutResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null == request)
        {
            decoder.sbeSkip();
        }
        else
        {
            complete(request, PutResponseDecoder.TEMPLATE_ID, putResult(decoder));
        }

        return decoder.encodedLength();
    }

    private int onRange(final RangeResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null == request)
        {
            decoder.sbeSkip();
        }
        else
        {
            complete(request, RangeResponseDecoder.TEMPLATE_ID, rangeResult(decoder));
        }

        return decoder.encodedLength();
    }

    private int onDeleteRange(final DeleteRangeResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null == request)
        {
            decoder.sbeSkip();
        }
        else
        {
            complete(request, DeleteRangeResponseDecoder.TEMPLATE_ID, deleteResult(decoder));
        }

        return decoder.encodedLength();
    }

    /**
     * Read a put response to its end.
     */
    static PutResult putResult(final PutResponseDecoder decoder)
    {
        final ResponseHeader header = header(decoder.header());
        KeyValue prevKv = null;
        for (final PutResponseDecoder.PrevKvDecoder kv : decoder.prevKv())
        {
            prevKv = keyValue(kv);
        }

        return new PutResult(header, prevKv);
    }

    /**
     * Read a range response to its end.
     */
    static RangeResult rangeResult(final RangeResponseDecoder decoder)
    {
        final ResponseHeader header = header(decoder.header());
        final long count = decoder.count();
        final boolean more = decoder.more() == BooleanType.TRUE;
        final RangeResponseDecoder.KvsDecoder kvs = decoder.kvs();
        final List<KeyValue> list = new ArrayList<>(kvs.count());
        for (final RangeResponseDecoder.KvsDecoder kv : kvs)
        {
            list.add(keyValue(kv));
        }

        return new RangeResult(header, list, count, more);
    }

    /**
     * Read a delete-range response to its end.
     */
    static DeleteResult deleteResult(final DeleteRangeResponseDecoder decoder)
    {
        final ResponseHeader header = header(decoder.header());
        final long deleted = decoder.deleted();
        final DeleteRangeResponseDecoder.PrevKvsDecoder kvs = decoder.prevKvs();
        final List<KeyValue> list = new ArrayList<>(kvs.count());
        for (final DeleteRangeResponseDecoder.PrevKvsDecoder kv : kvs)
        {
            list.add(keyValue(kv));
        }

        return new DeleteResult(header, deleted, list);
    }

    private int onTxn(final DirectBuffer buffer, final int bodyOffset, final int blockLength, final int version)
    {
        txnDecoder.wrap(buffer, bodyOffset, blockLength, version);
        final long correlationId = txnDecoder.header().correlationId();
        txnDecoder.skipResponses();
        final int bodyLength = txnDecoder.encodedLength();
        final PendingRequest request = pending.remove(correlationId);
        if (null != request)
        {
            final TxnResult result;
            try
            {
                result = txnResultDecoder.decode(buffer, bodyOffset, blockLength, version);
            }
            catch (final RuntimeException ex)
            {
                request.future.completeExceptionally(new MetaStoreException(ErrorCode.INTERNAL,
                    "malformed transaction response, correlationId=" + correlationId + ": " + ex.getMessage()));
                return bodyLength;
            }
            complete(request, TxnResponseDecoder.TEMPLATE_ID, result);
        }

        return bodyLength;
    }

    private int onLeaseGrant(final LeaseGrantResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null != request)
        {
            complete(request, LeaseGrantResponseDecoder.TEMPLATE_ID,
                new LeaseGrantResult(header(decoder.header()), decoder.id(), decoder.ttl()));
        }

        return decoder.encodedLength();
    }

    private int onLeaseRevoke(final LeaseRevokeResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null != request)
        {
            complete(request, LeaseRevokeResponseDecoder.TEMPLATE_ID, new LeaseRevokeResult(header(decoder.header())));
        }

        return decoder.encodedLength();
    }

    private int onLeaseKeepAlive(final LeaseKeepAliveResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null != request)
        {
            complete(request, LeaseKeepAliveResponseDecoder.TEMPLATE_ID,
                new LeaseKeepAliveResult(header(decoder.header()), decoder.id(), decoder.ttl()));
        }

        return decoder.encodedLength();
    }

    private int onLeaseTimeToLive(final LeaseTimeToLiveResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null == request)
        {
            decoder.sbeSkip();
        }
        else
        {
            final ResponseHeader header = header(decoder.header());
            final long id = decoder.id();
            final long ttl = decoder.ttl();
            final long grantedTtl = decoder.grantedTtl();
            final LeaseTimeToLiveResponseDecoder.KeysDecoder keys = decoder.keys();
            final List<byte[]> list = new ArrayList<>(keys.count());
            for (final LeaseTimeToLiveResponseDecoder.KeysDecoder key : keys)
            {
                final byte[] bytes = new byte[key.keyLength()];
                key.getKey(bytes, 0, bytes.length);
                list.add(bytes);
            }
            complete(request, LeaseTimeToLiveResponseDecoder.TEMPLATE_ID,
                new LeaseTimeToLiveResult(header, id, ttl, grantedTtl, list));
        }

        return decoder.encodedLength();
    }

    private int onLeaseList(final LeaseListResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null == request)
        {
            decoder.sbeSkip();
        }
        else
        {
            final ResponseHeader header = header(decoder.header());
            final LeaseListResponseDecoder.LeasesDecoder leases = decoder.leases();
            final List<Long> ids = new ArrayList<>(leases.count());
            for (final LeaseListResponseDecoder.LeasesDecoder lease : leases)
            {
                ids.add(lease.id());
            }
            complete(request, LeaseListResponseDecoder.TEMPLATE_ID, new LeaseListResult(header, ids));
        }

        return decoder.encodedLength();
    }

    private int onAlarm(final AlarmResponseDecoder decoder)
    {
        final PendingRequest request = pending.remove(decoder.header().correlationId());
        if (null == request)
        {
            decoder.sbeSkip();
        }
        else
        {
            final ResponseHeader header = header(decoder.header());
            final AlarmResponseDecoder.AlarmsDecoder alarms = decoder.alarms();
            final List<AlarmMember> members = new ArrayList<>(alarms.count());
            for (final AlarmResponseDecoder.AlarmsDecoder alarm : alarms)
            {
                members.add(new AlarmMember(alarm.memberId(), alarm.alarm()));
            }
            complete(request, AlarmResponseDecoder.TEMPLATE_ID, new AlarmResult(header, members));
        }

        return decoder.encodedLength();
    }

    private static void complete(final PendingRequest request, final int templateId, final Object result)
    {
        if (request.responseTemplateId == templateId)
        {
            request.future.complete(result);
        }
        else
        {
            request.future.completeExceptionally(new MetaStoreException(ErrorCode.INTERNAL,
                "expected response template " + request.responseTemplateId + ", got " + templateId));
        }
    }

    static ResponseHeader header(final ResponseHeaderDecoder header)
    {
        return new ResponseHeader(header.clusterId(), header.memberId(), header.revision(), header.leadershipTermId());
    }

    private static ErrorCode errorCode(final int codeRaw)
    {
        for (final ErrorCode code : ErrorCode.values())
        {
            if (code.value() == codeRaw && ErrorCode.NULL_VAL != code)
            {
                return code;
            }
        }

        return ErrorCode.INTERNAL;
    }

    private static KeyValue keyValue(final PutResponseDecoder.PrevKvDecoder kv)
    {
        final long createRevision = kv.createRevision();
        final long modRevision = kv.modRevision();
        final long version = kv.version();
        final long lease = kv.lease();
        final byte[] key = new byte[kv.keyLength()];
        kv.getKey(key, 0, key.length);
        final byte[] value = new byte[kv.valueLength()];
        kv.getValue(value, 0, value.length);

        return new KeyValue(key, value, createRevision, modRevision, version, lease);
    }

    private static KeyValue keyValue(final RangeResponseDecoder.KvsDecoder kv)
    {
        final long createRevision = kv.createRevision();
        final long modRevision = kv.modRevision();
        final long version = kv.version();
        final long lease = kv.lease();
        final byte[] key = new byte[kv.keyLength()];
        kv.getKey(key, 0, key.length);
        final byte[] value = new byte[kv.valueLength()];
        kv.getValue(value, 0, value.length);

        return new KeyValue(key, value, createRevision, modRevision, version, lease);
    }

    private static KeyValue keyValue(final DeleteRangeResponseDecoder.PrevKvsDecoder kv)
    {
        final long createRevision = kv.createRevision();
        final long modRevision = kv.modRevision();
        final long version = kv.version();
        final long lease = kv.lease();
        final byte[] key = new byte[kv.keyLength()];
        kv.getKey(key, 0, key.length);
        final byte[] value = new byte[kv.valueLength()];
        kv.getValue(value, 0, value.length);

        return new KeyValue(key, value, createRevision, modRevision, version, lease);
    }
}
