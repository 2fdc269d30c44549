package io.metastore.node.service;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmRequestDecoder;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.ChangesRequestDecoder;
import io.metastore.codecs.CompactRequestDecoder;
import io.metastore.codecs.DefragmentRequestDecoder;
import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.LeaseGrantRequestDecoder;
import io.metastore.codecs.LeaseKeepAliveRequestDecoder;
import io.metastore.codecs.LeaseListRequestDecoder;
import io.metastore.codecs.LeaseRevokeRequestDecoder;
import io.metastore.codecs.LeaseTimeToLiveRequestDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.TxnRequestDecoder;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.node.kv.TxnOp;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;

/**
 * Reads the requests of one ingress message, checks each before anything changes, and hands each to the state
 * machine as decoded: the one place that reads ingress bytes.
 * <p>
 * Every check is made on the bytes alone, so every replica and every replay reaches the same verdict: schema id
 * and version, template id, block length, every length field against the end of the buffer, empty keys, key and
 * value limits, inverted ranges, unknown flags and enum values, and for transactions the operations per list and
 * the nesting depth. A refused request gets an error response on its correlation id ({@link Refusals}). When a
 * request's length cannot be trusted the rest of its ingress message cannot be framed either, and is refused with
 * it.
 * <p>
 * The jobs are split: this class checks each request's header and dispatches it; {@link RequestReader} frames
 * requests and reads the fields put, range and delete-range share; {@link TxnDecoder} decodes a transaction's tree
 * of requests.
 */
final class IngressAdapter
{
    /**
     * Deepest nesting of transactions: a transaction inside a transaction is depth 2.
     */
    static final int MAX_TXN_DEPTH = TxnDecoder.MAX_TXN_DEPTH;

    private static final int HEADER_LENGTH = RequestReader.HEADER_LENGTH;
    private static final int LEASE_TIME_TO_LIVE_FLAGS_MASK = 0b1;
    private static final int COMPACT_FLAGS_MASK = 0b1;

    private final LeaseGrantRequestDecoder leaseGrantDecoder = new LeaseGrantRequestDecoder();
    private final LeaseRevokeRequestDecoder leaseRevokeDecoder = new LeaseRevokeRequestDecoder();
    private final LeaseKeepAliveRequestDecoder leaseKeepAliveDecoder = new LeaseKeepAliveRequestDecoder();
    private final LeaseTimeToLiveRequestDecoder leaseTimeToLiveDecoder = new LeaseTimeToLiveRequestDecoder();
    private final AlarmRequestDecoder alarmDecoder = new AlarmRequestDecoder();
    private final CompactRequestDecoder compactDecoder = new CompactRequestDecoder();
    private Runnable defragmentRequest = () -> {};
    private final TxnOp singleOp = new TxnOp();
    private final KvStateMachine stateMachine;
    private final ResponseEncoder responder;
    private final Refusals refusals;
    private final RequestReader reader;
    private final TxnDecoder txnDecoder;
    private long timestampMs;

    IngressAdapter(
        final KvStateMachine stateMachine,
        final ResponseEncoder responder,
        final int maxKeyLength,
        final int maxValueLength,
        final int maxTxnOps)
    {
        this.stateMachine = stateMachine;
        this.responder = responder;
        this.refusals = new Refusals(stateMachine, responder);
        this.reader = new RequestReader(refusals, maxKeyLength, maxValueLength);
        this.txnDecoder = new TxnDecoder(reader, refusals, maxTxnOps);
    }

    /**
     * @param defragmentRequest run when a defragment request is applied: asks this member to reclaim space on a
     *                          thread of its own.
     */
    void onDefragment(final Runnable defragmentRequest)
    {
        this.defragmentRequest = defragmentRequest;
    }

    /**
     * Apply every request of one ingress message, answering each through the responder.
     *
     * @param buffer      holding the message.
     * @param offset      of the message.
     * @param length      of the message.
     * @param timestampMs cluster time of the log entry, in milliseconds.
     * @return the number of requests answered.
     */
    int onMessage(final DirectBuffer buffer, final int offset, final int length, final long timestampMs)
    {
        this.timestampMs = timestampMs;
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
        refusals.reset();

        if (!reader.readHeader(buffer, offset, end))
        {
            return -1;
        }

        final int templateId = reader.header().templateId();
        final int blockLength = reader.header().blockLength();
        final int version = reader.header().version();
        final TxnOp op = singleOp;
        final int length;
        switch (templateId)
        {
            case PutRequestDecoder.TEMPLATE_ID:
                length = reader.readPut(buffer, offset, end, blockLength, version, op);
                if (length > 0 && !refusals.isRefused())
                {
                    stateMachine.put(op, responder);
                }
                break;

            case RangeRequestDecoder.TEMPLATE_ID:
                length = reader.readRange(buffer, offset, end, blockLength, version, op);
                if (length > 0 && !refusals.isRefused())
                {
                    stateMachine.range(op, responder);
                }
                break;

            case DeleteRangeRequestDecoder.TEMPLATE_ID:
                length = reader.readDeleteRange(buffer, offset, end, blockLength, version, op);
                if (length > 0 && !refusals.isRefused())
                {
                    stateMachine.deleteRange(op, responder);
                }
                break;

            case TxnRequestDecoder.TEMPLATE_ID:
                length = txnDecoder.decode(buffer, offset, end, blockLength, version, 1, op);
                if (length > 0 && !refusals.isRefused())
                {
                    stateMachine.txn(op.txn, responder);
                }
                op.txn = null;
                break;

            case LeaseGrantRequestDecoder.TEMPLATE_ID:
                length = onLeaseGrant(buffer, offset, end, blockLength, version);
                break;

            case LeaseRevokeRequestDecoder.TEMPLATE_ID:
                length = onLeaseRevoke(buffer, offset, end, blockLength, version);
                break;

            case LeaseKeepAliveRequestDecoder.TEMPLATE_ID:
                length = onLeaseKeepAlive(buffer, offset, end, blockLength, version);
                break;

            case LeaseTimeToLiveRequestDecoder.TEMPLATE_ID:
                length = onLeaseTimeToLive(buffer, offset, end, blockLength, version);
                break;

            case LeaseListRequestDecoder.TEMPLATE_ID:
                length = reader.frame(buffer, offset, end, blockLength, LeaseListRequestDecoder.BLOCK_LENGTH, 0);
                if (length > 0)
                {
                    stateMachine.leaseList(responder);
                }
                break;

            case DefragmentRequestDecoder.TEMPLATE_ID:
                length = onDefragment(buffer, offset, end, blockLength);
                break;

            case CompactRequestDecoder.TEMPLATE_ID:
                length = onCompact(buffer, offset, end, blockLength, version);
                break;

            case ChangesRequestDecoder.TEMPLATE_ID:
                length = onChanges(buffer, offset, end, blockLength, version, op);
                break;

            case AlarmRequestDecoder.TEMPLATE_ID:
                length = onAlarm(buffer, offset, end, blockLength, version);
                break;

            default:
                return refusals.refuse(ErrorCode.UNKNOWN_TEMPLATE, "unknown template id " + templateId);
        }

        return counted(templateId, length);
    }

