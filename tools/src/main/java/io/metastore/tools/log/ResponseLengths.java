package io.metastore.tools.log;

import io.metastore.codecs.AlarmResponseDecoder;
import io.metastore.codecs.ChangesResponseDecoder;
import io.metastore.codecs.CompactResponseDecoder;
import io.metastore.codecs.DefragmentResponseDecoder;
import io.metastore.codecs.DeleteRangeResponseDecoder;
import io.metastore.codecs.LeaseGrantResponseDecoder;
import io.metastore.codecs.LeaseKeepAliveResponseDecoder;
import io.metastore.codecs.LeaseListResponseDecoder;
import io.metastore.codecs.LeaseRevokeResponseDecoder;
import io.metastore.codecs.LeaseTimeToLiveResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutResponseDecoder;
import io.metastore.codecs.RangeResponseDecoder;
import io.metastore.codecs.TxnResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

/**
 * The length of a response of any template the service answers with, walked by its generated decoder (one of each,
 * reused), so the responses of one entry can be read back to back.
 */
final class ResponseLengths
{
    private final PutResponseDecoder putResponseDecoder = new PutResponseDecoder();
    private final RangeResponseDecoder rangeResponseDecoder = new RangeResponseDecoder();
    private final DeleteRangeResponseDecoder deleteRangeResponseDecoder = new DeleteRangeResponseDecoder();
    private final TxnResponseDecoder txnResponseDecoder = new TxnResponseDecoder();
    private final LeaseGrantResponseDecoder leaseGrantResponseDecoder = new LeaseGrantResponseDecoder();
    private final LeaseRevokeResponseDecoder leaseRevokeResponseDecoder = new LeaseRevokeResponseDecoder();
    private final LeaseKeepAliveResponseDecoder leaseKeepAliveResponseDecoder = new LeaseKeepAliveResponseDecoder();
    private final LeaseTimeToLiveResponseDecoder leaseTimeToLiveResponseDecoder = new LeaseTimeToLiveResponseDecoder();
    private final LeaseListResponseDecoder leaseListResponseDecoder = new LeaseListResponseDecoder();
    private final AlarmResponseDecoder alarmResponseDecoder = new AlarmResponseDecoder();
    private final CompactResponseDecoder compactResponseDecoder = new CompactResponseDecoder();
    private final DefragmentResponseDecoder defragmentResponseDecoder = new DefragmentResponseDecoder();
    private final ChangesResponseDecoder changesResponseDecoder = new ChangesResponseDecoder();

    /**
     * @param header wrapped over the response's message header.
     * @param buffer holding the response.
     * @param body   offset of the response's body.
     * @return the body's length, or -1 for a template the service does not answer with.
     */
    int length(final MessageHeaderDecoder header, final DirectBuffer buffer, final int body)
    {
        final MessageDecoderFlyweight decoder = switch (header.templateId())
        {
            case PutResponseDecoder.TEMPLATE_ID -> putResponseDecoder;
            case RangeResponseDecoder.TEMPLATE_ID -> rangeResponseDecoder;
            case DeleteRangeResponseDecoder.TEMPLATE_ID -> deleteRangeResponseDecoder;
            case TxnResponseDecoder.TEMPLATE_ID -> txnResponseDecoder;
            case LeaseGrantResponseDecoder.TEMPLATE_ID -> leaseGrantResponseDecoder;
            case LeaseRevokeResponseDecoder.TEMPLATE_ID -> leaseRevokeResponseDecoder;
            case LeaseKeepAliveResponseDecoder.TEMPLATE_ID -> leaseKeepAliveResponseDecoder;
            case LeaseTimeToLiveResponseDecoder.TEMPLATE_ID -> leaseTimeToLiveResponseDecoder;
            case LeaseListResponseDecoder.TEMPLATE_ID -> leaseListResponseDecoder;
            case AlarmResponseDecoder.TEMPLATE_ID -> alarmResponseDecoder;
            case CompactResponseDecoder.TEMPLATE_ID -> compactResponseDecoder;
            case DefragmentResponseDecoder.TEMPLATE_ID -> defragmentResponseDecoder;
            case ChangesResponseDecoder.TEMPLATE_ID -> changesResponseDecoder;
            default -> null;
        };
        if (null == decoder)
        {
            return -1;
        }
        decoder.wrap(buffer, body, header.blockLength(), header.version());

        return decoder.sbeDecodedLength();
    }
}
