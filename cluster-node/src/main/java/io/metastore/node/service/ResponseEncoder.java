package io.metastore.node.service;

import io.metastore.codecs.AlarmResponseEncoder;
import io.metastore.codecs.BooleanType;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.ChangesResponseEncoder;
import io.metastore.codecs.CompactResponseEncoder;
import io.metastore.codecs.DefragmentResponseEncoder;
import io.metastore.codecs.DeleteRangeResponseEncoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.LeaseGrantResponseEncoder;
import io.metastore.codecs.LeaseKeepAliveResponseEncoder;
import io.metastore.codecs.LeaseListResponseEncoder;
import io.metastore.codecs.LeaseRevokeResponseEncoder;
import io.metastore.codecs.LeaseTimeToLiveResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutResponseEncoder;
import io.metastore.codecs.RangeResponseEncoder;
import io.metastore.codecs.ResponseHeaderEncoder;
import io.metastore.codecs.TxnResponseEncoder;
import io.metastore.node.alarm.Alarm;
import io.metastore.node.kv.ChangeList;
import io.metastore.node.kv.KeyValueList;
import io.metastore.node.kv.KeyValueRecord;
import io.metastore.node.kv.KvResponder;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.util.List;

/**
 * Encodes responses back to back into one egress buffer: the responses to one ingress message leave together.
 * Encoders and the buffer are allocated once.
 * <p>
 * A transaction's response holds the responses of its operations in its {@code responses} field: they are encoded
 * in place after the transaction's block, and the field's length and the transaction's revision are filled in when
 * it ends. Nothing is sent while a transaction is open.
 */
final class ResponseEncoder implements KvResponder
{
    /**
     * A delete's value: empty. A change of a delete has no record to take it from.
     */
    private static final byte[] NO_VALUE = new byte[0];

    /**
     * Where encoded responses go.
     */
    interface EgressSink
    {
        /**
         * Send encoded responses.
         *
         * @param buffer holding them from offset 0.
         * @param length of the responses.
         */
        void send(DirectBuffer buffer, int length);
    }

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64 * 1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ErrorResponseEncoder errorEncoder = new ErrorResponseEncoder();
    private final PutResponseEncoder putEncoder = new PutResponseEncoder();
    private final RangeResponseEncoder rangeEncoder = new RangeResponseEncoder();
    private final DeleteRangeResponseEncoder deleteRangeEncoder = new DeleteRangeResponseEncoder();
    private final TxnResponseEncoder txnEncoder = new TxnResponseEncoder();
    private final LeaseGrantResponseEncoder leaseGrantEncoder = new LeaseGrantResponseEncoder();
    private final LeaseRevokeResponseEncoder leaseRevokeEncoder = new LeaseRevokeResponseEncoder();
    private final LeaseKeepAliveResponseEncoder leaseKeepAliveEncoder = new LeaseKeepAliveResponseEncoder();
    private final LeaseTimeToLiveResponseEncoder leaseTimeToLiveEncoder = new LeaseTimeToLiveResponseEncoder();
    private final LeaseListResponseEncoder leaseListEncoder = new LeaseListResponseEncoder();
    private final AlarmResponseEncoder alarmEncoder = new AlarmResponseEncoder();
    private final CompactResponseEncoder compactEncoder = new CompactResponseEncoder();
    private final DefragmentResponseEncoder defragmentEncoder = new DefragmentResponseEncoder();
    private final ChangesResponseEncoder changesEncoder = new ChangesResponseEncoder();
    private final IntArrayList openTxnOffsets = new IntArrayList();
    private final int clusterId;
    private final int maxBatchBytes;
    private final long maxTxnResponseBytes;
    private final EgressSink sink;
    private int memberId;
    private long leadershipTermId;
    private long correlationId;
    private int length;
    private ErrorHandler errorHandler;
    private final ServiceCounters counters;
    private boolean isErrorAnswer;

    /**
     * @param clusterId           reported in every response header.
     * @param maxBatchBytes       responses leave together until they reach this size.
     * @param maxTxnResponseBytes largest response of one transaction, its operations' responses included.
     * @param sink                where encoded responses go.
     */
    ResponseEncoder(final int clusterId, final int maxBatchBytes, final long maxTxnResponseBytes, final EgressSink sink)
    {
        this(clusterId, maxBatchBytes, maxTxnResponseBytes, sink, ServiceCounters.inMemory());
    }

