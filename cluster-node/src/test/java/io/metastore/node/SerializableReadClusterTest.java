package io.metastore.node;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.codecs.SortOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serializable reads answered by a follower's read port: never from a state older than the client has seen (its own
 * writes included), with the range semantics of the log path.
 */
@Timeout(120)
class SerializableReadClusterTest
{
    @TempDir
    File tempDir;

    private TestCluster cluster;

    @AfterEach
    void after()
    {
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldNeverAnswerOnAFollowerBelowTheRevisionTheClientHasSeen()
    {
        cluster = TestCluster.start(tempDir, 3);
        // A leader change first, so that the term the answers carry is not the first one's 0.
        final int first = cluster.awaitLeader();
        cluster.stopNode(first);
        final int leader = cluster.awaitLeader();
        cluster.startNode(first);
        final int follower = first;
        final MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .requestTimeout(10, TimeUnit.SECONDS)
            .readMemberId(follower));
        cluster.adopt(client);
        final RangeOptions serializable = new RangeOptions().serializable(true);

        for (int i = 0; i < 300; i++)
        {
            final long written = client.put("s/k", "v" + i).header().revision();
            final RangeResult read = client.range(bytes("s/k"), serializable);
            assertEquals(follower, read.header().memberId(), "answered by the follower");
            assertTrue(read.header().revision() >= written, "read at " + read.header().revision() + " after a put " +
                "at " + written);
            assertEquals("v" + i, read.kvs().get(0).valueUtf8());
            assertEquals(client.get("s/k").header().leadershipTermId(), read.header().leadershipTermId(),
                "the follower's term, as the leader reports it");
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldAnswerRangesAsTheLogPathDoes()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        for (int i = 0; i < 20; i++)
        {
            client.put(String.format("r/%02d", i), "v" + i);
        }
        client.put("s", "outside");

        final RangeOptions[] cases = {
            new RangeOptions().prefix(),
            new RangeOptions().prefix().limit(5),
            new RangeOptions().prefix().limit(5).sortOrder(SortOrder.DESCEND),
            new RangeOptions().prefix().keysOnly(true),
            new RangeOptions().prefix().countOnly(true),
            new RangeOptions().rangeEnd(bytes("r/07")),
            new RangeOptions().fromKey().limit(3),
        };
        for (final RangeOptions options : cases)
        {
            final RangeResult linearizable = client.range(bytes("r/"), options);
            final RangeResult serializable = client.range(bytes("r/"), options.serializable(true));
            options.serializable(false);
            assertEquals(linearizable.kvs(), serializable.kvs(), options.toString());
            assertEquals(linearizable.count(), serializable.count(), options.toString());
            assertEquals(linearizable.more(), serializable.more(), options.toString());
            assertEquals(linearizable.header().revision(), serializable.header().revision(), options.toString());
        }
        assertFalse(client.range(bytes("nothing"), new RangeOptions().serializable(true)).kvs().iterator().hasNext());
        cluster.assertNoErrors();
    }
}
