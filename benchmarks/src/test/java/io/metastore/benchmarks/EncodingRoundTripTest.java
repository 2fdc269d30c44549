package io.metastore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncodingRoundTripTest
{
    private final PutRequestFields request = PutRequestFields.sample();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    private final SbePutRequestCodec sbeCodec = new SbePutRequestCodec();
    private final JsonPutRequestCodec jsonCodec = new JsonPutRequestCodec();

    EncodingRoundTripTest()
    {
        // Flags set unevenly, so that a swapped flag shows up as a failure.
        request.ignoreLease = true;
    }

    @Test
    void shouldRoundTripPutRequestThroughSbe()
    {
        final int offset = 5;
        final int encodedLength = sbeCodec.encode(buffer, offset, request);
        final PutRequestFields decoded =
            new PutRequestFields(PutRequestFields.KEY_LENGTH, PutRequestFields.VALUE_LENGTH);

        final int decodedLength = sbeCodec.decode(buffer, offset, decoded);

        assertEquals(encodedLength, decodedLength);
        assertEquals(request.correlationId, decoded.correlationId);
        assertEquals(request.clientId, decoded.clientId);
        assertEquals(request.sequence, decoded.sequence);
        assertEquals(request.lease, decoded.lease);
        assertEquals(request.prevKv, decoded.prevKv);
        assertEquals(request.ignoreValue, decoded.ignoreValue);
        assertEquals(request.ignoreLease, decoded.ignoreLease);
        assertArrayEquals(key(request), key(decoded));
        assertArrayEquals(value(request), value(decoded));
    }

    @Test
    void shouldRoundTripPutRequestThroughJson() throws IOException
    {
        final PutRequestJson decoded = jsonCodec.decode(jsonCodec.encode(PutRequestJson.from(request)));

        assertEquals(request.correlationId, decoded.header().correlationId());
        assertEquals(request.clientId, decoded.header().clientId());
        assertEquals(request.sequence, decoded.header().sequence());
        assertEquals(request.lease, decoded.lease());
        assertEquals(request.prevKv, decoded.prevKv());
        assertEquals(request.ignoreValue, decoded.ignoreValue());
        assertEquals(request.ignoreLease, decoded.ignoreLease());
        assertArrayEquals(key(request), decoded.key());
        assertArrayEquals(value(request), decoded.value());
    }

    @Test
    void shouldWriteKeyAndValueAsBase64StringsInJson() throws IOException
    {
        final JsonNode document = new ObjectMapper().readTree(jsonCodec.encode(PutRequestJson.from(request)));

        assertEquals(Base64.getEncoder().encodeToString(key(request)), document.get("key").textValue());
        assertEquals(Base64.getEncoder().encodeToString(value(request)), document.get("value").textValue());
    }

    @Test
    void shouldEncodePutRequestSmallerAsSbeThanAsJson() throws IOException
    {
        final int sbeLength = sbeCodec.encode(buffer, 0, request);
        final int jsonLength = jsonCodec.encode(PutRequestJson.from(request)).length;

        assertEquals(8 + 33 + 4 + PutRequestFields.KEY_LENGTH + 4 + PutRequestFields.VALUE_LENGTH, sbeLength);
        assertTrue(sbeLength < jsonLength, () -> "SBE " + sbeLength + " bytes, JSON " + jsonLength + " bytes");
    }

    @Test
    void shouldRefuseToDecodeValueLargerThanItsArray()
    {
        sbeCodec.encode(buffer, 0, request);
        final PutRequestFields tooSmall =
            new PutRequestFields(PutRequestFields.KEY_LENGTH, PutRequestFields.VALUE_LENGTH - 1);

        assertThrows(IllegalArgumentException.class, () -> sbeCodec.decode(buffer, 0, tooSmall));
    }

    private static byte[] key(final PutRequestFields fields)
    {
        return Arrays.copyOf(fields.key, fields.keyLength);
    }

    private static byte[] value(final PutRequestFields fields)
    {
        return Arrays.copyOf(fields.value, fields.valueLength);
    }
}
