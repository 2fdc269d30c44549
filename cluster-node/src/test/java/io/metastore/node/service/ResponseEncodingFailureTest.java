package io.metastore.node.service;

import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutResponseDecoder;
import io.metastore.node.kv.KeyValueList;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A response that cannot be encoded (a bug, as a delete's missing value was) is answered with an INTERNAL error in
 * its place, rather than thrown out of the apply, which would stop every member at the same entry at every start;
 * the responses around it are untouched and the failure is reported.
 */
class ResponseEncodingFailureTest
{
    private final ExpandableArrayBuffer sent = new ExpandableArrayBuffer();
    private final List<Throwable> reported = new ArrayList<>();
    private int sentLength;

    @Test
    void shouldAnswerAnUnencodableResponseWithAnInternalErrorAndKeepTheOthers()
    {
        final ResponseEncoder encoder = new ResponseEncoder(0, 64 * 1024, 1024 * 1024, (buffer, length) ->
        {
            sent.putBytes(sentLength, buffer, 0, length);
            sentLength += length;
        });
        encoder.errorHandler(reported::add);
        final KeyValueList noPrevious = new KeyValueList();
        final KeyValueList broken = new KeyValueList();
        broken.add(bytes("k"), null);

        encoder.correlationId(1);
        encoder.onPut(5, noPrevious);
        encoder.correlationId(2);
        encoder.onRange(5, 1, false, false, broken);
        encoder.correlationId(3);
        encoder.onPut(6, noPrevious);
        encoder.flush();

        final UnsafeBuffer buffer = new UnsafeBuffer(sent, 0, sentLength);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final List<String> responses = new ArrayList<>();
        int offset = 0;
        while (offset < sentLength)
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            if (ErrorResponseDecoder.TEMPLATE_ID == header.templateId())
            {
                final ErrorResponseDecoder error =
                    new ErrorResponseDecoder().wrap(buffer, body, header.blockLength(), header.version());
                final long correlationId = error.header().correlationId();
                final ErrorCode code = error.code();
                final String message = error.message();
                assertTrue(message.contains("could not be encoded"), message);
                responses.add("error " + correlationId + " " + code);
                offset = body + error.encodedLength();
            }
            else
            {
                final PutResponseDecoder put =
                    new PutResponseDecoder().wrap(buffer, body, header.blockLength(), header.version());
                responses.add("put " + put.header().correlationId() + " @" + put.header().revision());
                offset = body + put.sbeDecodedLength();
            }
        }

        assertEquals(List.of("put 1 @5", "error 2 INTERNAL", "put 3 @6"), responses);
        assertEquals(1, reported.size());
        assertTrue(reported.get(0) instanceof NullPointerException, reported.toString());
    }
}
