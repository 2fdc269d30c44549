package io.metastore.client;

import io.metastore.codecs.AlarmResponseDecoder;
import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.ChangesResponseDecoder;
import io.metastore.codecs.CompactResponseDecoder;
import io.metastore.codecs.DefragmentResponseDecoder;
import io.metastore.codecs.DeleteRangeResponseDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.HashKvResponseDecoder;
import io.metastore.codecs.LeaseGrantResponseDecoder;
import io.metastore.codecs.LeaseKeepAliveResponseDecoder;
import io.metastore.codecs.LeaseListResponseDecoder;
import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.codecs.LeaseTimeToLiveResponseDecoder;
import io.metastore.codecs.MemberStatusResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutResponseDecoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.ResponseHeaderDecoder;
import io.metastore.codecs.TxnResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the responses of one egress message, back to back, and completes the matching pending requests.
 * The one place that reads egress bytes, and the responses to serializable reads on the read session (one of its
 * own there, over the reads' pending requests). Every response's header revision raises the {@link SeenRevision}.
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
    private final CompactResponseDecoder compactDecoder = new CompactResponseDecoder();
    private final DefragmentResponseDecoder defragmentDecoder = new DefragmentResponseDecoder();
    private final ChangesResponseDecoder changesDecoder = new ChangesResponseDecoder();
    private final MemberStatusResponseDecoder memberStatusDecoder = new MemberStatusResponseDecoder();
    private final HashKvResponseDecoder hashKvDecoder = new HashKvResponseDecoder();
    private final TxnResultDecoder txnResultDecoder = new TxnResultDecoder();
    private final PendingLookup pending;
    private final SeenRevision seenRevision;
    private final ErrorHandler errorHandler;

    /**
     * @param pending      finds and removes the request a response answers.
     * @param seenRevision raised to the revision of every response's header, before its request completes.
     * @param errorHandler for responses no request can be told of.
     */
    ResponseDecoder(final PendingLookup pending, final SeenRevision seenRevision, final ErrorHandler errorHandler)
    {
        this.pending = pending;
        this.seenRevision = seenRevision;
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

    /**
     * Read one response of a message that may hold more, and complete the request it answers.
     *
     * @param buffer holding the response.
     * @param offset of the response's message header.
     * @return the response's length, or -1 if it cannot be read: then neither can the rest of its message.
     */
    int onResponse(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            errorHandler.onError(new MetaStoreException(null, "response of unknown schema " +
                headerDecoder.schemaId()));
            return -1;
        }

        return read(buffer, offset);
    }

    /**
     * Read one response whose header is wrapped: find its request by the correlation id every response's header
     * starts with, then complete it with the response read whole, or with its error; a response no request waits for
     * any more is skipped.
     *
     * @return the response's length, or -1 if it cannot be read.
     */
    private int read(final DirectBuffer buffer, final int offset)
    {
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int templateId = headerDecoder.templateId();
        final MessageDecoderFlyweight decoder = decoder(templateId);
        if (null == decoder)
        {
            errorHandler.onError(new MetaStoreException(null, "response of unknown template " + templateId));
            return -1;
        }

        decoder.wrap(buffer, bodyOffset, headerDecoder.blockLength(), headerDecoder.version());
        final long correlationId = buffer.getLong(
            bodyOffset + ResponseHeaderDecoder.correlationIdEncodingOffset(), ResponseHeaderDecoder.BYTE_ORDER);
        seenRevision.observe(buffer.getLong(
            bodyOffset + ResponseHeaderDecoder.revisionEncodingOffset(), ResponseHeaderDecoder.BYTE_ORDER));
        final PendingRequest request = pending.remove(correlationId);
        final boolean isReadToEnd;
        if (ErrorResponseDecoder.TEMPLATE_ID == templateId)
        {
            onError(request, correlationId);
            isReadToEnd = true;
        }
        else
        {
            isReadToEnd = null != request && complete(request, templateId, correlationId);
        }

        // A response read whole has its length; one skipped, refused or read by another decoder is walked for it.
        final int bodyLength = isReadToEnd ? decoder.encodedLength() : decoder.sbeDecodedLength();
        return MessageHeaderDecoder.ENCODED_LENGTH + bodyLength;
    }

    private MessageDecoderFlyweight decoder(final int templateId)
    {
        return switch (templateId)
        {
            case ErrorResponseDecoder.TEMPLATE_ID -> errorDecoder;
            case PutResponseDecoder.TEMPLATE_ID -> putDecoder;
            case RangeResponseDecoder.TEMPLATE_ID -> rangeDecoder;
            case DeleteRangeResponseDecoder.TEMPLATE_ID -> deleteRangeDecoder;
            case TxnResponseDecoder.TEMPLATE_ID -> txnDecoder;
            case LeaseGrantResponseDecoder.TEMPLATE_ID -> leaseGrantDecoder;
            case LeaseRevokeResponseDecoder.TEMPLATE_ID -> leaseRevokeDecoder;
            case LeaseKeepAliveResponseDecoder.TEMPLATE_ID -> leaseKeepAliveDecoder;
            case LeaseTimeToLiveResponseDecoder.TEMPLATE_ID -> leaseTimeToLiveDecoder;
            case LeaseListResponseDecoder.TEMPLATE_ID -> leaseListDecoder;
            case AlarmResponseDecoder.TEMPLATE_ID -> alarmDecoder;
            case CompactResponseDecoder.TEMPLATE_ID -> compactDecoder;
            case DefragmentResponseDecoder.TEMPLATE_ID -> defragmentDecoder;
            case ChangesResponseDecoder.TEMPLATE_ID -> changesDecoder;
            case MemberStatusResponseDecoder.TEMPLATE_ID -> memberStatusDecoder;
            case HashKvResponseDecoder.TEMPLATE_ID -> hashKvDecoder;
            default -> null;
        };
    }

    private void onError(final PendingRequest request, final long correlationId)
    {
        final ErrorCode code = errorCode(errorDecoder.codeRaw());
        final String message = errorDecoder.message();
        if (null == request)
        {
            errorHandler.onError(new MetaStoreException(
                code, "unmatched error, correlationId=" + correlationId + ": " + message));
        }
        else
        {
            final MetaStoreException error;
            if (ErrorCode.NO_SPACE == code)
            {
                error = new NoSpaceException(message);
            }
            else if (ErrorCode.MEMBER_BEHIND == code)
            {
                error = new MemberBehindException(message);
            }
            else if (ErrorCode.COMPACTED == code)
            {
                final long compactRevision = errorDecoder.actingVersion() >= 2 ? errorDecoder.compactRevision() : 0;
                error = new CompactedException(compactRevision, message);
            }
            else
            {
                error = new MetaStoreException(code, message);
            }
            request.completeExceptionally(error);
        }
    }

    /**
     * Complete a request with its response, read whole from the decoder wrapped on it.
     *
     * @return true if that decoder was read to the response's end.
     */
    private boolean complete(final PendingRequest request, final int templateId, final long correlationId)
    {
        if (request.responseTemplateId != templateId)
        {
            request.completeExceptionally(new MetaStoreException(ErrorCode.INTERNAL,
                "expected response template " + request.responseTemplateId + ", got " + templateId));
            return false;
        }

        final Object result;
        try
        {
            result = result(templateId);
        }
        catch (final RuntimeException ex)
        {
            request.completeExceptionally(new MetaStoreException(ErrorCode.INTERNAL,
                "malformed response, correlationId=" + correlationId + ": " + ex.getMessage()));
            return false;
        }
        request.complete(result);

        // A transaction's responses are read by a decoder of their own.
        return TxnResponseDecoder.TEMPLATE_ID != templateId;
    }

    private Object result(final int templateId)
    {
        return switch (templateId)
        {
            case PutResponseDecoder.TEMPLATE_ID -> putResult(putDecoder);
            case RangeResponseDecoder.TEMPLATE_ID -> rangeResult(rangeDecoder);
            case DeleteRangeResponseDecoder.TEMPLATE_ID -> deleteResult(deleteRangeDecoder);
            case TxnResponseDecoder.TEMPLATE_ID -> txnResultDecoder.decode(
                txnDecoder.buffer(), txnDecoder.offset(), headerDecoder.blockLength(), headerDecoder.version());
            case LeaseGrantResponseDecoder.TEMPLATE_ID -> new LeaseGrantResult(
                header(leaseGrantDecoder.header()), leaseGrantDecoder.id(), leaseGrantDecoder.ttl());
            case LeaseRevokeResponseDecoder.TEMPLATE_ID -> new LeaseRevokeResult(header(leaseRevokeDecoder.header()));
            case LeaseKeepAliveResponseDecoder.TEMPLATE_ID -> new LeaseKeepAliveResult(
                header(leaseKeepAliveDecoder.header()), leaseKeepAliveDecoder.id(), leaseKeepAliveDecoder.ttl());
            case LeaseTimeToLiveResponseDecoder.TEMPLATE_ID -> leaseTimeToLiveResult(leaseTimeToLiveDecoder);
            case LeaseListResponseDecoder.TEMPLATE_ID -> leaseListResult(leaseListDecoder);
            case CompactResponseDecoder.TEMPLATE_ID -> new CompactResult(
                header(compactDecoder.header()), compactDecoder.compactRevision());
            case ChangesResponseDecoder.TEMPLATE_ID -> changesResult(changesDecoder);
            case DefragmentResponseDecoder.TEMPLATE_ID -> new DefragmentResult(header(defragmentDecoder.header()));
            case MemberStatusResponseDecoder.TEMPLATE_ID -> memberStatus(memberStatusDecoder);
            case HashKvResponseDecoder.TEMPLATE_ID -> new HashKvResult(header(hashKvDecoder.header()),
                hashKvDecoder.hash(), hashKvDecoder.hashRevision(), hashKvDecoder.compactRevision());
            default -> alarmResult(alarmDecoder);
        };
    }

    /**
     * Read a changes response to its end.
     */
    static ChangesResult changesResult(final ChangesResponseDecoder decoder)
    {
        final ResponseHeader header = header(decoder.header());
        final long compactRevision = decoder.compactRevision();
        final long nextRevision = decoder.nextRevision();
        final ChangesResponseDecoder.ChangesDecoder group = decoder.changes();
        final List<Change> changes = new ArrayList<>(group.count());
        for (final ChangesResponseDecoder.ChangesDecoder change : group)
        {
            final Change.Type type = ChangeType.DELETE == change.changeType() ? Change.Type.DELETE : Change.Type.PUT;
            final long createRevision = change.createRevision();
            final long modRevision = change.modRevision();
            final long version = change.version();
            final long lease = change.lease();
            final long timestampMs = change.timestamp();
            final byte[] key = new byte[change.keyLength()];
            change.getKey(key, 0, key.length);
            final byte[] value = new byte[change.valueLength()];
            change.getValue(value, 0, value.length);
            changes.add(new Change(
                type, new KeyValue(key, value, createRevision, modRevision, version, lease), timestampMs));
        }

        return new ChangesResult(header, compactRevision, nextRevision, changes);
    }

    /**
     * Read a member status response to its end.
     */
    static MemberStatus memberStatus(final MemberStatusResponseDecoder decoder)
    {
        final ResponseHeader header = header(decoder.header());
        final int role = decoder.role();
        final int leaderMemberId = decoder.leaderMemberId();
        final long commitPosition = decoder.commitPosition();
        final long appliedPosition = decoder.appliedPosition();
        final long appliedRevision = decoder.appliedRevision();
        final long compactRevision = decoder.compactRevision();
        final long storeBytes = decoder.storeBytes();
        final long logBytes = decoder.logBytes();
        final long logStartPosition = decoder.logStartPosition();
        final long errorCount = decoder.errorCount();
        final List<MemberStatus.Counter> counters = new ArrayList<>();
        for (final MemberStatusResponseDecoder.CountersDecoder counter : decoder.counters())
        {
            final int typeId = counter.typeId();
            final long value = counter.value();
            counters.add(new MemberStatus.Counter(typeId, counter.label(), value));
        }
        final String version = decoder.version();

        return new MemberStatus(header, role, leaderMemberId, commitPosition, appliedPosition, appliedRevision,
            compactRevision, storeBytes, logBytes, logStartPosition, errorCount, version, List.copyOf(counters));
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

    private static LeaseTimeToLiveResult leaseTimeToLiveResult(final LeaseTimeToLiveResponseDecoder decoder)
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

        return new LeaseTimeToLiveResult(header, id, ttl, grantedTtl, list);
    }

    private static LeaseListResult leaseListResult(final LeaseListResponseDecoder decoder)
    {
        final ResponseHeader header = header(decoder.header());
        final LeaseListResponseDecoder.LeasesDecoder leases = decoder.leases();
        final List<Long> ids = new ArrayList<>(leases.count());
        for (final LeaseListResponseDecoder.LeasesDecoder lease : leases)
        {
            ids.add(lease.id());
        }

        return new LeaseListResult(header, ids);
    }

    private static AlarmResult alarmResult(final AlarmResponseDecoder decoder)
    {
        final ResponseHeader header = header(decoder.header());
        final AlarmResponseDecoder.AlarmsDecoder alarms = decoder.alarms();
        final List<AlarmMember> members = new ArrayList<>(alarms.count());
        for (final AlarmResponseDecoder.AlarmsDecoder alarm : alarms)
        {
            members.add(new AlarmMember(alarm.memberId(), alarm.alarm()));
        }

        return new AlarmResult(header, members);
    }

    static ResponseHeader header(final ResponseHeaderDecoder header)
    {
        return new ResponseHeader(header.clusterId(), header.memberId(), header.revision(), header.leadershipTermId());
    }

    static ErrorCode errorCode(final int codeRaw)
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