    /**
     * @param clusterId           reported in every response header.
     * @param maxBatchBytes       responses leave together until they reach this size.
     * @param maxTxnResponseBytes largest response of one transaction, its operations' responses included.
     * @param sink                where encoded responses go.
     * @param counters            where error responses are counted, by code.
     */
    ResponseEncoder(
        final int clusterId,
        final int maxBatchBytes,
        final long maxTxnResponseBytes,
        final EgressSink sink,
        final ServiceCounters counters)
    {
        this.counters = counters;
        this.clusterId = clusterId;
        this.maxBatchBytes = maxBatchBytes;
        this.maxTxnResponseBytes = maxTxnResponseBytes;
        this.sink = sink;
    }

    void memberId(final int memberId)
    {
        this.memberId = memberId;
    }

    void leadershipTermId(final long leadershipTermId)
    {
        this.leadershipTermId = leadershipTermId;
    }

    /**
     * Start the response to a request.
     *
     * @param correlationId of the request.
     */
    void correlationId(final long correlationId)
    {
        this.correlationId = correlationId;
        isErrorAnswer = false;
    }

    /**
     * @return true if the request started last was answered with an error (counted by its code).
     */
    boolean isErrorAnswer()
    {
        return isErrorAnswer;
    }

    /**
     * @return the counters error responses are counted in.
     */
    ServiceCounters counters()
    {
        return counters;
    }

    /**
     * Send what is encoded, if anything, and start again from an empty buffer.
     */
    void flush()
    {
        if (length > 0)
        {
            final int sendLength = length;
            length = 0;
            sink.send(buffer, sendLength);
        }
    }

    public void onPut(final long revision, final KeyValueList prevKv)
    {
        final int start = length;
        final int encodedLength;
        try
        {
            putEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
            header(putEncoder.header(), revision);
            final PutResponseEncoder.PrevKvEncoder group = putEncoder.prevKvCount(prevKv.size());
            for (int i = 0, size = prevKv.size(); i < size; i++)
            {
                final byte[] record = prevKv.record(i);
                group.next()
                    .createRevision(KeyValueRecord.createRevision(record))
                    .modRevision(KeyValueRecord.modRevision(record))
                    .version(KeyValueRecord.version(record))
                    .lease(KeyValueRecord.lease(record))
                    .putKey(prevKv.key(i), 0, prevKv.key(i).length)
                    .putValue(record, KeyValueRecord.HEADER_LENGTH, KeyValueRecord.valueLength(record));
            }
            encodedLength = putEncoder.encodedLength();
        }
        catch (final RuntimeException ex)
        {
            encodingFailed(start, revision, ex);
            return;
        }
        appended(encodedLength);
    }

    public void onRange(
        final long revision, final long count, final boolean more, final boolean keysOnly, final KeyValueList kvs)
    {
        final int start = length;
        final int encodedLength;
        try
        {
            rangeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
            header(rangeEncoder.header(), revision);
            rangeEncoder.count(count).more(more ? BooleanType.TRUE : BooleanType.FALSE);
            final RangeResponseEncoder.KvsEncoder group = rangeEncoder.kvsCount(kvs.size());
            for (int i = 0, size = kvs.size(); i < size; i++)
            {
                final byte[] record = kvs.record(i);
                group.next()
                    .createRevision(KeyValueRecord.createRevision(record))
                    .modRevision(KeyValueRecord.modRevision(record))
                    .version(KeyValueRecord.version(record))
                    .lease(KeyValueRecord.lease(record))
                    .putKey(kvs.key(i), 0, kvs.key(i).length)
                    .putValue(record, KeyValueRecord.HEADER_LENGTH, keysOnly ? 0 : KeyValueRecord.valueLength(record));
            }
            encodedLength = rangeEncoder.encodedLength();
        }
        catch (final RuntimeException ex)
        {
            encodingFailed(start, revision, ex);
            return;
        }
        appended(encodedLength);
    }

    public void onDeleteRange(final long revision, final long deleted, final KeyValueList prevKvs)
    {
        final int start = length;
        final int encodedLength;
        try
        {
            deleteRangeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
            header(deleteRangeEncoder.header(), revision);
            deleteRangeEncoder.deleted(deleted);
            final DeleteRangeResponseEncoder.PrevKvsEncoder group = deleteRangeEncoder.prevKvsCount(prevKvs.size());
            for (int i = 0, size = prevKvs.size(); i < size; i++)
            {
                final byte[] record = prevKvs.record(i);
                group.next()
                    .createRevision(KeyValueRecord.createRevision(record))
                    .modRevision(KeyValueRecord.modRevision(record))
                    .version(KeyValueRecord.version(record))
                    .lease(KeyValueRecord.lease(record))
                    .putKey(prevKvs.key(i), 0, prevKvs.key(i).length)
                    .putValue(record, KeyValueRecord.HEADER_LENGTH, KeyValueRecord.valueLength(record));
            }
            encodedLength = deleteRangeEncoder.encodedLength();
        }
        catch (final RuntimeException ex)
        {
            encodingFailed(start, revision, ex);
            return;
        }
        appended(encodedLength);
    }

