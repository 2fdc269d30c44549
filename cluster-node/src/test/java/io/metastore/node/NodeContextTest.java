package io.metastore.node;

import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import io.metastore.client.MetaStoreClient;
import io.metastore.concurrent.IdleProfile;
import io.metastore.concurrent.TimerSlackIdleStrategy;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Map;

import static io.metastore.test.Tests.withSystemProperties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeContextTest
{
    @Test
    void shouldDefaultToSingleNodeOnLoopbackWithDataInWorkingDirectory()
    {
        final MetaStoreNode.Context ctx = new MetaStoreNode.Context().conclude();

        assertEquals(0, ctx.memberId());
        assertEquals("0=localhost:21000", ctx.ingressEndpoints());
        assertEquals(new File("metastore-data", "node-0"), ctx.nodeDir());
        assertEquals(IdleProfile.BACKOFF, ctx.idleProfile());
        assertTrue(ctx.aeronDirectoryName().endsWith("-metastore-21000-0"));
    }

    @Test
    void shouldShareTheConsensusModulesThreadWithTheArchiveUnlessAskedNotToWithFsyncOnToo()
    {
        final MetaStoreNode.Context ctx = new MetaStoreNode.Context();
        assertTrue(ctx.archiveOnConsensusThread());
        assertFalse(ctx.settings().contains("archive on its own thread"), ctx.settings());

        ctx.fsync(true);
        assertTrue(ctx.archiveOnConsensusThread(), "a disk that stalls then stops the leader's heartbeats too");
        assertFalse(ctx.settings().contains("archive on its own thread"), ctx.settings());

        ctx.archiveOnConsensusThread(false);
        assertFalse(ctx.archiveOnConsensusThread());
        assertTrue(ctx.settings().contains("archive on its own thread"), ctx.settings());
    }

    @Test
    void shouldStartEachSettingFromItsSystemPropertyThroughConfiguration()
    {
        withSystemProperties(Map.of(
            MetaStoreNode.Configuration.BASE_PORT_PROP_NAME, "23000",
            MetaStoreNode.Configuration.DATA_DIR_PROP_NAME, "elsewhere",
            MetaStoreNode.Configuration.FSYNC_PROP_NAME, "true",
            MetaStoreNode.Configuration.IDLE_PROFILE_PROP_NAME, "LOW_LATENCY",
            MetaStoreNode.Configuration.DISK_RESERVE_BYTES_PROP_NAME, "4096"), () ->
            {
                assertEquals(23000, MetaStoreNode.Configuration.basePort());
                final MetaStoreNode.Context ctx = new MetaStoreNode.Context();
                assertEquals(23000, ctx.basePort());
                assertEquals(new File("elsewhere"), ctx.dataDir());
                assertTrue(ctx.fsync());
                assertEquals(IdleProfile.LOW_LATENCY, ctx.idleProfile());
                assertEquals(4096, ctx.diskReserveBytes());
                assertEquals(MetaStoreNode.Configuration.LIVENESS_TIMEOUT_MS_DEFAULT, ctx.livenessTimeoutMs());
            });
    }

    @Test
    void shouldBuildMemberListWithPortsPerMember()
    {
        assertEquals(
            "0,h0:100,h0:101,h0:102,h0:103,h0:104|1,h1:110,h1:111,h1:112,h1:113,h1:114",
            ClusterMembers.clusterMembers(ClusterMembers.parseHosts("h0,h1"), 100));
    }

    @Test
    void shouldConcludeOnceOnly()
    {
        final MetaStoreNode.Context context = new MetaStoreNode.Context().conclude();

        assertThrows(ConcurrentConcludeException.class, context::conclude);
    }

    @Test
    void shouldRefuseAnUnknownSettingNamingTheClosest()
    {
        withSystemProperties(Map.of("metastore.disk.alarm.byte", "0"), () ->
        {
            final ConfigurationException ex = assertThrows(
                ConfigurationException.class, () -> new MetaStoreNode.Context().conclude());
            assertTrue(ex.getMessage().contains("-Dmetastore.disk.alarm.byte; did you mean " +
                MetaStoreNode.Configuration.DISK_ALARM_BYTES_PROP_NAME), ex.getMessage());
        });
    }

    @Test
    void shouldAcceptTheSettingsOfTheClientAndTheIdleStrategy()
    {
        withSystemProperties(Map.of(
            MetaStoreClient.Configuration.REQUEST_TIMEOUT_MS_PROP_NAME, "1000",
            TimerSlackIdleStrategy.TIMER_SLACK_NS_PROP_NAME, "10000"),
            () -> assertEquals(0, new MetaStoreNode.Context().conclude().memberId()));
    }

    @Test
    void shouldRefuseMemberIdOutsideTheMemberList()
    {
        assertNamed(MetaStoreNode.Configuration.MEMBER_ID_PROP_NAME,
            new MetaStoreNode.Context().members("a,b,c").memberId(3));
    }

    @Test
    void shouldRefuseEvenClusterSizes()
    {
        assertNamed(MetaStoreNode.Configuration.MEMBERS_PROP_NAME, new MetaStoreNode.Context().members("a,b"));
    }

    @Test
    void shouldRefuseValuesThatCannotFitInOneLogEntry()
    {
        assertNamed(MetaStoreNode.Configuration.LOG_TERM_LENGTH_PROP_NAME,
            new MetaStoreNode.Context().logTermLength(1024 * 1024).maxValueBytes(1024 * 1024));
    }

    @Test
    void shouldRefuseTermLengthThatIsNotAPowerOfTwo()
    {
        assertNamed(MetaStoreNode.Configuration.LOG_TERM_LENGTH_PROP_NAME,
            new MetaStoreNode.Context().logTermLength(3 * 1024 * 1024));
    }

    @Test
    void shouldRefuseALivenessTimeoutTheDriverHeartbeatCheckWouldUndercut()
    {
        assertNamed(MetaStoreNode.Configuration.LIVENESS_TIMEOUT_MS_PROP_NAME,
            new MetaStoreNode.Context().livenessTimeoutMs(60_000));
    }

    @Test
    void shouldRefuseALivenessTimeoutShorterThanTheDriversTimerTicks()
    {
        assertNamed(MetaStoreNode.Configuration.LIVENESS_TIMEOUT_MS_PROP_NAME,
            new MetaStoreNode.Context().livenessTimeoutMs(1000));
    }

    @Test
    void shouldRefuseAMetricsPortThatIsNotATcpPort()
    {
        assertNamed(MetaStoreNode.Configuration.METRICS_PORT_PROP_NAME,
            new MetaStoreNode.Context().metricsPort(65536));
        assertNamed(MetaStoreNode.Configuration.METRICS_PORT_PROP_NAME, new MetaStoreNode.Context().metricsPort(-1));
    }

    @Test
    void shouldKeepThePublicationUnblockTimeoutAboveTheLivenessTimeout()
    {
        assertEquals(15_000_000_000L, MetaStoreNode.publicationUnblockTimeoutNs(8_000_000_000L));
        assertEquals(30_000_000_000L, MetaStoreNode.publicationUnblockTimeoutNs(20_000_000_000L));
    }

    @Test
    void shouldPrintEverySettingInToString()
    {
        final String text = new MetaStoreNode.Context().logFragmentLimit(123).conclude().toString();
        assertTrue(text.contains("logFragmentLimit=123"), text);
        assertTrue(text.contains("maxValueBytes=1048576"), text);
        assertTrue(text.contains("livenessTimeoutMs=8000"), text);
    }

    private static void assertNamed(final String property, final MetaStoreNode.Context ctx)
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class, ctx::conclude);
        assertTrue(ex.getMessage().contains(property), ex.getMessage());
    }
}
