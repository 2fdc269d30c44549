package io.metastore.node;

import io.aeron.exceptions.ConfigurationException;
import io.metastore.client.KeyValue;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.PutOptions;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.test.Tests;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class RestartAndSnapshotTest
{
    private static final int KEYS = 200;

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
    void shouldFindDataAfterRestartWithoutApplyingAnythingTwice()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient writer = cluster.connectClient();
        writeKeys(writer, 0);
        writeKeys(writer, KEYS / 2);
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();

        cluster.stopAll();
        cluster.startAll();
        final MetaStoreClient client = cluster.connectClient();

        assertState(client, revision);
        assertEquals(digest, cluster.node(0).digest());
        assertEquals(revision + 1, client.put("next", "x").header().revision());
        cluster.assertNoErrors();
    }

    @Test
    void shouldRefuseToStartOnTheDataOfAnotherClusterId()
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx.clusterId(7));
        cluster.connectClient().put("kept", "7");
        cluster.awaitConverged();
        cluster.stopAll();

        final ConfigurationException ex = assertThrows(
            ConfigurationException.class, () -> cluster.startAll(ctx -> ctx.clusterId(8)));
        assertTrue(ex.getMessage().contains("belongs to cluster id 7, not 8"), ex.getMessage());

        cluster.startAll(ctx -> ctx.clusterId(7));
        final RangeResult kept = cluster.connectClient().get("kept");
        assertEquals(7, kept.header().clusterId());
        assertEquals("7", kept.kvs().get(0).valueUtf8());
        cluster.assertNoErrors();
    }

    @Test
    void shouldTakeSnapshotsOnEveryMemberAsTheLogGrowsAndStartFromTheLatest()
    {
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx.snapshotLogBytes(4 * 1024));
        final MetaStoreClient writer = cluster.connectClient();
        writeKeys(writer, 0);
        writeKeys(writer, KEYS / 2);
        Tests.await("a snapshot on every member", () ->
            cluster.node(0).snapshotCount() > 0 && cluster.node(1).snapshotCount() > 0 &&
            cluster.node(2).snapshotCount() > 0);
        final long snapshotPosition = cluster.node(0).service().snapshotPosition();
        assertTrue(snapshotPosition > 0, "snapshot position " + snapshotPosition);
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();

        cluster.stopAll();
        cluster.startAll();
        final MetaStoreClient client = cluster.connectClient();

        assertState(client, revision);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(cluster.node(i).service().snapshotPosition() >= snapshotPosition, "member " + i);
            assertFalse(cluster.node(i).service().rebuiltFromSnapshot(), "member " + i + " kept its storage");
            assertEquals(digest, cluster.node(i).digest(), "member " + i);
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldAgreeWhetherTheArchiveSharesTheConsensusModulesThreadOrNotAndAcrossASwitchAtRestart()
    {
        // Member 1 runs its archive on a thread of its own, the others on the consensus module's; then the reverse.
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx.archiveOnConsensusThread(1 != ctx.memberId()));
        final MetaStoreClient writer = cluster.connectClient();
        writeKeys(writer, 0);
        takeSnapshot(cluster.node(cluster.awaitLeader()));
        writeKeys(writer, KEYS / 2);
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();
        assertEquals(digest, cluster.node(1).digest());

        cluster.stopAll();
        cluster.startAll(ctx -> ctx.archiveOnConsensusThread(1 == ctx.memberId()));
        final MetaStoreClient client = cluster.connectClient();

        assertState(client, revision);
        assertEquals(revision + 1, client.put("next", "x").header().revision());
        final long next = cluster.awaitConverged();
        assertEquals(revision + 1, next);
        final String nextDigest = cluster.node(0).digest();
        for (int i = 1; i < 3; i++)
        {
            assertEquals(nextDigest, cluster.node(i).digest(), "member " + i);
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldRebuildFromTheLogWhenRocksDbIsLost()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient writer = cluster.connectClient();
        writeKeys(writer, 0);
        writeKeys(writer, KEYS / 2);
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();
        final File rocksDir = new File(cluster.node(0).nodeDir(), "rocksdb");

        cluster.stopAll();
        IoUtil.delete(rocksDir, false);
        cluster.startAll();
        final MetaStoreClient client = cluster.connectClient();

        assertState(client, revision);
        assertEquals(digest, cluster.node(0).digest());
        cluster.assertNoErrors();
    }

    @Test
    void shouldRestartFromSnapshotPlusLog()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        writeKeys(client, 0);
        cluster.awaitConverged();
        takeSnapshot();
        writeKeys(client, KEYS / 2);
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();
        final long snapshotBytes = cluster.node(0).service().snapshotBytes();
        assertTrue(snapshotBytes > 0, "snapshot bytes " + snapshotBytes);

        cluster.stopAll();
        cluster.startAll();
        final MetaStoreClient restarted = cluster.connectClient();

        assertFalse(cluster.node(0).service().rebuiltFromSnapshot(), "RocksDB was ahead of the snapshot");
        assertEquals(snapshotBytes, cluster.node(0).service().snapshotBytes(),
            "the snapshot's length, which the snapshot schedule waits for, is known without reading it whole");
        assertState(restarted, revision);
        assertEquals(digest, cluster.node(0).digest());
        assertEquals(revision + 1, restarted.put("next", "x").header().revision());
        cluster.assertNoErrors();
    }

    @Test
    void shouldLoadSnapshotIntoEmptyRocksDbThenReplayTheRestOfTheLog()
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx.snapshotChunkBytes(512));
        final MetaStoreClient client = cluster.connectClient();
        writeKeys(client, 0);
        cluster.awaitConverged();
        takeSnapshot();
        writeKeys(client, KEYS / 2);
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();
        final File rocksDir = new File(cluster.node(0).nodeDir(), "rocksdb");

        cluster.stopAll();
        IoUtil.delete(rocksDir, false);
        cluster.startAll();
        final MetaStoreClient restarted = cluster.connectClient();

        assertTrue(cluster.node(0).service().rebuiltFromSnapshot());
        assertState(restarted, revision);
        assertEquals(digest, cluster.node(0).digest());
        assertEquals(revision + 1, restarted.put("next", "x").header().revision());
        cluster.assertNoErrors();
    }

    @Test
    void shouldReachTheSameStateReplayingTheSameLogWithAnyFragmentLimit()
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx.logFragmentLimit(1000));
        final MetaStoreClient writer = cluster.connectClient();
        writeKeys(writer, 0);
        writeKeys(writer, KEYS / 2);
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();
        final File rocksDir = new File(cluster.node(0).nodeDir(), "rocksdb");

        cluster.stopAll();
        IoUtil.delete(rocksDir, false);
        cluster.startAll(ctx -> ctx.logFragmentLimit(1));
        final MetaStoreClient client = cluster.connectClient();

        assertEquals(1, cluster.node(0).context().logFragmentLimit());
        assertState(client, revision);
        assertEquals(digest, cluster.node(0).digest());
        cluster.assertNoErrors();
    }

    private void takeSnapshot()
    {
        takeSnapshot(cluster.node(0));
    }

    private static void takeSnapshot(final MetaStoreNode node)
    {
        final long before = node.snapshotCount();
        Tests.await("snapshot request accepted", node::takeSnapshot);
        Tests.await("snapshot taken", () -> node.snapshotCount() > before);
    }

    /**
     * Puts every key once from {@code from}, then overwrites the first half, so versions show double application.
     */
    private static void writeKeys(final MetaStoreClient client, final int from)
    {
        final CompletableFuture<?>[] futures = new CompletableFuture<?>[KEYS - from];
        for (int i = from; i < KEYS; i++)
        {
            futures[i - from] = client.putAsync(key(i), value(i, from), new PutOptions());
        }
        CompletableFuture.allOf(futures).join();
    }

    private static void assertState(final MetaStoreClient client, final long revision)
    {
        final RangeResult result = client.range("key-".getBytes(StandardCharsets.UTF_8), new RangeOptions().prefix());
        assertEquals(KEYS, result.count());
        assertEquals(revision, result.header().revision());
        assertEquals(KEYS + KEYS / 2, revision);
        for (final KeyValue kv : result.kvs())
        {
            final int index = Integer.parseInt(kv.keyUtf8().substring(4));
            final boolean overwritten = index >= KEYS / 2;
            assertEquals(overwritten ? 2 : 1, kv.version(), kv.toString());
            assertEquals(overwritten ? "v-" + index + "-" + KEYS / 2 : "v-" + index + "-0", kv.valueUtf8());
            assertTrue(kv.modRevision() <= revision);
        }
    }

    private static byte[] key(final int i)
    {
        return String.format("key-%05d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(final int i, final int round)
    {
        return ("v-" + i + "-" + round).getBytes(StandardCharsets.UTF_8);
    }
}
