package io.metastore.client;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmRequestEncoder;
import io.metastore.codecs.AlarmResponseDecoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.ChangesRequestEncoder;
import io.metastore.codecs.ChangesResponseDecoder;
import io.metastore.codecs.CompactRequestEncoder;
import io.metastore.codecs.CompactResponseDecoder;
import io.metastore.codecs.DefragmentRequestEncoder;
import io.metastore.codecs.DefragmentResponseDecoder;
import io.metastore.codecs.DeleteRangeRequestEncoder;
import io.metastore.codecs.DeleteRangeResponseDecoder;
import io.metastore.codecs.LeaseGrantRequestEncoder;
import io.metastore.codecs.LeaseGrantResponseDecoder;
import io.metastore.codecs.LeaseKeepAliveRequestEncoder;
import io.metastore.codecs.LeaseKeepAliveResponseDecoder;
import io.metastore.codecs.LeaseListRequestEncoder;
import io.metastore.codecs.LeaseListResponseDecoder;
import io.metastore.codecs.LeaseRevokeRequestEncoder;
import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.codecs.LeaseTimeToLiveRequestEncoder;
import io.metastore.codecs.LeaseTimeToLiveResponseDecoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.PutResponseDecoder;
import io.metastore.codecs.RangeRequestEncoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.TxnRequestEncoder;
import io.metastore.codecs.TxnResponseDecoder;
import org.agrona.MutableDirectBuffer;

import java.util.Objects;

/**
 * The request a caller thread is submitting: its kind, its arguments and its length, taken before anything is
 * registered, then encoded by {@link RequestRing} at the index the length claimed. One per thread, reused.
 * <p>
 * It is what lets every kind of request take one submission path without a lambda capturing the arguments of each
 * request: the kind is the request's template id, and {@link #encode} switches on it. A staged request holds its
 * caller's keys and values only until {@link #clear()}, which the submission path calls before it completes the
 * future: a callback of that future may submit on the same thread, staging anew.
 */
final class StagedRequest
{
    private final RequestEncoder encoder = new RequestEncoder();
    private int templateId;
    private int responseTemplateId;
    private int length;
    private byte[] key;
    private byte[] valueOrRangeEnd;
    private PutOptions putOptions;
    private RangeOptions rangeOptions;
    private DeleteOptions deleteOptions;
    private Txn txn;
    private long first;
    private long second;
    private long third;
    private boolean flag;
    private AlarmAction alarmAction;
    private AlarmType alarmType;

