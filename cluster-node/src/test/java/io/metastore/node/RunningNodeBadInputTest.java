package io.metastore.node;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.metastore.client.MetaStoreClient;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.ErrorResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.node.service.Requests;
import io.metastore.test.Tests;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw bad bytes sent to a running 3-node cluster: each gets an error response, the cluster keeps serving, and
 * every replica holds the same state.
 */
@Timeout(120)
class RunningNodeBadInputTest
{
    @TempDir
    File tempDir;

    private TestCluster cluster;
    private MediaDriver driver;
    private AeronCluster rawClient;
    private final List<long[]> errors = new ArrayList<>();

    @AfterEach
    void after()
    {
        CloseHelper.quietCloseAll(rawClient, driver);
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldAnswerBadBytesWithErrorsAndKeepReplicasIdentical()
    {
        cluster = TestCluster.start(tempDir, 3);
        final MetaStoreClient client = cluster.connectClient();
        client.put("existing", "value");
        connectRawClient();

        final Requests requests = new Requests();
        final List<byte[]> bad = new ArrayList<>();
        bad.add(requests.put(101, "", "v").build());
        final byte[] unknownTemplate = requests.put(102, "k", "v").build();
        new UnsafeBuffer(unknownTemplate).putShort(2, (short)999);
        bad.add(unknownTemplate);
        final byte[] truncated = requests.put(103, "k", "v").build();
        bad.add(Arrays.copyOf(truncated, truncated.length - 1));
        final byte[] wrongSchema = requests.put(104, "k", "v").build();
        new UnsafeBuffer(wrongSchema).putShort(4, (short)1);
        bad.add(wrongSchema);
        bad.add(requests.put(105, "k".repeat(5000), "v").build());
        bad.add(requests.put(106, "k", "v".repeat(64 * 1024 + 1)).build());
        bad.add(requests.range(107, "b", "a").build());
        final byte[] unknownFlags = requests.put(108, "k", "v").build();
        unknownFlags[MessageHeaderEncoder.ENCODED_LENGTH + PutRequestEncoder.flagsEncodingOffset()] = (byte)0xF0;
        bad.add(unknownFlags);
        bad.add(requests.put(109, "k", "v", 77).build());
        final Random random = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            final byte[] garbage = new byte[1 + random.nextInt(100)];
            random.nextBytes(garbage);
            bad.add(garbage);
        }
        bad.forEach(message -> send(new UnsafeBuffer(message), message.length));

        Tests.await("an error response to each bad message", () ->
        {
            rawClient.pollEgress();
            return errors.size() >= bad.size();
        });
        final ErrorCode[] expected = {
            ErrorCode.EMPTY_KEY, ErrorCode.UNKNOWN_TEMPLATE, ErrorCode.MALFORMED, ErrorCode.UNSUPPORTED_SCHEMA,
            ErrorCode.KEY_TOO_LARGE, ErrorCode.VALUE_TOO_LARGE, ErrorCode.INVALID_RANGE, ErrorCode.UNKNOWN_FLAGS,
            ErrorCode.LEASE_NOT_FOUND };
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(101L + i, errors.get(i)[0], "correlation id of bad request " + i);
            assertEquals(expected[i].value(), (int)errors.get(i)[1], "code of bad request " + i);
        }
        assertEquals(bad.size(), errors.size());

        assertEquals(2, client.put("after", "ok").header().revision());
        assertEquals("value", client.get("existing").kvs().get(0).valueUtf8());
        assertEquals(2, cluster.awaitConverged());
        final String digest = cluster.node(0).digest();
        assertEquals(digest, cluster.node(1).digest());
        assertEquals(digest, cluster.node(2).digest());
        assertTrue(errors.stream().allMatch(error -> error[1] > 0));
        cluster.assertNoErrors();
    }

    private void connectRawClient()
    {
        final String aeronDir = System.getProperty("java.io.tmpdir") + "/metastore-raw-" + UUID.randomUUID();
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnShutdown(true));
        rawClient = AeronCluster.connect(new AeronCluster.Context()
            .aeronDirectoryName(driver.aeronDirectoryName())
            .ingressEndpoints(toAeronEndpoints(cluster.endpoints()))
            .ingressChannel("aeron:udp")
            .egressChannel("aeron:udp?endpoint=localhost:0")
            .egressListener(new ErrorCollector()));
    }

    private void send(final DirectBuffer buffer, final int length)
    {
        Tests.await("ingress offer", () -> rawClient.offer(buffer, 0, length) > 0);
    }

    private static String toAeronEndpoints(final String endpoints)
    {
        final StringBuilder sb = new StringBuilder();
        final String[] parts = endpoints.split(",");
        for (int i = 0; i < parts.length; i++)
        {
            sb.append(i > 0 ? "," : "").append(i).append('=').append(parts[i]);
        }

        return sb.toString();
    }

    private final class ErrorCollector implements EgressListener
    {
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();

        public void onMessage(
            final long clusterSessionId,
            final long timestamp,
            final DirectBuffer buffer,
            final int offset,
            final int length,
            final Header header)
        {
            int cursor = offset;
            while (cursor < offset + length)
            {
                headerDecoder.wrap(buffer, cursor);
                assertEquals(ErrorResponseDecoder.TEMPLATE_ID, headerDecoder.templateId());
                errorDecoder.wrap(buffer, cursor + MessageHeaderDecoder.ENCODED_LENGTH,
                    headerDecoder.blockLength(), headerDecoder.version());
                final long correlationId = errorDecoder.header().correlationId();
                final long code = errorDecoder.codeRaw();
                final String message = errorDecoder.message();
                assertTrue(!message.isEmpty());
                errors.add(new long[]{ correlationId, code });
                cursor += MessageHeaderDecoder.ENCODED_LENGTH + errorDecoder.encodedLength();
            }
        }
    }
}
