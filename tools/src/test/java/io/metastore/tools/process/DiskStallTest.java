package io.metastore.tools.process;

import io.aeron.AeronCounters;
import io.aeron.cluster.service.Cluster;
import io.metastore.client.MetaStoreClient;
import io.metastore.node.MetaStoreNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.metastore.node.MetaStoreNode.Configuration.FSYNC_PROP_NAME;
import static io.metastore.node.MetaStoreNode.Configuration.LEADER_HEARTBEAT_TIMEOUT_MS_PROP_NAME;
import static io.metastore.node.MetaStoreNode.Configuration.LIVENESS_TIMEOUT_MS_PROP_NAME;
import static io.metastore.test.Tests.await;
import static io.metastore.tools.process.ProcessTests.assertConverged;
import static io.metastore.tools.process.ProcessTests.assertServes;
import static io.metastore.tools.process.ProcessTests.basePort;
import static io.metastore.tools.process.ProcessTests.hold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member's disk stops taking writes for a while, twice the leader heartbeat timeout or more and shorter than the
 * liveness timeout, while the cluster takes writes. Each member's data directory is an ext4 file system of its own,
 * frozen with {@code fsfreeze}: every write to it blocks in the kernel until it is thawed, as on a disk that stalls.
 * <p>
 * The stalled member stands still: its archive records the log on its consensus module's thread, which blocks on the
 * first write. The other two go on: a follower's stall leaves a quorum of two; a leader's stops its heartbeats, so the
 * others elect a leader of their own and the writers follow it. (A leader whose consensus module kept running on a
 * stalled archive would hold the whole cluster until its disk came back, or until its archive was declared dead:
 * Aeron commits no further than the leader's own recording.) Thawed, the member follows, catches up and lives on;
 * every acknowledged write reads back and every member holds the same state. The same with {@code --fsync}, where the
 * archive syncs every write it records. A stall longer than the liveness timeout stops the member once its disk comes
 * back; started again, it catches up.
 */
@Timeout(180)
class DiskStallTest
{
    private static final long IMAGE_BYTES = 2L * 1024 * 1024 * 1024;
    /**
     * Shorter than the 3 s default, so that the stall, which lasts until the others have taken writes and at least
     * twice this, stays well inside the liveness timeout on a slow machine too.
     */
    private static final long LEADER_HEARTBEAT_TIMEOUT_MS = 1500;
    /**
     * Of the case that outlives it: above the stalls of a slow machine, below how long that case stalls a disk.
     */
    private static final long SHORT_LIVENESS_TIMEOUT_MS = 4000;

    @TempDir
    File dir;

    private final TestFileSystems fileSystems = new TestFileSystems();

    @AfterEach
    void unmount()
    {
        fileSystems.close();
    }

    @ParameterizedTest(name = "{0}, fsync {1}")
    @CsvSource({ "follower, false", "leader, false", "follower, true", "leader, true" })
    void shouldGoOnWithoutAMemberWhoseDiskStallsAndNeverDiverge(final String role, final boolean fsync)
        throws Exception
    {
        stallAMember(role, fsync, false);
    }

    /**
     * A stall longer than the liveness timeout: when its disk comes back the member finds its threads have not run
     * for longer than that, stops with exit status 1 and the reason rather than go on, and started again catches up.
     */
    @Test
    void shouldStopALeaderWhoseDiskStallsLongerThanTheLivenessTimeoutAndCatchItUpWhenStartedAgain() throws Exception
    {
        stallAMember("leader", false, true);
    }

    private void stallAMember(final String role, final boolean fsync, final boolean isLongerThanLiveness)
        throws Exception
    {
        for (int i = 0; i < 3; i++)
        {
            fileSystems.mountExt4(
                new File(dir, "member-" + i + "/data"), new File(dir, "member-" + i + ".img"), IMAGE_BYTES);
        }

        try (ProcessCluster cluster = new ProcessCluster(3, dir, basePort(3))
            .each((member) -> member
                .property(LEADER_HEARTBEAT_TIMEOUT_MS_PROP_NAME, String.valueOf(LEADER_HEARTBEAT_TIMEOUT_MS))
                .property(FSYNC_PROP_NAME, String.valueOf(fsync))
                .property(LIVENESS_TIMEOUT_MS_PROP_NAME, String.valueOf(livenessTimeoutMs(isLongerThanLiveness))))
            .start())
        {
            try (MetaStoreClient client = cluster.client())
            {
                final Writer writer = new Writer(client);
                try (writer)
                {
                    final Map<String, String> acknowledged = writer.acknowledged();
                    await("writes before the disk stalls", () -> acknowledged.size() >= 100);
                    final int leader = cluster.awaitLeader();
                    final ServerProcess stalled = cluster.member("leader".equals(role) ? leader : (leader + 1) % 3);
                    stallThenThaw(cluster, stalled, acknowledged, isLongerThanLiveness);

                    if (isLongerThanLiveness)
                    {
                        assertEquals(1, stalled.awaitExit(), stalled::toString);
                        assertTrue(stalled.stderr().contains("Error: fatal: ") &&
                            stalled.stderr().contains("service interval exceeded"), stalled::toString);
                        stalled.start().awaitListening();
                    }
                    else if ("leader".equals(role))
                    {
                        assertTrue(stalled.isAlive(), stalled::toString);
                        await("the stalled leader to follow", () -> Cluster.Role.FOLLOWER.code() == stalled.role());
                    }
                    final int acknowledgedBefore = acknowledged.size();
                    await("writes after the stall", () -> acknowledged.size() >= acknowledgedBefore + 100);
                }

                assertServes(client, writer.acknowledged());
            }

            cluster.members().forEach(ProcessTests::assertOnlyWarnings);
            assertConverged(cluster);
        }
    }

    private static long livenessTimeoutMs(final boolean isLongerThanLiveness)
    {
        return isLongerThanLiveness ?
            SHORT_LIVENESS_TIMEOUT_MS : MetaStoreNode.Configuration.LIVENESS_TIMEOUT_MS_DEFAULT;
    }

    /**
     * Freeze the member's disk until the others have taken writes without it, a new leader first if it led, for at
     * least twice the leader heartbeat timeout, and for longer than the liveness timeout if asked; its commit position
     * stands still meanwhile.
     */
    private void stallThenThaw(
        final ProcessCluster cluster,
        final ServerProcess stalled,
        final Map<String, String> acknowledged,
        final boolean isLongerThanLiveness)
    {
        final File disk = new File(dir, "member-" + stalled.memberId() + "/data");
        final long frozenAtNs = System.nanoTime();
        fileSystems.freeze(disk);
        try
        {
            if (Cluster.Role.LEADER.code() == stalled.role())
            {
                cluster.awaitLeaderOtherThan(stalled);
            }
            final int acknowledgedBefore = acknowledged.size();
            await("writes while a disk stalls", () -> acknowledged.size() >= acknowledgedBefore + 10);
            final long stalledAt = stalled.counter(AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID);
            final int acknowledgedAtStall = acknowledged.size();
            await("more writes while a disk stalls", () -> acknowledged.size() >= acknowledgedAtStall + 20);
            assertEquals(stalledAt, stalled.counter(AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID),
                "the commit position of the member whose disk stalls");
            final long stallMs = isLongerThanLiveness ?
                SHORT_LIVENESS_TIMEOUT_MS + 1000 : 2 * LEADER_HEARTBEAT_TIMEOUT_MS;
            hold(stallMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAtNs));
        }
        finally
        {
            fileSystems.thaw(disk);
        }
    }
}
