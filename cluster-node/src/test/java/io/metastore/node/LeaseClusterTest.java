package io.metastore.node;

import io.aeron.cluster.service.Cluster;
import io.metastore.client.LeaseGrantResult;
import io.metastore.client.LeaseTimeToLiveResult;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.PutOptions;
import io.metastore.client.RangeOptions;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases on running clusters: expiry decided on cluster time, the same on every replica, across a leader change and
 * a restart.
 */
@Timeout(180)
class LeaseClusterTest
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
    void shouldExpireOnEveryReplicaDeletingTheSameKeysAtTheSameRevision()
    {
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx.leaseMinTtl(1));
        final MetaStoreClient client = cluster.connectClient();
        final LeaseGrantResult lease = client.leaseGrant(1);
        for (int i = 0; i < 5; i++)
        {
            client.put(bytes("leased-" + i), bytes("v"), new PutOptions().lease(lease.id()));
        }
        client.put("kept", "v");
        final long revisionBeforeExpiry = client.get("kept").header().revision();

        Tests.await("lease to expire", () -> !client.leaseTimeToLive(lease.id(), false).exists());

        final long revision = cluster.awaitConverged();
        assertEquals(revisionBeforeExpiry + 1, revision, "one revision for every key of the lease");
        assertEquals(0, client.range(bytes("leased-"), new RangeOptions().prefix().countOnly(true)).count());
        assertEquals(1, client.get("kept").count());
        assertDigestsEqual(3);
        cluster.assertNoErrors();
    }

    @Test
    void shouldGiveLeasesAFullTtlAfterALeaderChangeAndStillExpireThem()
    {
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx.leaseMinTtl(1));
        final MetaStoreClient client = cluster.connectClient();
        final LeaseGrantResult lease = client.leaseGrant(4);
        client.put(bytes("session"), bytes("owner"), new PutOptions().lease(lease.id()));

        final int oldLeader = cluster.awaitLeader();
        cluster.stopNode(oldLeader);
        final int newLeader = cluster.awaitLeader();
        assertNotEquals(oldLeader, newLeader);

        final LeaseTimeToLiveResult afterElection = retry(() -> client.leaseTimeToLive(lease.id(), true));
        assertTrue(afterElection.exists(), "the election does not cost the lease its life");
        assertEquals(List.of("session"), afterElection.keysUtf8());

        Tests.await("lease to expire on the new leader", () ->
            !retry(() -> client.leaseTimeToLive(lease.id(), false)).exists());
        assertEquals(0, client.get("session").count());

        cluster.startNode(oldLeader);
        cluster.awaitConverged();
        assertDigestsEqual(3);
    }

    @Test
    void shouldExpireLeaseGrantedBeforeAFollowerRestartedOnceThatFollowerLeads()
    {
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx.leaseMinTtl(1));
        final MetaStoreClient client = cluster.connectClient();
        final int firstLeader = cluster.awaitLeader();
        final int follower = (firstLeader + 1) % 3;
        final LeaseGrantResult lease = client.leaseGrant(3);
        client.put(bytes("owned"), bytes("v"), new PutOptions().lease(lease.id()));
        cluster.awaitConverged();

        // The follower restarts from its RocksDB, skipping the grant on replay, so its timers come from the new term.
        cluster.stopNode(follower);
        cluster.startNode(follower);
        cluster.awaitConverged();
        cluster.stopNode(firstLeader);
        final int third = 3 - firstLeader - follower;
        Tests.await("a new leader", () -> cluster.node(follower).role() == Cluster.Role.LEADER ||
            cluster.node(third).role() == Cluster.Role.LEADER);

        Tests.await("lease to expire under the new leader", () ->
            !retry(() -> client.leaseTimeToLive(lease.id(), false)).exists());
        assertEquals(0, retry(() -> client.get("owned")).count());
        cluster.startNode(firstLeader);
        cluster.awaitConverged();
        assertDigestsEqual(3);
    }

    @Test
    void shouldKeepLiveLeasesAcrossRestartAndSnapshotAndExpireShortOnesAfterIt()
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx.leaseMinTtl(1));
        MetaStoreClient client = cluster.connectClient();
        final LeaseGrantResult longLease = client.leaseGrant(600);
        final LeaseGrantResult shortLease = client.leaseGrant(2);
        client.put(bytes("long"), bytes("v"), new PutOptions().lease(longLease.id()));
        client.put(bytes("short"), bytes("v"), new PutOptions().lease(shortLease.id()));
        final MetaStoreNode node = cluster.node(0);
        Tests.await("snapshot request accepted", node::takeSnapshot);
        Tests.await("snapshot taken", () -> node.snapshotCount() > 0);
        final LeaseGrantResult afterSnapshot = client.leaseGrant(600);

        cluster.stopAll();
        cluster.startAll();
        client = cluster.connectClient();

        final LeaseTimeToLiveResult kept = client.leaseTimeToLive(longLease.id(), true);
        assertEquals(600, kept.grantedTtlSeconds());
        assertEquals(List.of("long"), kept.keysUtf8());
        assertTrue(client.leaseTimeToLive(afterSnapshot.id(), false).exists(), "granted after the snapshot");
        final MetaStoreClient restarted = client;
        Tests.await("short lease to expire after the restart", () ->
            !restarted.leaseTimeToLive(shortLease.id(), false).exists());
        assertEquals(0, client.get("short").count());

        client.leaseRevoke(longLease.id());
        assertEquals(0, client.get("long").count());
        assertEquals(1, client.leases().ids().size());
        cluster.assertNoErrors();
    }

    private void assertDigestsEqual(final int size)
    {
        final String digest = cluster.node(0).digest();
        for (int i = 1; i < size; i++)
        {
            assertEquals(digest, cluster.node(i).digest(), "digest of member " + i);
        }
    }

    private static <T> T retry(final Supplier<T> request)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                return request.get();
            }
            catch (final MetaStoreException | CompletionException ex)
            {
                final Throwable cause = ex instanceof CompletionException ? ex.getCause() : ex;
                if (!(cause instanceof MetaStoreException error) || !error.isRetryable())
                {
                    throw ex;
                }
            }
        }
        throw new AssertionError("request kept failing");
    }
}