    StagedRequest put(final byte[] key, final byte[] value, final PutOptions options)
    {
        final int length = RequestEncoder.putLength(key, value);
        stage(PutRequestEncoder.TEMPLATE_ID, PutResponseDecoder.TEMPLATE_ID, length);
        this.key = key;
        this.valueOrRangeEnd = value;
        this.putOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    StagedRequest range(final byte[] key, final byte[] rangeEnd, final RangeOptions options)
    {
        final int length = RequestEncoder.rangeLength(key, rangeEnd);
        stage(RangeRequestEncoder.TEMPLATE_ID, RangeResponseDecoder.TEMPLATE_ID, length);
        this.key = key;
        this.valueOrRangeEnd = rangeEnd;
        this.rangeOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    StagedRequest deleteRange(final byte[] key, final byte[] rangeEnd, final DeleteOptions options)
    {
        final int length = RequestEncoder.deleteRangeLength(key, rangeEnd);
        stage(DeleteRangeRequestEncoder.TEMPLATE_ID, DeleteRangeResponseDecoder.TEMPLATE_ID, length);
        this.key = key;
        this.valueOrRangeEnd = rangeEnd;
        this.deleteOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    StagedRequest leaseGrant(final long ttlSeconds, final long leaseId)
    {
        stage(LeaseGrantRequestEncoder.TEMPLATE_ID, LeaseGrantResponseDecoder.TEMPLATE_ID,
            RequestEncoder.LEASE_GRANT_LENGTH);
        this.first = ttlSeconds;
        this.second = leaseId;
        return this;
    }

    StagedRequest leaseRevoke(final long leaseId)
    {
        stage(LeaseRevokeRequestEncoder.TEMPLATE_ID, LeaseRevokeResponseDecoder.TEMPLATE_ID,
            RequestEncoder.LEASE_REVOKE_LENGTH);
        this.first = leaseId;
        return this;
    }

    StagedRequest leaseKeepAlive(final long leaseId)
    {
        stage(LeaseKeepAliveRequestEncoder.TEMPLATE_ID, LeaseKeepAliveResponseDecoder.TEMPLATE_ID,
            RequestEncoder.LEASE_KEEP_ALIVE_LENGTH);
        this.first = leaseId;
        return this;
    }

    StagedRequest leaseTimeToLive(final long leaseId, final boolean withKeys)
    {
        stage(LeaseTimeToLiveRequestEncoder.TEMPLATE_ID, LeaseTimeToLiveResponseDecoder.TEMPLATE_ID,
            RequestEncoder.LEASE_TIME_TO_LIVE_LENGTH);
        this.first = leaseId;
        this.flag = withKeys;
        return this;
    }

    StagedRequest leaseList()
    {
        stage(LeaseListRequestEncoder.TEMPLATE_ID, LeaseListResponseDecoder.TEMPLATE_ID,
            RequestEncoder.LEASE_LIST_LENGTH);
        return this;
    }

    StagedRequest txn(final Txn txn)
    {
        final int length = RequestEncoder.txnLength(txn);
        stage(TxnRequestEncoder.TEMPLATE_ID, TxnResponseDecoder.TEMPLATE_ID, length);
        this.txn = txn;
        return this;
    }

    StagedRequest alarm(final AlarmAction action, final long memberId, final AlarmType alarm)
    {
        stage(AlarmRequestEncoder.TEMPLATE_ID, AlarmResponseDecoder.TEMPLATE_ID, RequestEncoder.ALARM_LENGTH);
        this.alarmAction = Objects.requireNonNull(action, "action");
        this.first = memberId;
        this.alarmType = Objects.requireNonNull(alarm, "alarm");
        return this;
    }

    StagedRequest defragment()
    {
        stage(DefragmentRequestEncoder.TEMPLATE_ID, DefragmentResponseDecoder.TEMPLATE_ID,
            RequestEncoder.DEFRAGMENT_LENGTH);
        return this;
    }

    StagedRequest compact(final long revision, final boolean physical)
    {
        stage(CompactRequestEncoder.TEMPLATE_ID, CompactResponseDecoder.TEMPLATE_ID, RequestEncoder.COMPACT_LENGTH);
        this.first = revision;
        this.flag = physical;
        return this;
    }

    StagedRequest changes(
        final byte[] key, final byte[] rangeEnd, final long fromRevision, final long toRevision, final long limit)
    {
        final int length = RequestEncoder.changesLength(key, rangeEnd);
        stage(ChangesRequestEncoder.TEMPLATE_ID, ChangesResponseDecoder.TEMPLATE_ID, length);
        this.key = key;
        this.valueOrRangeEnd = rangeEnd;
        this.first = fromRevision;
        this.second = toRevision;
        this.third = limit;
        return this;
    }

    /**
     * @return the template id of the response the request expects.
     */
    int responseTemplateId()
    {
        return responseTemplateId;
    }

    /**
     * @return bytes the encoded request takes.
     */
    int length()
    {
        return length;
    }

    /**
     * Encode the staged request, {@link #length()} bytes at {@code offset}.
     *
     * @throws RuntimeException if the request cannot be encoded, e.g. a transaction with more compares than a group
     *                          holds.
     */
    void encode(final MutableDirectBuffer buffer, final int offset, final long correlationId, final long clientId)
    {
        switch (templateId)
        {
            case PutRequestEncoder.TEMPLATE_ID:
                encoder.encodePut(buffer, offset, correlationId, clientId, key, valueOrRangeEnd, putOptions);
                break;

            case RangeRequestEncoder.TEMPLATE_ID:
                encoder.encodeRange(buffer, offset, correlationId, clientId, key, valueOrRangeEnd, rangeOptions);
                break;

            case DeleteRangeRequestEncoder.TEMPLATE_ID:
                encoder.encodeDeleteRange(
                    buffer, offset, correlationId, clientId, key, valueOrRangeEnd, deleteOptions);
                break;

            case LeaseGrantRequestEncoder.TEMPLATE_ID:
                encoder.encodeLeaseGrant(buffer, offset, correlationId, clientId, first, second);
                break;

            case LeaseRevokeRequestEncoder.TEMPLATE_ID:
                encoder.encodeLeaseRevoke(buffer, offset, correlationId, clientId, first);
                break;

            case LeaseKeepAliveRequestEncoder.TEMPLATE_ID:
                encoder.encodeLeaseKeepAlive(buffer, offset, correlationId, clientId, first);
                break;

            case LeaseTimeToLiveRequestEncoder.TEMPLATE_ID:
                encoder.encodeLeaseTimeToLive(buffer, offset, correlationId, clientId, first, flag);
                break;

            case LeaseListRequestEncoder.TEMPLATE_ID:
                encoder.encodeLeaseList(buffer, offset, correlationId, clientId);
                break;

            case TxnRequestEncoder.TEMPLATE_ID:
                encoder.encodeTxn(buffer, offset, correlationId, clientId, txn);
                break;

            case AlarmRequestEncoder.TEMPLATE_ID:
                encoder.encodeAlarm(buffer, offset, correlationId, clientId, alarmAction, first, alarmType);
                break;

            case DefragmentRequestEncoder.TEMPLATE_ID:
                encoder.encodeDefragment(buffer, offset, correlationId, clientId);
                break;

            case CompactRequestEncoder.TEMPLATE_ID:
                encoder.encodeCompact(buffer, offset, correlationId, clientId, first, flag);
                break;

            case ChangesRequestEncoder.TEMPLATE_ID:
                encoder.encodeChanges(
                    buffer, offset, correlationId, clientId, key, valueOrRangeEnd, first, second, third);
                break;

            default:
                throw new IllegalStateException("no request staged");
        }
    }

    /**
     * Forget the arguments, so the thread's staged request keeps none of its caller's keys and values alive.
     */
    void clear()
    {
        templateId = 0;
        key = null;
        valueOrRangeEnd = null;
        putOptions = null;
        rangeOptions = null;
        deleteOptions = null;
        txn = null;
        alarmAction = null;
        alarmType = null;
    }

    private void stage(final int templateId, final int responseTemplateId, final int length)
    {
        clear();
        this.templateId = templateId;
        this.responseTemplateId = responseTemplateId;
        this.length = length;
    }
}
