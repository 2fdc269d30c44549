package io.metastore.client;

import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.Tests.withSystemProperties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientContextTest
{
    @Test
    void shouldNumberPlainEndpointsInMemberOrder()
    {
        assertEquals("0=localhost:21000,1=localhost:21010,2=localhost:21020",
            MetaStoreClient.Context.toIngressEndpoints("localhost:21000, localhost:21010,localhost:21020"));
    }

    @Test
    void shouldRenumberTheEndpointsWhenTheLeaderAnsweredAtOneListedUnderAnotherId()
    {
        final String channel = "aeron:udp?endpoint=localhost:21010|mtu=65504";
        assertEquals("1=localhost:21010",
            MetaStoreClient.renumberedIngressEndpoints("0=localhost:21010", 1, channel), "one endpoint");
        assertEquals("0=localhost:21020,1=localhost:21010,2=localhost:21000",
            MetaStoreClient.renumberedIngressEndpoints("0=localhost:21000,1=localhost:21010,2=localhost:21020", 2,
                "aeron:udp?endpoint=localhost:21000"), "swapped with the one listed under the leader's id");
        assertNull(MetaStoreClient.renumberedIngressEndpoints("0=localhost:21000,1=localhost:21010", 1, channel),
            "listed under its own id");
    }

    @Test
    void shouldKeepAeronFormEndpoints()
    {
        assertEquals("0=a:1,1=b:2", MetaStoreClient.Context.toIngressEndpoints("0=a:1,1=b:2"));
    }

    @Test
    void shouldNameTheSettingWhenEndpointsAreInvalid()
    {
        final ConfigurationException ex = assertThrows(
            ConfigurationException.class, () -> new MetaStoreClient.Context().endpoints("localhost").conclude());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.ENDPOINTS_PROP_NAME), ex.getMessage());
    }

    @Test
    void shouldRefuseListenersOnTheIoThreadWithAWatchExecutor()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> new MetaStoreClient.Context()
            .endpoints("localhost:21000").watchListenersOnIoThread(true).watchExecutor(Runnable::run).conclude());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.WATCH_LISTENERS_ON_IO_THREAD_PROP_NAME),
            ex.getMessage());
    }

    @Test
    void shouldStartEachSettingFromItsSystemPropertyThroughConfiguration()
    {
        withSystemProperties(Map.of(
            MetaStoreClient.Configuration.ENDPOINTS_PROP_NAME, "a:1,b:2,c:3",
            MetaStoreClient.Configuration.IPC_PROP_NAME, "true",
            MetaStoreClient.Configuration.REQUEST_TIMEOUT_MS_PROP_NAME, "250",
            MetaStoreClient.Configuration.MAX_BATCH_REQUESTS_PROP_NAME, "7"), () ->
            {
                assertEquals(TimeUnit.MILLISECONDS.toNanos(250), MetaStoreClient.Configuration.requestTimeoutNs());
                final MetaStoreClient.Context ctx = new MetaStoreClient.Context();
                assertEquals("a:1,b:2,c:3", ctx.endpoints());
                assertTrue(ctx.ipc());
                assertEquals(TimeUnit.MILLISECONDS.toNanos(250), ctx.requestTimeoutNs());
                assertEquals(7, ctx.maxBatchRequests());
                assertEquals(MetaStoreClient.Configuration.MAX_BATCH_BYTES_DEFAULT, ctx.maxBatchBytes());
            });
    }

    @Test
    void shouldConcludeOnceOnly()
    {
        final MetaStoreClient.Context context = new MetaStoreClient.Context().conclude();

        assertThrows(ConcurrentConcludeException.class, context::conclude);
    }

    @Test
    void shouldRefuseAnUnknownClientSettingNamingTheClosest()
    {
        withSystemProperties(Map.of("metastore.client.request.timeout", "100"), () ->
        {
            final ConfigurationException ex = assertThrows(
                ConfigurationException.class, () -> new MetaStoreClient.Context().conclude());
            assertTrue(ex.getMessage().contains("-Dmetastore.client.request.timeout; did you mean " +
                MetaStoreClient.Configuration.REQUEST_TIMEOUT_MS_PROP_NAME), ex.getMessage());
        });
    }

    @Test
    void shouldReportMalformedEndpointsAtOnceNamingTheSetting()
    {
        for (final String endpoints : new String[]{ "localhost:abc", "http://host:21000", "localhost:0",
            "localhost:70000", "a:1,localhost:", "x=a:1" })
        {
            final ConfigurationException ex = assertThrows(
                ConfigurationException.class,
                () -> new MetaStoreClient.Context().endpoints(endpoints).conclude(),
                endpoints);
            assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.ENDPOINTS_PROP_NAME), ex.getMessage());
        }
    }

    @Test
    void shouldFailToConnectWithAMetaStoreExceptionNamingTheConnectTimeout()
    {
        final MetaStoreException ex = assertThrows(MetaStoreException.class, () -> MetaStoreClient.connect(
            new MetaStoreClient.Context()
                .endpoints("localhost:33417")
                .connectTimeout(1, TimeUnit.SECONDS)
                .connectAttemptTimeout(300, TimeUnit.MILLISECONDS)
                .errorHandler((error) -> {})));
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.CONNECT_TIMEOUT_MS_PROP_NAME),
            ex.getMessage());
    }

    @Test
    void shouldRefuseRequestRingThatIsNotAPowerOfTwo()
    {
        final ConfigurationException ex = assertThrows(
            ConfigurationException.class, () -> new MetaStoreClient.Context().requestRingBytes(100_000).conclude());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.REQUEST_RING_BYTES_PROP_NAME));
    }

    @Test
    void shouldRefuseIpcWithoutTheNodesAeronDirectory()
    {
        final ConfigurationException ex = assertThrows(
            ConfigurationException.class,
            () -> new MetaStoreClient.Context().ipc(true).aeronDirectoryName(null).conclude());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.IPC_PROP_NAME), ex.getMessage());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.AERON_DIR_PROP_NAME), ex.getMessage());
    }

    @Test
    void shouldRefuseNonPositiveTimeout()
    {
        assertThrows(ConfigurationException.class,
            () -> new MetaStoreClient.Context().requestTimeout(0, TimeUnit.SECONDS).conclude());
    }

    @Test
    void shouldPrintEverySettingInToString()
    {
        final String text = new MetaStoreClient.Context().maxBatchRequests(17).toString();
        assertTrue(text.contains("maxBatchRequests=17"), text);
        assertTrue(text.contains("endpoints="), text);
    }

    @Test
    void shouldStartReadAndWatchSettingsFromTheirSystemProperties()
    {
        withSystemProperties(Map.of(
            MetaStoreClient.Configuration.ENDPOINTS_PROP_NAME, "a:1,b:2,c:3",
            MetaStoreClient.Configuration.READ_MEMBER_PROP_NAME, "2",
            MetaStoreClient.Configuration.READ_SILENCE_TIMEOUT_MS_PROP_NAME, "900",
            MetaStoreClient.Configuration.READ_KEEPALIVE_INTERVAL_MS_PROP_NAME, "100",
            MetaStoreClient.Configuration.WATCH_QUEUE_REVISIONS_PROP_NAME, "64",
            MetaStoreClient.Configuration.READ_RESPONSE_CHANNEL_PROP_NAME, "aeron:udp?endpoint=10.0.0.1:0"), () ->
            {
                final MetaStoreClient.Context ctx = new MetaStoreClient.Context().conclude();
                assertEquals(2, ctx.readMemberId());
                assertEquals(TimeUnit.MILLISECONDS.toNanos(900), ctx.readSilenceTimeoutNs());
                assertEquals(TimeUnit.MILLISECONDS.toNanos(100), ctx.readKeepAliveIntervalNs());
                assertEquals(64, ctx.watchQueueRevisions());
                assertEquals("aeron:udp?endpoint=10.0.0.1:0", ctx.readResponseChannel());
                final String text = ctx.toString();
                assertTrue(text.contains("readMemberId=2"), text);
                assertTrue(text.contains("watchQueueRevisions=64"), text);
                assertTrue(text.contains("readSilenceTimeoutNs=900000000"), text);
            });
    }

    @Test
    void shouldDefaultReadMemberToLeaderAndResponseChannelToEgressChannel()
    {
        final MetaStoreClient.Context ctx = new MetaStoreClient.Context()
            .egressChannel("aeron:udp?endpoint=192.168.1.5:0")
            .conclude();

        assertEquals(MetaStoreClient.Configuration.READ_MEMBER_DEFAULT, ctx.readMemberId());
        assertEquals("aeron:udp?endpoint=192.168.1.5:0", ctx.readResponseChannel());
        assertEquals(MetaStoreClient.Configuration.IPC_CHANNEL,
            new MetaStoreClient.Context().ipc(true).aeronDirectoryName("/dev/shm/x").conclude().readResponseChannel());
    }

    @Test
    void shouldRefuseReadMemberThatIsNotAMember()
    {
        final ConfigurationException ex = assertThrows(
            ConfigurationException.class,
            () -> new MetaStoreClient.Context().endpoints("a:1,b:2").readMemberId(2).conclude());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.READ_MEMBER_PROP_NAME), ex.getMessage());

        new MetaStoreClient.Context().endpoints("a:1,b:2").readMemberId(1).conclude();
    }

    @Test
    void shouldRefuseReadKeepAliveIntervalNotBelowSilenceTimeout()
    {
        final ConfigurationException ex = assertThrows(
            ConfigurationException.class,
            () -> new MetaStoreClient.Context()
                .readSilenceTimeout(500, TimeUnit.MILLISECONDS)
                .readKeepAliveInterval(500, TimeUnit.MILLISECONDS)
                .conclude());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.READ_KEEPALIVE_INTERVAL_MS_PROP_NAME),
            ex.getMessage());
    }

    @Test
    void shouldRefuseWatchQueueOfNoRevision()
    {
        final ConfigurationException ex = assertThrows(
            ConfigurationException.class, () -> new MetaStoreClient.Context().watchQueueRevisions(0).conclude());
        assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.WATCH_QUEUE_REVISIONS_PROP_NAME),
            ex.getMessage());
    }
}
