package io.metastore.node;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.PutOptions;
import io.metastore.client.PutResult;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.client.WatchEvents;
import io.metastore.client.WatchListener;
import io.metastore.client.WatchOptions;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(180)
class ThreeNodeClusterTest
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
    void shouldReplicateToEveryMember()
    {
        cluster = TestCluster.start(tempDir, 3);
        final MetaStoreClient client = cluster.connectClient();
        putAll(client, "key-", 0, 300);

        final long revision = cluster.awaitConverged();
        assertEquals(300, revision);
        assertDigestsEqual();
        cluster.assertNoErrors();
    }

    /**
     * Plain endpoints are numbered in the order given: one endpoint of a member other than 0, or a list in another
     * order, numbers the leader wrongly. The client learns the numbering from the leader and connects again; writes,
     * serializable reads and watches then go to the right members.
     */
    @Test
    void shouldServeAClientWhoseEndpointsListTheLeaderUnderAnotherId() throws Exception
    {
        cluster = TestCluster.start(tempDir, 3);
        final int leader = cluster.awaitLeader();
        final String[] endpoints = cluster.endpoints().split(",");
        // The leader alone, numbered 0; or, if it is member 0, after another member.
        final String misnumbered = 0 == leader ? endpoints[1] + "," + endpoints[0] : endpoints[leader];
        try (MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context().endpoints(misnumbered)))
        {
            final long revision = client.put("m/k", "v").header().revision();
            final WatchEvents[] events = new WatchEvents[1];
            final CountDownLatch watched = new CountDownLatch(1);
            client.watch(bytes("m/"), new WatchOptions().prefix().startRevision(revision), new WatchListener()
            {
                public void onEvents(final WatchEvents batch)
                {
                    events[0] = batch;
                    watched.countDown();
                }
            });
            assertEquals(leader, client.get("m/k").header().memberId(), "answered by the leader");
            final RangeResult serializable = client.range(bytes("m/k"), new RangeOptions().serializable(true));
            assertEquals("v", serializable.kvs().get(0).valueUtf8());
            assertTrue(watched.await(30, TimeUnit.SECONDS), "the put watched");
            assertEquals(revision, events[0].revision());
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldElectNewLeaderAndKeepEverythingAcknowledged()
    {
        cluster = TestCluster.start(tempDir, 3);
        final MetaStoreClient client = cluster.connectClient();
        final List<String> acknowledged = new ArrayList<>(putAll(client, "before-", 0, 200));

        final int oldLeader = cluster.awaitLeader();
        cluster.stopNode(oldLeader);
        final int newLeader = cluster.awaitLeader();
        assertNotEquals(oldLeader, newLeader);

        // In flight during the change, a request fails with a retryable error; the client carries on.
        for (int i = 0; i < 100; i++)
        {
            final String key = "after-" + i;
            putWithRetry(client, key);
            acknowledged.add(key);
        }

        final RangeResult all = client.range(bytes("a"), new RangeOptions().fromKey().keysOnly(true));
        final List<String> keys = all.kvs().stream().map(kv -> kv.keyUtf8()).toList();
        assertTrue(keys.containsAll(acknowledged), "every acknowledged key survives the leader change");
        assertEquals(newLeader, client.get("before-0").header().memberId());

        cluster.startNode(oldLeader);
        cluster.awaitConverged();
        assertDigestsEqual();
        cluster.assertNoErrors();
    }

    @Test
    void shouldConnectWithEveryEndpointWhileANewLeaderIsElected()
    {
        cluster = TestCluster.start(tempDir, 3);
        cluster.connectClient().put(bytes("before"), bytes("1"));
        final int oldLeader = cluster.awaitLeader();
        cluster.stopNode(oldLeader);

        // The members left still name the old leader: each redirects a connect to it until they elect another.
        try (MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .connectTimeout(30, TimeUnit.SECONDS)
            .requestTimeout(10, TimeUnit.SECONDS)))
        {
            assertNotEquals(oldLeader, client.leaderMemberId());
            client.put(bytes("after"), bytes("2"));
            assertEquals(1, client.get(bytes("before")).count());
            assertEquals(1, client.get(bytes("after")).count());
        }
    }

    @Test
    void shouldCompleteEveryRequestInFlightAcrossALeaderChange() throws Exception
    {
        cluster = TestCluster.start(tempDir, 3);
        final MetaStoreClient client = cluster.connectClient();
        final List<CompletableFuture<PutResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            futures.add(client.putAsync(bytes("inflight-" + i), bytes("v"), new PutOptions()));
        }
        // At least one put is acknowledged before the leader goes, so the test cannot pass with every one failed.
        futures.get(0).get(30, TimeUnit.SECONDS);
        cluster.stopNode(cluster.awaitLeader());

        final Set<String> acknowledged = new HashSet<>();
        for (int i = 0; i < futures.size(); i++)
        {
            try
            {
                // Every request in flight completes, one way or the other, within the client's request timeout.
                futures.get(i).get(30, TimeUnit.SECONDS);
                acknowledged.add("inflight-" + i);
            }
            catch (final ExecutionException ex)
            {
                final MetaStoreException error = (MetaStoreException)ex.getCause();
                assertTrue(error.isRetryable(), error.toString());
            }
        }

        // The client may learn of the new leader only after it sent the range; a caller retries a retryable error.
        final Set<String> stored = new HashSet<>();
        Tests.await("the keys from the new leader", () ->
        {
            try
            {
                stored.clear();
                client.range(bytes("inflight-"), new RangeOptions().prefix().keysOnly(true)).kvs()
                    .forEach(kv -> stored.add(new String(kv.key(), StandardCharsets.UTF_8)));
                return true;
            }
            catch (final MetaStoreException ex)
            {
                assertTrue(ex.isRetryable(), ex.toString());
                return false;
            }
        });
        assertFalse(acknowledged.isEmpty());
        acknowledged.removeAll(stored);
        assertTrue(acknowledged.isEmpty(), "acknowledged puts missing after the leader change: " + acknowledged);
    }

    private void assertDigestsEqual()
    {
        final String digest = cluster.node(0).digest();
        for (int i = 1; i < 3; i++)
        {
            assertEquals(digest, cluster.node(i).digest(), "digest of member " + i);
        }
    }

    private static List<String> putAll(final MetaStoreClient client, final String prefix, final int from, final int to)
    {
        final List<String> keys = new ArrayList<>();
        final List<CompletableFuture<PutResult>> futures = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            keys.add(prefix + i);
            futures.add(client.putAsync(bytes(prefix + i), bytes("value-" + i), new PutOptions()));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();

        return keys;
    }

    private static void putWithRetry(final MetaStoreClient client, final String key)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                client.putAsync(bytes(key), bytes("v"), new PutOptions()).join();
                return;
            }
            catch (final CompletionException ex)
            {
                if (!(ex.getCause() instanceof MetaStoreException error) || !error.isRetryable())
                {
                    throw ex;
                }
            }
        }
        throw new AssertionError("put of " + key + " kept failing");
    }
}
