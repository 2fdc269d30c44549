package io.metastore.node.metrics;

import io.aeron.AeronCounters;
import org.agrona.concurrent.status.CountersReader;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a member's counters in Prometheus' text exposition format 0.0.4: every MetaStore counter (type ids
 * {@link MetaStoreCounters#MIN_TYPE_ID} to {@link MetaStoreCounters#TYPE_ID_LIMIT}), the Aeron counters an operator
 * watches (the consensus module's role, commit position, leadership term, elections and errors; the driver's, the
 * archive's and the service container's errors), and the JVM's basics from its management beans (heap and non-heap,
 * garbage collections, threads, uptime, process CPU).
 * <p>
 * Each metric family is written once, with its {@code # HELP} and {@code # TYPE} lines, then its samples; a sample
 * whose name and labels were already written (a second counter of the same type) is left out, as Prometheus refuses
 * a scrape with a duplicate series. Runs on the metrics endpoint's thread, once per scrape: it may allocate.
 */
public final class PrometheusText
{
    /**
     * Content type of the format.
     */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String COUNTER = "counter";
    private static final String GAUGE = "gauge";

    /**
     * Aeron's counters worth a metric, by type id (and, for the driver's system counters, by key).
     */
    private static final AeronMetric[] AERON_METRICS =
    {
        new AeronMetric(AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID, -1, "aeron_cluster_node_role", GAUGE,
            "Role of the member in the cluster: 0 follower, 1 candidate, 2 leader."),
        new AeronMetric(AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID, -1, "aeron_cluster_commit_position", GAUGE,
            "Position of the log the cluster has committed, as this member knows it."),
        new AeronMetric(AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID, -1, "aeron_cluster_leadership_term_id",
            GAUGE, "Leadership term of the member."),
        new AeronMetric(AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID, -1, "aeron_cluster_election_state", GAUGE,
            "State of the member's election, 17 (CLOSED) when none is in progress."),
        new AeronMetric(AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID, -1, "aeron_cluster_elections_total", COUNTER,
            "Elections the member has taken part in."),
        new AeronMetric(AeronCounters.CLUSTER_SNAPSHOT_COUNTER_TYPE_ID, -1, "aeron_cluster_snapshots_total", COUNTER,
            "Snapshots the member has taken."),
        new AeronMetric(AeronCounters.CLUSTER_CONSENSUS_MODULE_ERROR_COUNT_TYPE_ID, -1,
            "aeron_cluster_consensus_module_errors_total", COUNTER, "Errors the consensus module has seen."),
        new AeronMetric(AeronCounters.CLUSTER_CLUSTERED_SERVICE_ERROR_COUNT_TYPE_ID, -1,
            "aeron_cluster_service_errors_total", COUNTER, "Errors the clustered service's container has seen."),
        new AeronMetric(AeronCounters.ARCHIVE_ERROR_COUNT_TYPE_ID, -1, "aeron_archive_errors_total", COUNTER,
            "Errors the archive has seen."),
        new AeronMetric(AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID, AeronCounters.SYSTEM_COUNTER_ID_ERRORS,
            "aeron_driver_errors_total", COUNTER, "Errors the media driver has seen."),
        new AeronMetric(AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID, AeronCounters.SYSTEM_COUNTER_ID_CLIENT_TIMEOUTS,
            "aeron_driver_client_timeouts_total", COUNTER, "Aeron clients of the media driver that timed out."),
    };

    private PrometheusText()
    {
    }

    private record AeronMetric(int typeId, int systemCounterId, String name, String type, String help)
    {
    }

    /**
     * The samples of one metric family, in the order met.
     */
    private static final class Family
    {
        final String help;
        final String type;
        final List<String> samples = new ArrayList<>();

        Family(final String help, final String type)
        {
            this.help = help;
            this.type = type;
        }
    }

    /**
     * Render the counters and the JVM's basics.
     *
     * @param counters of the member's media driver.
     * @return the text of a scrape.
     */
    public static String render(final CountersReader counters)
    {
        final Map<String, Family> families = new LinkedHashMap<>();
        final Set<String> series = new HashSet<>();
        // MetaStore's families first, then Aeron's, each in the order of its table, whatever the counters' order.
        for (final MetaStoreCounters.Metric metric : MetaStoreCounters.metrics())
        {
            families.put(metric.name(), new Family(metric.help(), metric.isCounter() ? COUNTER : GAUGE));
        }
        for (final AeronMetric metric : AERON_METRICS)
        {
            families.putIfAbsent(metric.name(), new Family(metric.help(), metric.type()));
        }
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final long value = counters.getCounterValue(counterId);
            if (MetaStoreCounters.isMetaStoreTypeId(typeId))
            {
                metaStoreSample(families, series, typeId, label, value);
            }
            else
            {
                for (final AeronMetric metric : AERON_METRICS)
                {
                    if (metric.typeId() == typeId &&
                        (metric.systemCounterId() < 0 || metric.systemCounterId() == keyBuffer.getInt(0)))
                    {
                        sample(families, series, metric.name(), metric.help(), metric.type(), "",
                            Long.toString(value));
                    }
                }
            }
        });
        jvm(families, series);

        final StringBuilder out = new StringBuilder(8192);
        for (final Map.Entry<String, Family> entry : families.entrySet())
        {
            final Family family = entry.getValue();
            if (family.samples.isEmpty())
            {
                continue;
            }
            out.append("# HELP ").append(entry.getKey()).append(' ').append(family.help).append('\n');
            out.append("# TYPE ").append(entry.getKey()).append(' ').append(family.type).append('\n');
            for (final String sample : family.samples)
            {
                out.append(sample).append('\n');
            }
        }

        return out.toString();
    }

    private static void metaStoreSample(
        final Map<String, Family> families,
        final Set<String> series,
        final int typeId,
        final String label,
        final long value)
    {
        final MetaStoreCounters.Metric metric = MetaStoreCounters.metric(typeId);
        if (null == metric)
        {
            // A type of MetaStore's range this build does not know (a newer member's): shown, not lost.
            sample(families, series, "metastore_counter", "A MetaStore counter this build has no name for.", GAUGE,
                "{type_id=\"" + typeId + "\",label=\"" + escape(label) + "\"}", Long.toString(value));
            return;
        }

        String labels = "";
        if (null != metric.labelName())
        {
            final String prefix = metric.label() + ": ";
            final String subject = label.startsWith(prefix) ? label.substring(prefix.length()) : label;
            labels = "{" + metric.labelName() + "=\"" + escape(subject) + "\"}";
        }
        sample(families, series, metric.name(), metric.help(), metric.isCounter() ? COUNTER : GAUGE, labels,
            Long.toString(value));
    }

    private static void jvm(final Map<String, Family> families, final Set<String> series)
    {
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        final MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        memory(families, series, "heap", heap);
        memory(families, series, "nonheap", nonHeap);

        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            final String labels = "{gc=\"" + escape(gc.getName()) + "\"}";
            final String help = "Time spent in the JVM's garbage collections, in seconds, and their count.";
            sample(families, series, "jvm_gc_collection_seconds", help, "summary", "_count" + labels,
                Long.toString(Math.max(0, gc.getCollectionCount())));
            sample(families, series, "jvm_gc_collection_seconds", help, "summary", "_sum" + labels,
                Double.toString(Math.max(0, gc.getCollectionTime()) / 1000.0));
        }

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        sample(families, series, "jvm_threads_current", "Live threads of the JVM.", GAUGE, "",
            Integer.toString(threads.getThreadCount()));
        sample(families, series, "jvm_threads_daemon", "Live daemon threads of the JVM.", GAUGE, "",
            Integer.toString(threads.getDaemonThreadCount()));
        sample(families, series, "jvm_threads_peak", "Most live threads of the JVM since it started.", GAUGE, "",
            Integer.toString(threads.getPeakThreadCount()));

        final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        sample(families, series, "process_start_time_seconds", "Start time of the process, in seconds since the " +
            "epoch.", GAUGE, "", Double.toString(runtime.getStartTime() / 1000.0));
        sample(families, series, "process_uptime_seconds", "Time since the JVM started, in seconds.", GAUGE, "",
            Double.toString(runtime.getUptime() / 1000.0));

        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean processOs)
        {
            sample(families, series, "process_cpu_seconds_total", "CPU time the process has used, user and " +
                "system, in seconds.", COUNTER, "", Double.toString(processOs.getProcessCpuTime() / 1e9));
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unixOs)
        {
            sample(families, series, "process_open_fds", "File descriptors the process has open.", GAUGE, "",
                Long.toString(unixOs.getOpenFileDescriptorCount()));
            sample(families, series, "process_max_fds", "Most file descriptors the process may open.", GAUGE, "",
                Long.toString(unixOs.getMaxFileDescriptorCount()));
        }
    }

    private static void memory(
        final Map<String, Family> families, final Set<String> series, final String area, final MemoryUsage usage)
    {
        final String labels = "{area=\"" + area + "\"}";
        sample(families, series, "jvm_memory_bytes_used", "Memory the JVM uses, by area.", GAUGE, labels,
            Long.toString(usage.getUsed()));
        sample(families, series, "jvm_memory_bytes_committed", "Memory the JVM has from the OS, by area.", GAUGE,
            labels, Long.toString(usage.getCommitted()));
        if (usage.getMax() >= 0)
        {
            sample(families, series, "jvm_memory_bytes_max", "Most memory the JVM may use, by area.", GAUGE, labels,
                Long.toString(usage.getMax()));
        }
    }

    /**
     * Add a sample to its family, unless the same series was added before.
     *
     * @param suffix the sample's name after the family's ({@code _count} of a summary) and its labels, if any.
     */
    private static void sample(
        final Map<String, Family> families,
        final Set<String> series,
        final String name,
        final String help,
        final String type,
        final String suffix,
        final String value)
    {
        final String sample = name + suffix;
        if (series.add(sample))
        {
            families.computeIfAbsent(name, ignore -> new Family(help, type)).samples.add(sample + ' ' + value);
        }
    }

    /**
     * @param value of a label.
     * @return the value escaped as the format wants: backslash, double quote and line feed.
     */
    static String escape(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
