package io.metastore.tools.process;

import io.aeron.AeronCounters;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusterTool;
import io.aeron.cluster.service.Cluster;
import io.metastore.client.MetaStoreClient;
import io.metastore.node.MetaStoreNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static io.metastore.test.Tests.await;
import static io.metastore.tools.process.ProcessTests.assertConverged;
import static io.metastore.tools.process.ProcessTests.assertServes;
import static io.metastore.tools.process.ProcessTests.basePort;
import static io.metastore.tools.process.ProcessTests.hold;
import static io.metastore.tools.process.ProcessTests.putKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pause shorter than the liveness timeout is survived, by a follower and by the leader, which comes back as a
 * follower; a longer one stops the node with a non-zero exit status and the reason on stderr; a requested shutdown
 * exits with 0.
 */
@Timeout(120)
class ServerFailStopTest
{
    private static final long PAUSE_MS = 4000;

    @TempDir
    File dir;

    @Test
    void shouldSurviveAPauseOfAFollowerAndOfTheLeaderShorterThanTheLivenessTimeout()
    {
        try (ProcessCluster cluster = new ProcessCluster(3, dir, basePort(3)).start())
        {
            final Map<String, String> acknowledged = new HashMap<>();
            try (MetaStoreClient client = cluster.client())
            {
                acknowledged.putAll(putKeys(client, "before-", 20));
                final ServerProcess follower = cluster.member((cluster.awaitLeader() + 1) % 3);

                follower.pause();
                acknowledged.putAll(putKeys(client, "follower-paused-", 20));
                hold(PAUSE_MS);
                follower.resume();

                final ServerProcess leader = cluster.member(cluster.awaitLeader());
                leader.pause();
                hold(PAUSE_MS);
                // The others elect a leader of their own before it resumes: the 3 s leader heartbeat timeout and a
                // 1-2 s election are close to the pause, and a leader resumed during their election may stay leader.
                cluster.awaitLeaderOtherThan(leader);
                leader.resume();
                acknowledged.putAll(putKeys(client, "leader-paused-", 20));

                await("the paused leader to follow", () -> Cluster.Role.FOLLOWER.code() == leader.role());
                acknowledged.putAll(putKeys(client, "after-", 20));
                assertServes(client, acknowledged);
            }

            cluster.members().forEach(ProcessTests::assertOnlyWarnings);
            assertConverged(cluster);
        }
    }

    @Test
    void shouldExitNonZeroWithTheReasonAfterAPauseLongerThanTheLivenessTimeout()
    {
        try (ProcessCluster cluster = new ProcessCluster(1, dir, basePort(1))
            .each((member) -> member.property(MetaStoreNode.Configuration.LIVENESS_TIMEOUT_MS_PROP_NAME, "2000"))
            .start())
        {
            final ServerProcess member = cluster.member(0);
            member.pause();
            hold(PAUSE_MS);
            member.resume();

            assertEquals(1, member.awaitExit(), member::toString);
            assertTrue(member.stderr().contains("Error: fatal: io.aeron.exceptions.ConductorServiceTimeoutException: " +
                "FATAL - service interval exceeded: timeout=2s"), member::toString);
        }
    }

    @Test
    void shouldExitZeroWhenTheClusterIsShutDownOnRequest()
    {
        try (ProcessCluster cluster = new ProcessCluster(1, dir, basePort(1)).start())
        {
            final ServerProcess member = cluster.member(0);
            await("leadership", () -> Cluster.Role.LEADER.code() == member.role());
            // The consensus module takes control requests once its toggle is neutral, which may follow the role.
            await("the control toggle to take requests", () -> ClusterControl.ToggleState.NEUTRAL.code() ==
                member.counter(AeronCounters.CLUSTER_CONTROL_TOGGLE_TYPE_ID));
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(ClusterTool.shutdown(new File(member.nodeDir(), "cluster"), new PrintStream(out, true)),
                () -> out.toString(StandardCharsets.UTF_8));

            assertEquals(0, member.awaitExit(), member::toString);
            assertEquals("", member.stderr());
        }
    }
}
