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
 * The length of a response of any template the service answers with, walked by its generated decoder, so the
 * responses of one entry can be read back to back.
 */
final class ResponseLengths
{
    private ResponseLengths()
    {
    }

    /**
     * @param header wrapped over the response's message header.
     * @param buffer holding the response.
     * @param body   offset of the response's body.
     * @return the body's length, or -1 for a template the service does not answer with.
     */
    static int length(final MessageHeaderDecoder header, final DirectBuffer buffer, final int body)
    {
        final MessageDecoderFlyweight decoder = switch (header.templateId())
        {
            case PutResponseDecoder.TEMPLATE_ID -> new PutResponseDecoder();
            case RangeResponseDecoder.TEMPLATE_ID -> new RangeResponseDecoder();
            case DeleteRangeResponseDecoder.TEMPLATE_ID -> new DeleteRangeResponseDecoder();
            case TxnResponseDecoder.TEMPLATE_ID -> new TxnResponseDecoder();
            case LeaseGrantResponseDecoder.TEMPLATE_ID -> new LeaseGrantResponseDecoder();
            case LeaseRevokeResponseDecoder.TEMPLATE_ID -> new LeaseRevokeResponseDecoder();
            case LeaseKeepAliveResponseDecoder.TEMPLATE_ID -> new LeaseKeepAliveResponseDecoder();
            case LeaseTimeToLiveResponseDecoder.TEMPLATE_ID -> new LeaseTimeToLiveResponseDecoder();
            case LeaseListResponseDecoder.TEMPLATE_ID -> new LeaseListResponseDecoder();
            case AlarmResponseDecoder.TEMPLATE_ID -> new AlarmResponseDecoder();
            case CompactResponseDecoder.TEMPLATE_ID -> new CompactResponseDecoder();
            case DefragmentResponseDecoder.TEMPLATE_ID -> new DefragmentResponseDecoder();
            case ChangesResponseDecoder.TEMPLATE_ID -> new ChangesResponseDecoder();
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