    public void onTxnBegin(final boolean succeeded)
    {
        txnEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(txnEncoder.header(), 0);
        txnEncoder.succeeded(succeeded ? BooleanType.TRUE : BooleanType.FALSE);
        openTxnOffsets.addInt(length);
        length = txnEncoder.limit() + Protocol.VAR_DATA_LENGTH_PREFIX;
    }

    public void onTxnEnd(final long revision)
    {
        final int txnOffset = openTxnOffsets.removeAt(openTxnOffsets.size() - 1);
        final int bodyOffset = txnOffset + MessageHeaderEncoder.ENCODED_LENGTH;
        txnEncoder.wrap(buffer, bodyOffset).header().revision(revision);
        final int lengthOffset = bodyOffset + TxnResponseEncoder.BLOCK_LENGTH;
        final int responsesLength = length - lengthOffset - Protocol.VAR_DATA_LENGTH_PREFIX;
        buffer.putInt(lengthOffset, responsesLength, TxnResponseEncoder.BYTE_ORDER);
        if (openTxnOffsets.isEmpty() && length - txnOffset > maxTxnResponseBytes)
        {
            // Too large for one egress message: the transaction has run, so say so, in place of its responses.
            final int txnLength = length - txnOffset;
            length = txnOffset;
            onError(revision, ErrorCode.RESPONSE_TOO_LARGE, "the transaction ran (revision " + revision + ") but " +
                "its responses, " + txnLength + " bytes, exceed " + maxTxnResponseBytes + "; read with ranges");
            return;
        }
        flushWhenFull();
    }

    public void onLeaseGrant(final long revision, final long id, final long ttl)
    {
        leaseGrantEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(leaseGrantEncoder.header(), revision);
        leaseGrantEncoder.id(id).ttl(ttl);
        appended(leaseGrantEncoder.encodedLength());
    }

    public void onLeaseRevoke(final long revision)
    {
        leaseRevokeEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(leaseRevokeEncoder.header(), revision);
        appended(leaseRevokeEncoder.encodedLength());
    }

    public void onLeaseKeepAlive(final long revision, final long id, final long ttl)
    {
        leaseKeepAliveEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(leaseKeepAliveEncoder.header(), revision);
        leaseKeepAliveEncoder.id(id).ttl(ttl);
        appended(leaseKeepAliveEncoder.encodedLength());
    }

    public void onLeaseTimeToLive(
        final long revision, final long id, final long ttl, final long grantedTtl, final List<byte[]> keys)
    {
        final int start = length;
        final int encodedLength;
        try
        {
            leaseTimeToLiveEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
            header(leaseTimeToLiveEncoder.header(), revision);
            leaseTimeToLiveEncoder.id(id).ttl(ttl).grantedTtl(grantedTtl);
            final LeaseTimeToLiveResponseEncoder.KeysEncoder group = leaseTimeToLiveEncoder.keysCount(keys.size());
            for (int i = 0, size = keys.size(); i < size; i++)
            {
                final byte[] key = keys.get(i);
                group.next().putKey(key, 0, key.length);
            }
            encodedLength = leaseTimeToLiveEncoder.encodedLength();
        }
        catch (final RuntimeException ex)
        {
            encodingFailed(start, revision, ex);
            return;
        }
        appended(encodedLength);
    }

    public void onLeaseList(final long revision, final LongArrayList ids)
    {
        final int start = length;
        final int encodedLength;
        try
        {
            leaseListEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
            header(leaseListEncoder.header(), revision);
            final LeaseListResponseEncoder.LeasesEncoder group = leaseListEncoder.leasesCount(ids.size());
            for (int i = 0, size = ids.size(); i < size; i++)
            {
                group.next().id(ids.getLong(i));
            }
            encodedLength = leaseListEncoder.encodedLength();
        }
        catch (final RuntimeException ex)
        {
            encodingFailed(start, revision, ex);
            return;
        }
        appended(encodedLength);
    }

