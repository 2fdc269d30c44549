package io.metastore.node.metrics;

import io.aeron.AeronCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus text of a member's counters, from a counters manager in memory: what a driver's counters file
 * holds, without a driver.
 */
class PrometheusTextTest
{
    private static final Pattern SAMPLE =
        Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\"" +
        "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\")*})? -?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?");

    private final CountersManager counters = MetaStoreCounters.inMemoryCounters();
    private final MetaStoreCounters.CounterFactory factory = counters::newCounter;

    @Test
    void shouldRenderFamiliesByTheirSubjectAndSingleCountersAsTheirMetric()
    {
        MetaStoreCounters.newCounter(factory, MetaStoreCounters.REQUESTS_APPLIED_TYPE_ID, 1, "put").set(3);
        MetaStoreCounters.newCounter(factory, MetaStoreCounters.REQUESTS_APPLIED_TYPE_ID, 2, "range").set(0);
        MetaStoreCounters.newCounter(factory, MetaStoreCounters.REQUESTS_REFUSED_TYPE_ID, 12, "LEASE_NOT_FOUND")
            .set(1);
        MetaStoreCounters.newCounter(factory, MetaStoreCounters.COMMITTED_REVISION_TYPE_ID).set(42);
        MetaStoreCounters.newCounter(factory, MetaStoreCounters.ROCKSDB_WRITES_TYPE_ID).set(7);

        final List<String> lines = render();

        assertFamily(lines, "metastore_requests_applied_total", "counter",
            "metastore_requests_applied_total{kind=\"put\"} 3", "metastore_requests_applied_total{kind=\"range\"} 0");
        assertFamily(lines, "metastore_requests_refused_total", "counter",
            "metastore_requests_refused_total{code=\"LEASE_NOT_FOUND\"} 1");
        assertFamily(lines, "metastore_committed_revision", "gauge", "metastore_committed_revision 42");
        assertFamily(lines, "metastore_rocksdb_writes_total", "counter", "metastore_rocksdb_writes_total 7");
    }

    @Test
    void shouldRenderTheAeronCountersAnOperatorWatchesAndNoOthers()
    {
        counters.newCounter("Cluster node role", AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID).set(2);
        counters.newCounter("Cluster commit-pos", AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID).set(4096);
        counters.newCounter("Errors", AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID,
            key -> key.putInt(0, AeronCounters.SYSTEM_COUNTER_ID_ERRORS)).set(5);
        counters.newCounter("Bytes sent", AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID,
            key -> key.putInt(0, AeronCounters.SYSTEM_COUNTER_ID_BYTES_SENT)).set(1000);
        counters.newCounter("pub-lmt", AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID).set(99);

        final List<String> lines = render();

        assertFamily(lines, "aeron_cluster_node_role", "gauge", "aeron_cluster_node_role 2");
        assertFamily(lines, "aeron_cluster_commit_position", "gauge", "aeron_cluster_commit_position 4096");
        assertFamily(lines, "aeron_driver_errors_total", "counter", "aeron_driver_errors_total 5");
        assertTrue(lines.stream().noneMatch(line -> line.endsWith(" 1000") || line.endsWith(" 99")), lines::toString);
    }

    @Test
    void shouldRenderAnUnknownMetaStoreTypeByItsLabelEscapedAndWriteADuplicateSeriesOnce()
    {
        final byte[] label = "from a newer \"member\" \\ here".getBytes();
        counters.newCounter(9099, new UnsafeBuffer(new byte[0]), 0, 0, new UnsafeBuffer(label), 0, label.length)
            .set(8);
        MetaStoreCounters.newCounter(factory, MetaStoreCounters.LEASES_TYPE_ID).set(1);
        MetaStoreCounters.newCounter(factory, MetaStoreCounters.LEASES_TYPE_ID).set(2);

        final List<String> lines = render();

        assertFamily(lines, "metastore_counter", "gauge",
            "metastore_counter{type_id=\"9099\",label=\"from a newer \\\"member\\\" \\\\ here\"} 8");
        assertFamily(lines, "metastore_leases", "gauge", "metastore_leases 1");
    }

    @Test
    void shouldRenderTheJvmBasicsEveryLineInTheTextFormat()
    {
        final AtomicCounter closed = MetaStoreCounters.newCounter(factory, MetaStoreCounters.WATCHERS_TYPE_ID);
        closed.close();

        final List<String> lines = render();

        for (final String prefix : List.of("jvm_memory_bytes_used{area=\"heap\"} ",
            "jvm_memory_bytes_used{area=\"nonheap\"} ", "jvm_threads_current ", "process_uptime_seconds ",
            "process_cpu_seconds_total ", "jvm_gc_collection_seconds_count{gc=\""))
        {
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(prefix)), prefix + " in " + lines);
        }
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("metastore_watchers")), "a freed counter");
        for (final String line : lines)
        {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches(),
                line);
        }
    }

    private List<String> render()
    {
        final String text = PrometheusText.render(counters);
        assertTrue(text.endsWith("\n"), "the last line ends too");
        return Arrays.asList(text.split("\n"));
    }

    /**
     * The family's HELP and TYPE once, then exactly its samples.
     */
    private static void assertFamily(
        final List<String> lines, final String name, final String type, final String... samples)
    {
        final int help = lines.indexOf(lines.stream().filter(line -> line.startsWith("# HELP " + name + " "))
            .findFirst().orElseThrow(() -> new AssertionError("no HELP of " + name + " in " + lines)));
        assertEquals(1, lines.stream().filter(line -> line.startsWith("# HELP " + name + " ")).count(), name);
        assertEquals("# TYPE " + name + " " + type, lines.get(help + 1));
        assertEquals(List.of(samples), lines.subList(help + 2, help + 2 + samples.length));
        final int next = help + 2 + samples.length;
        assertTrue(next == lines.size() || lines.get(next).startsWith("# "), "no more samples of " + name);
    }
}
