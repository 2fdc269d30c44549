package io.metastore.node;

import io.aeron.cluster.service.Cluster;
import io.metastore.client.LeaseGrantResult;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.WatchEvents;
import io.metastore.client.WatchListener;
import io.metastore.client.WatchOptions;
import io.metastore.node.metrics.MetaStoreCounters;
import io.metastore.node.metrics.PrometheusText;
import io.metastore.test.Tests;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running member's counters, as Aeron's tools read them (its media driver's counters) and as Prometheus scrapes
 * them: exact counts of what the test did, on the leader and on a follower.
 */
@Timeout(120)
class MetricsClusterTest
{
    /**
     * The metrics port of a member, after its UDP ports: {@code basePort + 10 i + 9}.
     */
    private static final int METRICS_PORT_OFFSET = 9;

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
    void shouldCountWhatAMemberDidInItsDriversCountersAndServeThemToPrometheus() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx.metricsPort(
            ctx.basePort() + ctx.memberId() * ClusterMembers.PORTS_PER_MEMBER + METRICS_PORT_OFFSET));
        final MetaStoreNode node = cluster.node(0);
        final CountersReader counters = node.countersReader();
        final MetaStoreClient client = cluster.connectClient();
        final AtomicInteger events = new AtomicInteger();
        client.watch(bytes("m/"), new WatchOptions().prefix(), new WatchListener()
        {
            public void onEvents(final WatchEvents watchEvents)
            {
                events.addAndGet(watchEvents.events().size());
            }
        });
        await(counters, MetaStoreCounters.WATCHERS_TYPE_ID, "metastore watchers live", 1);
        assertEquals(1, value(counters, MetaStoreCounters.READ_SESSIONS_TYPE_ID, "metastore read sessions"));

        final LeaseGrantResult lease = client.leaseGrant(60);
        long revision = 0;
        for (int i = 0; i < 5; i++)
        {
            revision = client.put("m/" + i, "v").header().revision();
        }
        client.put("other", "v");
        assertThrows(MetaStoreException.class, () -> client.leaseRevoke(lease.id() + 1));
        assertThrows(MetaStoreException.class, () -> client.leaseRevoke(lease.id() + 2));

        await(counters, MetaStoreCounters.COMMITTED_REVISION_TYPE_ID, "metastore committed revision", revision + 1);
        assertEquals(6, applied(counters, "put"));
        assertEquals(1, applied(counters, "lease_grant"));
        assertEquals(0, applied(counters, "lease_revoke"));
        assertEquals(2, refused(counters, "LEASE_NOT_FOUND"));
        assertEquals(7, total(counters, MetaStoreCounters.REQUESTS_APPLIED_TYPE_ID), "nothing else applied");
        assertEquals(2, total(counters, MetaStoreCounters.REQUESTS_REFUSED_TYPE_ID), "nothing else refused");
        assertEquals(0, total(counters, MetaStoreCounters.RESPONSES_DROPPED_TYPE_ID));
        assertEquals(1, value(counters, MetaStoreCounters.LEASES_TYPE_ID, "metastore leases live"));
        final long writes = value(counters, MetaStoreCounters.ROCKSDB_WRITES_TYPE_ID, "metastore rocksdb writes");
        final long entries =
            value(counters, MetaStoreCounters.ENTRIES_COMMITTED_TYPE_ID, "metastore log entries committed");
        assertTrue(writes > 0 && entries >= writes, writes + " writes of " + entries + " entries");
        assertTrue(value(counters, MetaStoreCounters.ROCKSDB_UPDATES_TYPE_ID, "metastore rocksdb updates") > writes);
        await(counters, MetaStoreCounters.WATCH_EVENTS_SENT_TYPE_ID, "metastore watch events sent", 5);
        Tests.await("5 events delivered", () -> 5 == events.get());
        assertEquals(0, value(counters, MetaStoreCounters.COMPACTED_REVISION_TYPE_ID, "metastore compacted revision"));
        client.compact(revision);
        await(counters, MetaStoreCounters.COMPACTED_REVISION_TYPE_ID, "metastore compacted revision", revision);
        await(counters, MetaStoreCounters.HISTORY_REMOVED_REVISION_TYPE_ID, "metastore history removed revision",
            revision);
        final long writesAfterCompaction =
            value(counters, MetaStoreCounters.ROCKSDB_WRITES_TYPE_ID, "metastore rocksdb writes");

        final HttpResponse<String> scrape = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode());
        assertEquals(PrometheusText.CONTENT_TYPE, scrape.headers().firstValue("Content-Type").orElseThrow());
        final String text = scrape.body();
        final String[] expected =
        {
            "# TYPE metastore_requests_applied_total counter",
            "metastore_requests_applied_total{kind=\"put\"} 6",
            "metastore_requests_applied_total{kind=\"lease_grant\"} 1",
            "metastore_requests_refused_total{code=\"LEASE_NOT_FOUND\"} 2",
            "metastore_committed_revision " + (revision + 1),
            "metastore_leases 1",
            "metastore_watchers 1",
            "metastore_read_sessions 1",
            "metastore_watch_events_sent_total 5",
            "metastore_rocksdb_writes_total " + writesAfterCompaction,
            "metastore_compacted_revision " + revision,
            "metastore_history_removed_revision " + revision,
            "aeron_cluster_node_role " + Cluster.Role.LEADER.code(),
            "aeron_driver_errors_total 0",
        };
        for (final String line : expected)
        {
            assertTrue(text.contains("\n" + line + "\n"), line + " in\n" + text);
        }
        assertTrue(text.contains("\njvm_memory_bytes_used{area=\"heap\"} "), text);
        cluster.assertNoErrors();
    }

    @Test
    void shouldCountOnAFollowerThePutsItApplies()
    {
        cluster = TestCluster.start(tempDir, 3);
        final MetaStoreClient client = cluster.connectClient();
        long revision = 0;
        for (int i = 0; i < 10; i++)
        {
            revision = client.put("k" + i, "v").header().revision();
        }
        final int leader = cluster.awaitLeader();
        final int follower = (leader + 1) % 3;
        assertEquals(Cluster.Role.FOLLOWER, cluster.node(follower).role());

        for (final int memberId : new int[]{ leader, follower })
        {
            final CountersReader counters = cluster.node(memberId).countersReader();
            await(counters, MetaStoreCounters.COMMITTED_REVISION_TYPE_ID, "metastore committed revision", revision);
            assertEquals(10, applied(counters, "put"), "member " + memberId);
            assertEquals(0, total(counters, MetaStoreCounters.REQUESTS_REFUSED_TYPE_ID), "member " + memberId);
        }
        cluster.assertNoErrors();
    }

    private static long applied(final CountersReader counters, final String kind)
    {
        return value(counters, MetaStoreCounters.REQUESTS_APPLIED_TYPE_ID, "metastore requests applied: " + kind);
    }

    private static long refused(final CountersReader counters, final String code)
    {
        return value(counters, MetaStoreCounters.REQUESTS_REFUSED_TYPE_ID, "metastore requests refused: " + code);
    }

    private static void await(final CountersReader counters, final int typeId, final String label, final long value)
    {
        Tests.await(() -> label + " at " + value + ", is " + value(counters, typeId, label), 10_000,
            () -> value(counters, typeId, label) == value);
    }

    /**
     * @return the value of the one counter of that type and label; fails if there is not exactly one.
     */
    private static long value(final CountersReader counters, final int typeId, final String label)
    {
        final MutableLong value = new MutableLong();
        final AtomicInteger found = new AtomicInteger();
        counters.forEach((counterId, type, key, counterLabel) ->
        {
            if (type == typeId && counterLabel.equals(label))
            {
                found.incrementAndGet();
                value.set(counters.getCounterValue(counterId));
            }
        });
        assertEquals(1, found.get(), "counters labelled " + label);
        return value.get();
    }

    private static long total(final CountersReader counters, final int typeId)
    {
        final MutableLong total = new MutableLong();
        counters.forEach((counterId, type, key, label) ->
        {
            if (type == typeId)
            {
                total.getAndAdd(counters.getCounterValue(counterId));
            }
        });
        return total.get();
    }
}
