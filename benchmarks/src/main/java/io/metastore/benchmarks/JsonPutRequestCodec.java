package io.metastore.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;

/**
 * Encodes and decodes a put request as JSON the way a typical Jackson user would: one {@link ObjectMapper} with
 * default settings, and a writer and a reader bound to the type created once and reused.
 */
final class JsonPutRequestCodec
{
    private final ObjectWriter writer;
    private final ObjectReader reader;

    JsonPutRequestCodec()
    {
        final ObjectMapper mapper = new ObjectMapper();
        writer = mapper.writerFor(PutRequestJson.class);
        reader = mapper.readerFor(PutRequestJson.class);
    }

    /**
     * Encode a put request as UTF-8 JSON.
     *
     * @param request to encode.
     * @return a new array holding the document.
     * @throws IOException if Jackson cannot write it.
     */
    byte[] encode(final PutRequestJson request) throws IOException
    {
        return writer.writeValueAsBytes(request);
    }

    /**
     * Decode a put request from UTF-8 JSON.
     *
     * @param json the document.
     * @return a new request, with new key and value arrays.
     * @throws IOException if the document is not a put request.
     */
    PutRequestJson decode(final byte[] json) throws IOException
    {
        return reader.readValue(json);
    }
}
