package io.metastore.node.service;

import io.metastore.codecs.DeleteRangeResponseEncoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutResponseEncoder;
import io.metastore.codecs.RangeResponseEncoder;
import io.metastore.codecs.ResponseHeaderEncoder;
import io.metastore.node.kv.KeyValueList;
import io.metastore.node.kv.KeyValueRecord;
import io.metastore.node.kv.KvResponder;
import io.metastore.codecs.BooleanType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Encodes responses back to back into one egress buffer: the responses to one ingress message leave together.
 * Encoders and the buffer are allocated once.
 */
final class ResponseEncoder implements KvResponder
{
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
    private final int clusterId;
    private final int maxBatchBytes;
    private final EgressSink sink;
    private int memberId;
    private long leadershipTermId;
    private long correlationId;
    private int length;

    ResponseEncoder(final int clusterId, final int maxBatchBytes, final EgressSink sink)
    {
        this.clusterId = clusterId;
        this.maxBatchBytes = maxBatchBytes;
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
    }

    /**
     * Send what is encoded, if anything, and start again from an empty buffer.
     */
    void flush()
    {
        if (length > 0)
        {
            sink.send(buffer, length);
            length = 0;
        }
    }

    public void onPut(final long revision, final KeyValueList prevKv)
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
        length += MessageHeaderEncoder.ENCODED_LENGTH + putEncoder.encodedLength();
        flushWhenFull();
    }

    public void onRange(
        final long revision, final long count, final boolean more, final boolean keysOnly, final KeyValueList kvs)
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
        length += MessageHeaderEncoder.ENCODED_LENGTH + rangeEncoder.encodedLength();
        flushWhenFull();
    }

    public void onDeleteRange(final long revision, final long deleted, final KeyValueList prevKvs)
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
        length += MessageHeaderEncoder.ENCODED_LENGTH + deleteRangeEncoder.encodedLength();
        flushWhenFull();
    }

    public void onError(final long revision, final ErrorCode code, final String message)
    {
        errorEncoder.wrapAndApplyHeader(buffer, length, headerEncoder);
        header(errorEncoder.header(), revision);
        errorEncoder.code(code).message(message);
        length += MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder.encodedLength();
        flushWhenFull();
    }

    private void flushWhenFull()
    {
        if (length >= maxBatchBytes)
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
