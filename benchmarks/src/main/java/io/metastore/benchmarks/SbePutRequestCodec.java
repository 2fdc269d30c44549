package io.metastore.benchmarks;

import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutFlagsDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.RequestHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes and decodes a put request the way the client and the node do: flyweight encoders and decoders allocated
 * once, wrapped over a buffer per message, the message header included, and on decode the schema and template
 * checked and the key and value copied out into arrays allocated once.
 */
final class SbePutRequestCodec
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PutRequestEncoder encoder = new PutRequestEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PutRequestDecoder decoder = new PutRequestDecoder();

    /**
     * Encode a put request, message header first.
     *
     * @param buffer to encode into, with room for the whole message.
     * @param offset in the buffer at which the message header starts.
     * @param fields of the request.
     * @return the length of the message in bytes, header included.
     */
    int encode(final MutableDirectBuffer buffer, final int offset, final PutRequestFields fields)
    {
        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder);
        encoder.header()
            .correlationId(fields.correlationId)
            .clientId(fields.clientId)
            .sequence(fields.sequence);
        encoder.lease(fields.lease);
        encoder.flags().clear()
            .prevKv(fields.prevKv)
            .ignoreValue(fields.ignoreValue)
            .ignoreLease(fields.ignoreLease);
        encoder.putKey(fields.key, 0, fields.keyLength);
        encoder.putValue(fields.value, 0, fields.valueLength);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Decode a put request, reading every field.
     *
     * @param buffer holding the message.
     * @param offset in the buffer at which the message header starts.
     * @param fields to fill in; its key and value arrays must be large enough.
     * @return the length of the message in bytes, header included.
     * @throws IllegalArgumentException if the message is not a put request of this schema or its key or value does
     *                                  not fit.
     */
    int decode(final DirectBuffer buffer, final int offset, final PutRequestFields fields)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != PutRequestDecoder.SCHEMA_ID ||
            headerDecoder.templateId() != PutRequestDecoder.TEMPLATE_ID)
        {
            throw new IllegalArgumentException("not a PutRequest: schemaId=" + headerDecoder.schemaId() +
                " templateId=" + headerDecoder.templateId());
        }

        decoder.wrap(
            buffer,
            offset + MessageHeaderDecoder.ENCODED_LENGTH,
            headerDecoder.blockLength(),
            headerDecoder.version());

        final RequestHeaderDecoder requestHeader = decoder.header();
        fields.correlationId = requestHeader.correlationId();
        fields.clientId = requestHeader.clientId();
        fields.sequence = requestHeader.sequence();
        fields.lease = decoder.lease();
        final PutFlagsDecoder flags = decoder.flags();
        fields.prevKv = flags.prevKv();
        fields.ignoreValue = flags.ignoreValue();
        fields.ignoreLease = flags.ignoreLease();

        final int keyLength = decoder.keyLength();
        if (keyLength > fields.key.length)
        {
            throw new IllegalArgumentException("key of " + keyLength + " bytes exceeds " + fields.key.length);
        }
        fields.keyLength = decoder.getKey(fields.key, 0, keyLength);

        final int valueLength = decoder.valueLength();
        if (valueLength > fields.value.length)
        {
            throw new IllegalArgumentException("value of " + valueLength + " bytes exceeds " + fields.value.length);
        }
        fields.valueLength = decoder.getValue(fields.value, 0, valueLength);

        return MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength();
    }
}
