package io.metastore.benchmarks;

import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Prints the encoded sizes of the put request that {@link EncodingBenchmark} measures, and the JSON document itself:
 * {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp metastore-benchmarks.jar
 * io.metastore.benchmarks.EncodedSizes}.
 */
public final class EncodedSizes
{
    private EncodedSizes()
    {
    }

    /**
     * Encode the benchmark's put request both ways and print the sizes and the JSON document.
     *
     * @param args ignored.
     * @throws IOException if Jackson cannot encode the request.
     */
    public static void main(final String[] args) throws IOException
    {
        final PutRequestFields request = PutRequestFields.sample();
        final int sbeLength = new SbePutRequestCodec().encode(new ExpandableArrayBuffer(), 0, request);
        final byte[] json = new JsonPutRequestCodec().encode(PutRequestJson.from(request));

        System.out.println(describe(sbeLength, json.length));
        System.out.println(new String(json, StandardCharsets.UTF_8));
    }

    static String describe(final int sbeLength, final int jsonLength)
    {
        return String.format(
            "PutRequest, %d-byte key, %d-byte value: SBE %d bytes (message header included), JSON %d bytes (%.2fx)",
            PutRequestFields.KEY_LENGTH,
            PutRequestFields.VALUE_LENGTH,
            sbeLength,
            jsonLength,
            (double)jsonLength / sbeLength);
    }
}
