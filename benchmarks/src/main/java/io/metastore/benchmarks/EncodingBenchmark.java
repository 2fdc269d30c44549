package io.metastore.benchmarks;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * JSON versus binary, measured: one put request with a 16-byte key and a 256-byte value, encoded and decoded as SBE
 * and as JSON. The SBE side allocates nothing; the JSON side allocates what Jackson must (the output array on
 * encode, the record and its key and value arrays on decode). The encoded sizes are printed once per fork.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED" })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EncodingBenchmark
{
    private static final int BUFFER_CAPACITY = 1024;

    private final PutRequestFields request = PutRequestFields.sample();
    private final PutRequestFields decoded =
        new PutRequestFields(PutRequestFields.KEY_LENGTH, PutRequestFields.VALUE_LENGTH);
    private final SbePutRequestCodec sbeCodec = new SbePutRequestCodec();
    private final UnsafeBuffer encodeBuffer = newBuffer();
    private final UnsafeBuffer encodedSbe = newBuffer();
    private final JsonPutRequestCodec jsonCodec = new JsonPutRequestCodec();
    private PutRequestJson requestJson;
    private byte[] encodedJson;

    /**
     * Encode the request once each way, for the decode benchmarks, and print the sizes.
     *
     * @throws IOException if Jackson cannot encode the request.
     */
    @Setup
    public void setup() throws IOException
    {
        final int sbeLength = sbeCodec.encode(encodedSbe, 0, request);
        requestJson = PutRequestJson.from(request);
        encodedJson = jsonCodec.encode(requestJson);
        System.out.println();
        System.out.println(EncodedSizes.describe(sbeLength, encodedJson.length));
    }

    /**
     * Encode into a buffer allocated once, with encoders allocated once.
     *
     * @return the encoded length.
     */
    @Benchmark
    public int sbeEncodePut()
    {
        return sbeCodec.encode(encodeBuffer, 0, request);
    }

    /**
     * Decode every field, copying the key and value into arrays allocated once.
     *
     * @param blackhole to consume the decoded fields.
     * @return the decoded length.
     */
    @Benchmark
    public int sbeDecodePut(final Blackhole blackhole)
    {
        final int length = sbeCodec.decode(encodedSbe, 0, decoded);
        blackhole.consume(decoded);
        return length;
    }

    /**
     * Encode with a reused {@link com.fasterxml.jackson.databind.ObjectWriter}.
     *
     * @return the document.
     * @throws IOException if Jackson cannot encode the request.
     */
    @Benchmark
    public byte[] jsonEncodePut() throws IOException
    {
        return jsonCodec.encode(requestJson);
    }

    /**
     * Decode with a reused {@link com.fasterxml.jackson.databind.ObjectReader}.
     *
     * @return the decoded request.
     * @throws IOException if the document is not a put request.
     */
    @Benchmark
    public PutRequestJson jsonDecodePut() throws IOException
    {
        return jsonCodec.decode(encodedJson);
    }

    private static UnsafeBuffer newBuffer()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(BUFFER_CAPACITY, BitUtil.CACHE_LINE_LENGTH));
    }
}
