package io.metastore.tools.process;

import io.aeron.AeronCounters;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;
import io.metastore.client.MetaStoreClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.metastore.tools.process.ProcessTests.assertServes;
import static io.metastore.tools.process.ProcessTests.basePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code metastore server} prints its "listening" line only once the member can serve: its log replayed and the
 * election closed with it leading, not as soon as Aeron is launched.
 */
@Timeout(120)
class ServerReadinessTest
{
    private static final int VALUE_BYTES = 60_000;
    private static final int KEYS = 500;

    @TempDir
    File dir;

    @Test
    void shouldPrintListeningOnlyOnceTheLogIsReplayedAndTheMemberLeads()
    {
        try (ProcessCluster cluster = new ProcessCluster(1, dir, basePort(1))
            .each((member) -> member
                .property("org.slf4j.simpleLogger.defaultLogLevel", "info")
                .serverArgs("--snapshot-log-bytes", "0"))
            .start())
        {
            final Map<String, String> acknowledged = new LinkedHashMap<>();
            final String value = "v".repeat(VALUE_BYTES);
            try (MetaStoreClient client = cluster.client())
            {
                for (int i = 0; i < KEYS; i++)
                {
                    client.put("key-" + i, value);
                    acknowledged.put("key-" + i, value);
                }
            }

            final ServerProcess member = cluster.member(0);
            assertEquals(0, member.stop(), member::toString);
            member.start().awaitListening();

            assertEquals(ElectionState.CLOSED.code(), member.counter(AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID),
                member::toString);
            assertEquals(Cluster.Role.LEADER.code(), member.counter(AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID),
                member::toString);
            final String stderr = member.stderr();
            final int started = stderr.indexOf("INFO MetaStoreNode - started; replaying the log up to position ");
            final int ready = stderr.indexOf("INFO MetaStoreNode - ready: leader in leadership term ");
            assertTrue(started >= 0 && ready > started, member::toString);
            try (MetaStoreClient client = cluster.client())
            {
                assertServes(client, acknowledged);
            }
            assertEquals(0, member.stop(), member::toString);
        }
    }
}