    public void onAlarm(final long revision, final List<Alarm> alarms)
    {
        final int start = length;
        final int encodedLength;
        try
        {
            alarmEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
            header(alarmEncoder.header(), revision);
            final AlarmResponseEncoder.AlarmsEncoder group = alarmEncoder.alarmsCount(alarms.size());
            for (int i = 0, size = alarms.size(); i < size; i++)
            {
                final Alarm alarm = alarms.get(i);
                group.next().memberId(alarm.memberId()).alarm(alarm.type());
            }
            encodedLength = alarmEncoder.encodedLength();
        }
        catch (final RuntimeException ex)
        {
            encodingFailed(start, revision, ex);
            return;
        }
        appended(encodedLength);
    }

    /**
     * A defragment request was applied.
     *
     * @param revision of the store, unchanged.
     */
    void onDefragment(final long revision)
    {
        defragmentEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(defragmentEncoder.header(), revision);
        appended(defragmentEncoder.encodedLength());
    }

    public void onCompact(final long revision, final long compactedRevision)
    {
        compactEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(compactEncoder.header(), revision);
        compactEncoder.compactRevision(compactedRevision);
        appended(compactEncoder.encodedLength());
    }

    public void onChanges(
        final long revision, final long compactedRevision, final long nextRevision, final ChangeList changes)
    {
        final int start = length;
        final int encodedLength;
        try
        {
            changesEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
            header(changesEncoder.header(), revision);
            changesEncoder.compactRevision(compactedRevision).nextRevision(nextRevision);
            final ChangesResponseEncoder.ChangesEncoder group = changesEncoder.changesCount(changes.size());
            for (int i = 0, size = changes.size(); i < size; i++)
            {
                final byte[] key = changes.key(i);
                final byte[] record = changes.record(i);
                group.next();
                if (null == record)
                {
                    group.changeType(ChangeType.DELETE).createRevision(0).modRevision(changes.revision(i)).version(0)
                        .lease(0).timestamp(changes.timestampMs(i)).putKey(key, 0, key.length).putValue(NO_VALUE, 0, 0);
                }
                else
                {
                    group.changeType(ChangeType.PUT)
                        .createRevision(KeyValueRecord.createRevision(record))
                        .modRevision(KeyValueRecord.modRevision(record))
                        .version(KeyValueRecord.version(record))
                        .lease(KeyValueRecord.lease(record))
                        .timestamp(changes.timestampMs(i))
                        .putKey(key, 0, key.length)
                        .putValue(record, KeyValueRecord.HEADER_LENGTH, KeyValueRecord.valueLength(record));
                }
            }
            encodedLength = changesEncoder.encodedLength();
        }
        catch (final RuntimeException ex)
        {
            encodingFailed(start, revision, ex);
            return;
        }
        appended(encodedLength);
    }

    public void onCompacted(final long revision, final long compactedRevision, final String message)
    {
        error(revision, ErrorCode.COMPACTED, compactedRevision, message);
    }

    public void onError(final long revision, final ErrorCode code, final String message)
    {
        error(revision, code, 0, message);
    }

    private void error(final long revision, final ErrorCode code, final long compactedRevision, final String message)
    {
        isErrorAnswer = true;
        counters.onRefused(code);
        errorEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(errorEncoder.header(), revision);
        errorEncoder.code(code).compactRevision(compactedRevision).message(message);
        appended(errorEncoder.encodedLength());
    }

    /**
     * A response that could not be encoded, a bug: it is replaced by an {@link ErrorCode#INTERNAL} error, so the
     * request's client hears of it and the entry is still applied whole, alike on every member. Thrown out of the
     * apply, it would stop every member at the same entry, at every start.
     */
    private void encodingFailed(final int start, final long revision, final RuntimeException ex)
    {
        length = start;
        onError(revision, ErrorCode.INTERNAL, "the response could not be encoded: " + ex);
        if (null != errorHandler)
        {
            errorHandler.onError(ex);
        }
    }

    /**
     * @param errorHandler told of a response that could not be encoded.
     */
    void errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
    }

    /**
     * A response of {@code bodyLength} bytes after its header was encoded at the end of the buffer.
     */
    private void appended(final int bodyLength)
    {
        length += MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        flushWhenFull();
    }

    private void flushWhenFull()
    {
        if (length >= maxBatchBytes && openTxnOffsets.isEmpty())
        {
            flush();
        }
    }

    private void header(final ResponseHeaderEncoder header, final long revision)
    {
        header
            .correlationId(correlationId)
            .clusterId(clusterId)
            .memberId(memberId)
            .revision(revision)
            .leadershipTermId(leadershipTermId);
    }
}
