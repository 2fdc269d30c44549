package io.metastore.node.service;

import io.metastore.codecs.AlarmResponseDecoder;
import io.metastore.codecs.ChangesResponseDecoder;
import io.metastore.codecs.CompactResponseDecoder;
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
import io.metastore.codecs.TxnResponseDecoder;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.node.storage.RocksDbStorage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's decode, apply and respond path without Aeron: ingress bytes in, egress bytes out, with the batch
 * boundary (commit) under the test's control.
 */
final class ServiceHarness implements AutoCloseable, ResponseEncoder.EgressSink
{
    final RocksDbStorage storage;
    final KvStateMachine stateMachine;
    final IngressAdapter adapter;
    final ByteArrayOutputStream egress = new ByteArrayOutputStream();
    private final ResponseEncoder responses;
    private long position;

    ServiceHarness(final File dir, final int maxKeyLength, final int maxValueLength)
    {
        storage = RocksDbStorage.open(dir);
        stateMachine = new KvStateMachine(storage, 1024 * 1024);
        responses = new ResponseEncoder(0, 64 * 1024, 1024 * 1024, this);
        adapter = new IngressAdapter(stateMachine, responses, maxKeyLength, maxValueLength, 128);
    }

    void apply(final byte[] message)
    {
        adapter.onMessage(new UnsafeBuffer(message), 0, message.length, 0);
        responses.flush();
        position += message.length;
    }

    void commit()
    {
        if (storage.hasPendingWrites() || position > storage.appliedPosition())
        {
            storage.commit(position, stateMachine.revision());
        }
    }

    public void send(final DirectBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        egress.writeBytes(bytes);
    }

    /**
     * Error responses sent so far, as (correlationId, code, message) triples, in order.
     */
    List<Object[]> errors()
    {
        final List<Object[]> errors = new ArrayList<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(egress.toByteArray());
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final ErrorResponseDecoder error = new ErrorResponseDecoder();
        final PutResponseDecoder put = new PutResponseDecoder();
        final RangeResponseDecoder range = new RangeResponseDecoder();
        final DeleteRangeResponseDecoder delete = new DeleteRangeResponseDecoder();
        final TxnResponseDecoder txn = new TxnResponseDecoder();
        final LeaseTimeToLiveResponseDecoder timeToLive = new LeaseTimeToLiveResponseDecoder();
        final LeaseListResponseDecoder list = new LeaseListResponseDecoder();
        final AlarmResponseDecoder alarm = new AlarmResponseDecoder();
        final ChangesResponseDecoder changes = new ChangesResponseDecoder();
        int offset = 0;
        while (offset < buffer.capacity())
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            final int length;
            switch (header.templateId())
            {
                case ErrorResponseDecoder.TEMPLATE_ID:
                    error.wrap(buffer, body, header.blockLength(), header.version());
                    final long correlationId = error.header().correlationId();
                    final ErrorCode code = error.code();
                    errors.add(new Object[]{ correlationId, code, error.message() });
                    length = error.encodedLength();
                    break;

                case PutResponseDecoder.TEMPLATE_ID:
                    put.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = put.encodedLength();
                    break;

                case RangeResponseDecoder.TEMPLATE_ID:
                    range.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = range.encodedLength();
                    break;

                case DeleteRangeResponseDecoder.TEMPLATE_ID:
                    delete.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = delete.encodedLength();
                    break;

                case TxnResponseDecoder.TEMPLATE_ID:
                    txn.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = txn.encodedLength();
                    break;

                case LeaseGrantResponseDecoder.TEMPLATE_ID:
                case LeaseRevokeResponseDecoder.TEMPLATE_ID:
                case LeaseKeepAliveResponseDecoder.TEMPLATE_ID:
                    length = header.blockLength();
                    break;

                case LeaseTimeToLiveResponseDecoder.TEMPLATE_ID:
                    timeToLive.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = timeToLive.encodedLength();
                    break;

                case LeaseListResponseDecoder.TEMPLATE_ID:
                    list.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = list.encodedLength();
                    break;

                case ChangesResponseDecoder.TEMPLATE_ID:
                    changes.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = changes.encodedLength();
                    break;

                case CompactResponseDecoder.TEMPLATE_ID:
                    length = header.blockLength();
                    break;

                case AlarmResponseDecoder.TEMPLATE_ID:
                    alarm.wrap(buffer, body, header.blockLength(), header.version()).sbeSkip();
                    length = alarm.encodedLength();
                    break;

                default:
                    throw new IllegalStateException("unexpected template " + header.templateId());
            }
            offset = body + length;
        }

        return errors;
    }

    public void close()
    {
        storage.close();
    }
}
