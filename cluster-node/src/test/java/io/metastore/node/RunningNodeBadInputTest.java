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
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
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

        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final PutRequestEncoder put = new PutRequestEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();

        put.wrapAndApplyHeader(buffer, 0, header).header().correlationId(101).clientId(9).sequence(1);
        put.lease(0).flags().clear();
        put.putKey(new byte[0], 0, 0).putValue(new byte[]{ 1 }, 0, 1);
        send(buffer, MessageHeaderEncoder.ENCODED_LENGTH + put.encodedLength());

        put.wrapAndApplyHeader(buffer, 0, header).header().correlationId(102).clientId(9).sequence(2);
        put.lease(0).flags().clear();
        put.putKey(new byte[]{ 'k' }, 0, 1).putValue(new byte[]{ 1 }, 0, 1);
        buffer.putShort(2, (short)999);
        send(buffer, MessageHeaderEncoder.ENCODED_LENGTH + put.encodedLength());

        put.wrapAndApplyHeader(buffer, 0, header).header().correlationId(103).clientId(9).sequence(3);
        put.lease(0).flags().clear();
        put.putKey(new byte[]{ 'k' }, 0, 1).putValue(new byte[]{ 1 }, 0, 1);
        send(buffer, MessageHeaderEncoder.ENCODED_LENGTH + put.encodedLength() - 1);

        final Random random = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            final byte[] garbage = new byte[1 + random.nextInt(100)];
            random.nextBytes(garbage);
            send(new UnsafeBuffer(garbage), garbage.length);
        }

        TestCluster.await("53 error responses", () ->
        {
            rawClient.pollEgress();
            return errors.size() >= 53;
        });
        assertEquals(List.of(101L, (long)ErrorCode.EMPTY_KEY.value()), List.of(errors.get(0)[0], errors.get(0)[1]));
        assertEquals(List.of(102L, (long)ErrorCode.UNKNOWN_TEMPLATE.value()),
            List.of(errors.get(1)[0], errors.get(1)[1]));
        assertEquals(List.of(103L, (long)ErrorCode.MALFORMED.value()), List.of(errors.get(2)[0], errors.get(2)[1]));

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
        TestCluster.await("ingress offer", () -> rawClient.offer(buffer, 0, length) > 0);
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
