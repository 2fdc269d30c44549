package io.metastore.node.service;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmRequestEncoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.ChangesRequestEncoder;
import io.metastore.codecs.CompactRequestEncoder;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
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
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

import static io.metastore.test.TestBytes.bytes;

/**
 * Builds ingress messages of one or more encoded requests, as a client would, for tests.
 */
public final class Requests
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PutRequestEncoder putEncoder = new PutRequestEncoder();
    private final RangeRequestEncoder rangeEncoder = new RangeRequestEncoder();
    private final DeleteRangeRequestEncoder deleteRangeEncoder = new DeleteRangeRequestEncoder();
    private final TxnRequestEncoder txnEncoder = new TxnRequestEncoder();
    private final LeaseGrantRequestEncoder leaseGrantEncoder = new LeaseGrantRequestEncoder();
    private final LeaseRevokeRequestEncoder leaseRevokeEncoder = new LeaseRevokeRequestEncoder();
    private final LeaseKeepAliveRequestEncoder leaseKeepAliveEncoder = new LeaseKeepAliveRequestEncoder();
    private final LeaseTimeToLiveRequestEncoder leaseTimeToLiveEncoder = new LeaseTimeToLiveRequestEncoder();
    private final LeaseListRequestEncoder leaseListEncoder = new LeaseListRequestEncoder();
    private final AlarmRequestEncoder alarmEncoder = new AlarmRequestEncoder();
    private final CompactRequestEncoder compactEncoder = new CompactRequestEncoder();
    private final ChangesRequestEncoder changesEncoder = new ChangesRequestEncoder();
    private int length;

    /**
     * A compare of a transaction.
     */
    public record Compare(String key, CompareTarget target, CompareResult result, long targetValue, String value)
    {
    }

    /**
     * A transaction; success and failure hold requests built by another {@link Requests}.
     */
    public Requests txn(
        final long correlationId, final Compare[] compares, final byte[] success, final byte[] failure)
    {
        txnEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        final TxnRequestEncoder.ComparesEncoder group = txnEncoder.comparesCount(compares.length);
        for (final Compare compare : compares)
        {
            final byte[] key = bytes(compare.key());
            final byte[] value = bytes(compare.value());
            group.next()
                .result(compare.result())
                .target(compare.target())
                .targetValue(compare.targetValue())
                .putKey(key, 0, key.length)
                .putRangeEnd(new byte[0], 0, 0)
                .putValue(value, 0, value.length);
        }
        txnEncoder.putSuccess(success, 0, success.length).putFailure(failure, 0, failure.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + txnEncoder.encodedLength();
        return this;
    }

    public Requests leaseGrant(final long correlationId, final long id, final long ttl)
    {
        leaseGrantEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        leaseGrantEncoder.id(id).ttl(ttl);
        length += MessageHeaderEncoder.ENCODED_LENGTH + leaseGrantEncoder.encodedLength();
        return this;
    }

    public Requests leaseRevoke(final long correlationId, final long id)
    {
        leaseRevokeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        leaseRevokeEncoder.id(id);
        length += MessageHeaderEncoder.ENCODED_LENGTH + leaseRevokeEncoder.encodedLength();
        return this;
    }

    public Requests leaseKeepAlive(final long correlationId, final long id)
    {
        leaseKeepAliveEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        leaseKeepAliveEncoder.id(id);
        length += MessageHeaderEncoder.ENCODED_LENGTH + leaseKeepAliveEncoder.encodedLength();
        return this;
    }

    public Requests leaseTimeToLive(final long correlationId, final long id, final boolean keys)
    {
        leaseTimeToLiveEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        leaseTimeToLiveEncoder.id(id).flags().clear().keys(keys);
        length += MessageHeaderEncoder.ENCODED_LENGTH + leaseTimeToLiveEncoder.encodedLength();
        return this;
    }

    public Requests alarm(final long correlationId, final AlarmAction action, final long memberId, final AlarmType type)
    {
        alarmEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        alarmEncoder.action(action).memberId(memberId).alarm(type);
        length += MessageHeaderEncoder.ENCODED_LENGTH + alarmEncoder.encodedLength();
        return this;
    }

    public Requests leaseList(final long correlationId)
    {
        leaseListEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        length += MessageHeaderEncoder.ENCODED_LENGTH + leaseListEncoder.encodedLength();
        return this;
    }

    public Requests put(final long correlationId, final String key, final String value)
    {
        return put(correlationId, bytes(key), bytes(value), 0, false);
    }

    public Requests put(final long correlationId, final String key, final String value, final long lease)
    {
        return put(correlationId, bytes(key), bytes(value), lease, false);
    }

    public Requests put(
        final long correlationId, final byte[] key, final byte[] value, final long lease, final boolean prevKv)
    {
        putEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        putEncoder.lease(lease).flags().clear().prevKv(prevKv);
        putEncoder.putKey(key, 0, key.length).putValue(value, 0, value.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + putEncoder.encodedLength();
        return this;
    }

    public Requests compact(final long correlationId, final long revision)
    {
        compactEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        compactEncoder.revision(revision).flags().clear();
        length += MessageHeaderEncoder.ENCODED_LENGTH + compactEncoder.encodedLength();
        return this;
    }

    public Requests changes(
        final long correlationId,
        final String key,
        final String rangeEnd,
        final long fromRevision,
        final long toRevision,
        final long limit)
    {
        final byte[] keyBytes = bytes(key);
        final byte[] rangeEndBytes = bytes(rangeEnd);
        changesEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        changesEncoder.fromRevision(fromRevision).toRevision(toRevision).changeLimit(limit);
        changesEncoder.putKey(keyBytes, 0, keyBytes.length).putRangeEnd(rangeEndBytes, 0, rangeEndBytes.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + changesEncoder.encodedLength();
        return this;
    }

    public Requests range(final long correlationId, final String key, final String rangeEnd)
    {
        return range(correlationId, key, rangeEnd, 0);
    }

    public Requests range(final long correlationId, final String key, final String rangeEnd, final long revision)
    {
        final byte[] keyBytes = bytes(key);
        final byte[] rangeEndBytes = bytes(rangeEnd);
        rangeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        rangeEncoder.keyLimit(0).revision(revision).sortOrder(SortOrder.NONE).flags().clear();
        rangeEncoder.putKey(keyBytes, 0, keyBytes.length).putRangeEnd(rangeEndBytes, 0, rangeEndBytes.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + rangeEncoder.encodedLength();
        return this;
    }

    public Requests delete(final long correlationId, final String key, final String rangeEnd)
    {
        final byte[] keyBytes = bytes(key);
        final byte[] rangeEndBytes = bytes(rangeEnd);
        deleteRangeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder)
            .header().correlationId(correlationId).clientId(7).sequence(correlationId);
        deleteRangeEncoder.flags().clear().prevKv(true);
        deleteRangeEncoder.putKey(keyBytes, 0, keyBytes.length).putRangeEnd(rangeEndBytes, 0, rangeEndBytes.length);
        length += MessageHeaderEncoder.ENCODED_LENGTH + deleteRangeEncoder.encodedLength();
        return this;
    }

    /**
     * The message so far, and start a new one.
     */
    public byte[] build()
    {
        final byte[] message = Arrays.copyOf(buffer.byteArray(), length);
        length = 0;
        return message;
    }
}
