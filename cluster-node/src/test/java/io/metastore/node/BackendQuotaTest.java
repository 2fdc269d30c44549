package io.metastore.node;

import io.metastore.client.AlarmMember;
import io.metastore.client.DeleteOptions;
import io.metastore.client.DeleteResult;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.NoSpaceException;
import io.metastore.client.PutOptions;
import io.metastore.client.PutResult;
import io.metastore.client.RangeOptions;
import io.metastore.codecs.AlarmType;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd's {@code --quota-backend-bytes} on one member: over the quota the member raises its NOSPACE alarm and puts are
 * refused while deletes, compaction and lease revokes go on; once deletes and a compaction bring the store under the
 * quota and the operator disarms the alarm, puts go on, and nothing acknowledged was lost.
 * <p>
 * The store's size counts RocksDB's memtables as they allocate, a megabyte or so at a time per column family, so the
 * quota is a few megabytes: a few puts after the alarm is disarmed must not reach it again.
 */
@Timeout(180)
class BackendQuotaTest
{
    private static final long QUOTA_BYTES = 8L * 1024 * 1024;
    private static final int VALUE_BYTES = 4096;
    private static final int BATCH = 32;
    private static final int KEPT = 20;

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
    void shouldRefusePutsOverTheQuotaUntilCompactedAndDisarmedWithoutLosingAnythingAcknowledged()
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx.quotaBackendBytes(QUOTA_BYTES).diskCheckIntervalMs(20));
        final MetaStoreClient client = cluster.connectClient();
        final MetaStoreNode node = cluster.node(0);
        final long lease = client.leaseGrant(600).id();
        client.put(bytes("leased"), bytes("v"), new PutOptions().lease(lease));

        final TreeMap<String, String> acknowledged = new TreeMap<>();
        final int[] next = { 0 };
        Tests.await("puts refused with NOSPACE", () -> putBatch(client, next, acknowledged));
        assertTrue(acknowledged.size() > KEPT, "acknowledged " + acknowledged.size());
        assertEquals(List.of(new AlarmMember(0, AlarmType.NOSPACE)), client.alarmList().alarms());
        assertThrows(NoSpaceException.class, () -> client.put("refused", "x"));

        // Everything but a few keys deleted, as an operator frees space.
        final List<String> deleted = new ArrayList<>(acknowledged.keySet()).subList(KEPT, acknowledged.size());
        final List<CompletableFuture<DeleteResult>> deletes = new ArrayList<>();
        deleted.forEach(key -> deletes.add(client.deleteAsync(bytes(key), new DeleteOptions())));
        deletes.forEach(delete -> assertEquals(1, delete.join().deleted()));
        acknowledged.keySet().removeAll(deleted);
        client.leaseRevoke(lease);
        assertEquals(0, client.get("leased").count());
        final long revision = client.get("leased").header().revision();
        assertEquals(revision, client.compact(revision).compactRevision());

        Tests.await(() -> "the store under the quota: " + node.storeBytes() + " bytes", Tests.AWAIT_TIMEOUT_MS,
            () -> node.storeBytes() <= QUOTA_BYTES);
        assertEquals(List.of(new AlarmMember(0, AlarmType.NOSPACE)), client.alarmList().alarms(),
            "only an operator clears the alarm");
        assertThrows(NoSpaceException.class, () -> client.put("refused", "x"));

        assertEquals(List.of(new AlarmMember(0, AlarmType.NOSPACE)), client.alarmDisarm().alarms());
        for (int i = 0; i < BATCH; i++)
        {
            client.put("after-" + i, "v" + i);
        }
        assertEquals(List.of(), client.alarmList().alarms());

        final TreeMap<String, String> stored = new TreeMap<>();
        client.range(bytes("key-"), new RangeOptions().prefix())
            .kvs().forEach(kv -> stored.put(kv.keyUtf8(), kv.valueUtf8()));
        assertEquals(acknowledged, stored, "every acknowledged put not deleted, with its value");
        assertEquals(0, client.get("refused").count());
        assertEquals(BATCH, client.range(bytes("after-"), new RangeOptions().prefix()).count());
        cluster.assertNoErrors();
    }

    /**
     * Put a batch of keys, keeping those acknowledged.
     *
     * @return true once a put was refused with NOSPACE.
     */
    private static boolean putBatch(
        final MetaStoreClient client, final int[] next, final TreeMap<String, String> acknowledged)
    {
        final List<String> keys = new ArrayList<>();
        final List<CompletableFuture<PutResult>> futures = new ArrayList<>();
        for (int i = 0; i < BATCH; i++)
        {
            final String key = String.format("key-%06d", next[0]++);
            keys.add(key);
            futures.add(client.putAsync(bytes(key), bytes(value(key)), new PutOptions()));
        }

        boolean isRefused = false;
        for (int i = 0; i < BATCH; i++)
        {
            try
            {
                futures.get(i).join();
                acknowledged.put(keys.get(i), value(keys.get(i)));
            }
            catch (final CompletionException ex)
            {
                assertInstanceOf(NoSpaceException.class, ex.getCause());
                isRefused = true;
            }
        }

        return isRefused;
    }

    private static String value(final String key)
    {
        return key + "=" + String.valueOf((char)('a' + Math.floorMod(key.hashCode(), 26))).repeat(VALUE_BYTES);
    }
}