    /**
     * Count a request answered without an error as applied, by kind; one answered with an error was counted by its
     * code when the error was encoded.
     */
    private int counted(final int templateId, final int length)
    {
        if (length > 0 && !responder.isErrorAnswer())
        {
            responder.counters().onApplied(templateId);
        }

        return length;
    }

    private int onLeaseGrant(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = reader.frame(buffer, offset, end, blockLength, LeaseGrantRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            final LeaseGrantRequestDecoder decoder =
                leaseGrantDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
            final long id = decoder.id();
            if (id < 0)
            {
                return refusals.refuse(length, ErrorCode.INVALID_ARGUMENT, "negative lease id " + id);
            }
            stateMachine.leaseGrant(id, decoder.ttl(), timestampMs, responder);
        }

        return length;
    }

    private int onLeaseRevoke(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = reader.frame(buffer, offset, end, blockLength, LeaseRevokeRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            stateMachine.leaseRevoke(
                leaseRevokeDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version).id(), responder);
        }

        return length;
    }

    private int onLeaseKeepAlive(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = reader.frame(buffer, offset, end, blockLength, LeaseKeepAliveRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            stateMachine.leaseKeepAlive(
                leaseKeepAliveDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version).id(),
                timestampMs,
                responder);
        }

        return length;
    }

    private int onLeaseTimeToLive(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length =
            reader.frame(buffer, offset, end, blockLength, LeaseTimeToLiveRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            final LeaseTimeToLiveRequestDecoder decoder =
                leaseTimeToLiveDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
            if (!reader.hasKnownFlags(buffer, offset, LeaseTimeToLiveRequestDecoder.flagsEncodingOffset(),
                LEASE_TIME_TO_LIVE_FLAGS_MASK, "lease", length))
            {
                return length;
            }
            stateMachine.leaseTimeToLive(decoder.id(), decoder.flags().keys(), timestampMs, responder);
        }

        return length;
    }

    private int onChanges(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final TxnOp op)
    {
        final int length = reader.readChanges(buffer, offset, end, blockLength, version, op);
        if (length > 0 && !refusals.isRefused())
        {
            stateMachine.changes(op, reader.fromRevision(), reader.toRevision(), responder);
        }

        return length;
    }

    private int onDefragment(final DirectBuffer buffer, final int offset, final int end, final int blockLength)
    {
        final int length = reader.frame(buffer, offset, end, blockLength, DefragmentRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            defragmentRequest.run();
            responder.onDefragment(stateMachine.revision());
        }

        return length;
    }

    private int onCompact(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = reader.frame(buffer, offset, end, blockLength, CompactRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            final CompactRequestDecoder decoder =
                compactDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
            if (!reader.hasKnownFlags(
                buffer, offset, CompactRequestDecoder.flagsEncodingOffset(), COMPACT_FLAGS_MASK, "compact", length))
            {
                return length;
            }
            final long revision = decoder.revision();
            if (revision < 0)
            {
                return refusals.refuse(length, ErrorCode.INVALID_ARGUMENT, "negative revision " + revision);
            }
            stateMachine.compact(revision, responder);
        }

        return length;
    }

    private int onAlarm(
        final DirectBuffer buffer, final int offset, final int end, final int blockLength, final int version)
    {
        final int length = reader.frame(buffer, offset, end, blockLength, AlarmRequestDecoder.BLOCK_LENGTH, 0);
        if (length > 0)
        {
            final AlarmRequestDecoder decoder = alarmDecoder.wrap(buffer, offset + HEADER_LENGTH, blockLength, version);
            final short actionRaw = decoder.actionRaw();
            final short alarmRaw = decoder.alarmRaw();
            if (actionRaw > AlarmAction.DEACTIVATE.value() || alarmRaw > AlarmType.CORRUPT.value())
            {
                return refusals.refuse(length, ErrorCode.INVALID_ARGUMENT, "unknown alarm action " + actionRaw +
                    " or type " + alarmRaw);
            }
            stateMachine.alarm(AlarmAction.get(actionRaw), decoder.memberId(), AlarmType.get(alarmRaw), responder);
        }

        return length;
    }
}
