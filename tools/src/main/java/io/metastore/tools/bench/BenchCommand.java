package io.metastore.tools.bench;

import io.aeron.cluster.service.Cluster;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.RangeOptions;
import io.metastore.concurrent.IdleProfile;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.NodeErrors;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code metastore bench put|range|lease-put|txn-put}: in the spirit of etcd's {@code tools/benchmark}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure throughput and latency with the real client against an embedded single node (the " +
        "default), an embedded cluster (--nodes 3) or a running cluster (--endpoints).")
public final class BenchCommand implements Callable<Integer>
{
    private static final long LEASE_TTL_SECONDS = 3600;
    private static final double DEFAULT_PACED_WARMUP_SECONDS = 5;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "put|range|lease-put|txn-put|watch", description = "Workload: put; " +
        "range (single-key gets over a preloaded key space, linearizable or with --consistency s serializable); " +
        "lease-put (puts attached round robin to --leases leases granted first); txn-put (a txn per put: " +
        "modRevision(key) < a large number, then the put); watch (puts watched by --watchers watchers of every " +
        "key: put to event latency, events lost and duplicated).")
    private String workload;

    @Option(names = "--leases", description = "Leases lease-put grants first, with a TTL of an hour, and revokes " +
        "at the end (default: ${DEFAULT-VALUE}).")
    private int leases = 8;

    @Option(names = "--watchers", description = "watch: watchers of every key (default: ${DEFAULT-VALUE}).")
    private int watchers = 1;

    @Option(names = "--watch-clients", description = "watch: clients of their own the watchers are spread over, " +
        "each with a media driver and read session of its own; 0 for the client that puts (default: " +
        "${DEFAULT-VALUE}).")
    private int watchClients;

    @Option(names = "--watch-member", description = "watch: member whose read port serves the watchers, e.g. a " +
        "follower (default: the leader).")
    private int watchMember = -1;

    @Option(names = "--clients", description = "Requests in flight; 1 = sequential (default: ${DEFAULT-VALUE}).")
    private int clients = 1;

    @Option(names = "--total", description = "Requests to measure (default: ${DEFAULT-VALUE}); ignored with " +
        "--duration.")
    private long total = 100_000;

    @Option(names = "--duration", description = "Seconds to measure for, instead of --total.")
    private double durationSeconds;

    @Option(names = "--warmup", description = "Requests sent and not recorded first, as fast as --clients allows " +
        "even with --rate, with watch's watchers already watching: until the JIT has compiled every request's path " +
        "its compilations take a core (default: ${DEFAULT-VALUE}).")
    private long warmup = 100_000;

    @Option(names = "--paced-warmup", description = "With --rate: seconds sent at the rate and not recorded after " +
        "--warmup, before the measured run. A closed loop never idles, so the JIT compiles the request's path " +
        "without the idle branches a paced run takes; at the rate it throws that code away and compiles it again, " +
        "and the first seconds measured the recompilation, p99s of 5-20 ms (default: 5, or 0 with --warmup 0, a " +
        "cold start).")
    private Double pacedWarmupSeconds;

    @Option(names = "--key-size", description = "Key bytes (default: ${DEFAULT-VALUE}).")
    private int keySize = 16;

    @Option(names = "--val-size", description = "Value bytes (default: ${DEFAULT-VALUE}).")
    private int valueSize = 256;

    @Option(names = "--key-space-size", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    private long keySpaceSize = 10_000;

    @Option(names = "--revisions", description = "range: times the key space is put before the run, so each key " +
        "has that many revisions (default: ${DEFAULT-VALUE}).")
    private int revisions = 1;

    @Option(names = "--rev", description = "range: revision to read at, 0 for the current one; a negative number " +
        "counts back from the revision reached by the preload, e.g. -50000 (default: ${DEFAULT-VALUE}).")
    private long readRevision;

    @Option(names = "--consistency", description = "range: linearizable (l, through the leader's log) or " +
        "serializable (s, a member's own state through its read port), any case, as etcd's benchmark (default: " +
        "${DEFAULT-VALUE}).")
    private String consistency = "l";

    @Option(names = "--read-member", description = "range --consistency s: member whose read port serves the " +
        "reads, e.g. a follower (default: the leader).")
    private int readMember = -1;

    @Option(names = "--sequential-keys", description = "Walk the key space in order instead of at random.")
    private boolean sequentialKeys;

    @Option(names = "--rate", description = "Open loop: requests per second, latency measured from each " +
        "request's intended send time; 0 = closed loop (default).")
    private double rate;

    @Option(names = "--compact-at", description = "put, lease-put, watch: compact the history this many seconds into " +
        "the run, from the bench's client, and report the latency of the requests sent before and after it (the " +
        "members remove what it hides meanwhile). With watch, a watcher further behind than --compact-retain is " +
        "cancelled as compacted and its events count as lost.")
    private double compactAtSeconds = -1;

    @Option(names = "--compact-retain", description = "With --compact-at: revisions kept, below the newest a put " +
        "was answered with (default: ${DEFAULT-VALUE}).")
    private long compactRetain = 1000;

    @Option(names = "--endpoints", description = "Bench a running cluster at these ingress endpoints instead " +
        "of an embedded one.")
    private String endpoints;

    @Option(names = "--node-pids", split = ",", description = "Process ids of a running cluster's nodes, to " +
        "report their CPU per op.")
    private List<Long> nodePids = new ArrayList<>();

    @Option(names = "--nodes", description = "Members of the embedded cluster: 1, 3 or 5 (default: " +
        "${DEFAULT-VALUE}).")
    private int nodes = 1;

    @Option(names = "--base-port", description = "Base port of the embedded cluster (default: ${DEFAULT-VALUE}).")
    private int basePort = 27000;

    @Option(names = "--idle", description = "Idle profile of embedded nodes and the client: BACKOFF or " +
        "LOW_LATENCY (default: ${DEFAULT-VALUE}).")
    private IdleProfile idleProfile = IdleProfile.BACKOFF;

    @Option(names = "--fsync", description = "Embedded nodes fsync the log.")
    private boolean fsync;

    @Option(names = "--log-fragment-limit", description = "Embedded nodes' log fragments per poll, so per RocksDB " +
        "write (default: the node's).")
    private Integer logFragmentLimit;

    @Option(names = "--client-batch", description = "Most requests the client coalesces into one ingress " +
        "message; 1 turns coalescing off (default: the client's).")
    private Integer clientBatch;

    @Option(names = "--ipc", description = "Talk to the leader by IPC through its media driver instead of UDP " +
        "loopback through a driver of the client's own: the embedded leader's driver, or --aeron-dir's.")
    private boolean ipc;

    @Option(names = "--aeron-dir", description = "With --endpoints: the Aeron directory of a running media driver " +
        "for the client, with --ipc the node's, e.g. /dev/shm/aeron-$USER-metastore-21000-0 (default: a driver of " +
        "the client's own).")
    private String aeronDir;

    @Option(names = { "-w", "--write-out" }, description = "simple or json (default: ${DEFAULT-VALUE}).")
    private String writeOut = "simple";

    @Option(names = "--hgrm", description = "Also write the latency histogram, in microseconds, to this file.")
    private File hgrmFile;

    @Option(names = "--no-progress", description = "Do not print a progress line each second.")
    private boolean noProgress;

    @Override
    public Integer call() throws IOException
    {
        final Workload selected = Workload.valueOf(workload.toUpperCase(Locale.ROOT).replace('-', '_'));
        validate(selected);

        final List<MetaStoreNode> embedded = new ArrayList<>();
        File dataDir = null;
        MetaStoreClient client = null;
        WatchFanOut fanOut = null;
        try
        {
            final String clientEndpoints;
            String clientAeronDir = aeronDir;
            if (null == endpoints)
            {
                dataDir = Files.createTempDirectory("metastore-bench").toFile();
                clientEndpoints = startEmbedded(embedded, dataDir);
                clientAeronDir = leader(embedded).context().aeronDirectoryName();
            }
            else
            {
                clientEndpoints = endpoints;
            }

            final MetaStoreClient.Context context = clientContext(clientEndpoints, clientAeronDir);
            client = MetaStoreClient.connect(readMember < 0 ? context : context.readMemberId(readMember));

            final String description = describe(selected);
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter progress = noProgress ? null : spec.commandLine().getErr();
            final BenchRunner runner = new BenchRunner(client, selected, clients,
                new KeyGenerator(keySize, keySpaceSize, sequentialKeys), new byte[valueSize], rate, progress);
            prepare(selected, client, runner);
            if (Workload.WATCH == selected)
            {
                // Started before the warm-up, so that the watch's path, on the members and in the client, is warm
                // too when the measured puts start: the C2 compilations of a cold path measured 50-90 ms p99s.
                fanOut = startWatchers(client, clientEndpoints, clientAeronDir);
            }
            if (warmup > 0)
            {
                runner.warmUp(warmup);
            }
            if (rate > 0 && pacedWarmupSeconds() > 0)
            {
                runner.warmUpPaced((long)(pacedWarmupSeconds() * 1e9));
            }
            if (compactAtSeconds >= 0)
            {
                runner.compactDuringRun((long)(compactAtSeconds * 1e9), compactRetain);
            }
            if (null != fanOut)
            {
                fanOut.measureAfter(currentRevision(client), spec.commandLine().getErr());
            }
            final long startNs = System.nanoTime();
            final BenchResult result = runner.run(
                durationSeconds > 0 ? 0 : total,
                (long)(durationSeconds * 1e9),
                new CpuMeter(null == endpoints, nodePids),
                "bench ");

            WatchFanOut.Summary watch = null;
            if (null != fanOut)
            {
                final long last = currentRevision(client);
                watch = fanOut.summarise(last, startNs, fanOut.awaitDelivered(last, TimeUnit.SECONDS.toNanos(60)));
            }
            report(out, description, result, watch);
            if (null != hgrmFile)
            {
                writeHgrm(result);
            }

            reportDropped(embedded);
            if (Workload.LEASE_PUT == selected)
            {
                runner.revokeLeases();
            }

            return result.errors() == 0 && (null == watch || watch.isComplete()) ? 0 : 1;
        }
        finally
        {
            CloseHelper.quietClose(fanOut);
            CloseHelper.quietClose(client);
            for (int i = embedded.size() - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(embedded.get(i));
            }
            if (null != dataDir)
            {
                IoUtil.delete(dataDir, true);
            }
        }
    }

    private void report(
        final PrintWriter out, final String description, final BenchResult result, final WatchFanOut.Summary watch)
    {
        if ("json".equals(writeOut))
        {
            BenchReport.printJson(out, description, result, null == watch ? null : watch.json());
        }
        else
        {
            BenchReport.printText(out, description, result);
            if (null != watch)
            {
                watch.print(out);
            }
        }
        out.flush();
    }

    private WatchFanOut startWatchers(
        final MetaStoreClient client, final String clientEndpoints, final String clientAeronDir)
    {
        return new WatchFanOut(
            client,
            () -> MetaStoreClient.connect(clientContext(clientEndpoints, clientAeronDir).readMemberId(watchMember)),
            watchClients, watchers, currentRevision(client) + 1);
    }

    private void prepare(final Workload selected, final MetaStoreClient client, final BenchRunner runner)
    {
        if (Workload.RANGE == selected)
        {
            for (int i = 0; i < revisions; i++)
            {
                runner.preload(keySpaceSize);
            }
            if (0 != readRevision)
            {
                final long current = client.range(new byte[]{ 0 }, new RangeOptions()
                    .fromKey().countOnly(true)).header().revision();
                runner.readAt(readRevision > 0 ? readRevision : current + readRevision);
            }
            runner.serializable(isSerializable());
        }
        if (Workload.LEASE_PUT == selected)
        {
            runner.grantLeases(leases, LEASE_TTL_SECONDS);
        }
    }

    private void reportDropped(final List<MetaStoreNode> embedded)
    {
        for (final MetaStoreNode node : embedded)
        {
            final long dropped = node.service().droppedResponses();
            if (dropped > 0)
            {
                spec.commandLine().getErr().printf("bench: node %d dropped %,d responses: its egress to the " +
                    "client stayed back pressured past the retry limit or was not connected, or a response was " +
                    "longer than it takes%n", node.context().memberId(), dropped);
            }
        }
    }

    private String startEmbedded(final List<MetaStoreNode> embedded, final File dataDir)
    {
        final String members = String.join(",", Collections.nCopies(nodes, "localhost"));
        for (int id = 0; id < nodes; id++)
        {
            final MetaStoreNode.Context ctx = new MetaStoreNode.Context()
                .memberId(id)
                .members(members)
                .basePort(basePort)
                .dataDir(dataDir)
                .idleProfile(idleProfile)
                .fsync(fsync)
                .errorHandler(NodeErrors.logging());
            if (null != logFragmentLimit)
            {
                ctx.logFragmentLimit(logFragmentLimit);
            }
            embedded.add(MetaStoreNode.launch(ctx));
        }

        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (null == leader(embedded))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("no leader elected within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }

        return embedded.get(0).context().ingressEndpoints();
    }

    /**
     * @return seconds sent at the rate before a paced run is measured: as given, else 5, or 0 after no warm-up.
     */
    private double pacedWarmupSeconds()
    {
        return null != pacedWarmupSeconds ? pacedWarmupSeconds : (warmup > 0 ? DEFAULT_PACED_WARMUP_SECONDS : 0);
    }

    private void validate(final Workload selected)
    {
        if (watchers < 1 || watchClients < 0 || watchClients > watchers)
        {
            throw new IllegalArgumentException("--watchers must be positive, --watch-clients at least 0 and at most " +
                "one client a watcher");
        }
        if (!"l".equalsIgnoreCase(consistency) && !"s".equalsIgnoreCase(consistency))
        {
            throw new IllegalArgumentException("unknown consistency flag \"" + consistency + "\": l or s");
        }
        if (compactAtSeconds >= 0 && (Workload.RANGE == selected || Workload.TXN_PUT == selected || compactRetain < 0))
        {
            throw new IllegalArgumentException("--compact-at is for put, lease-put and watch, with --compact-retain " +
                "at least 0");
        }
        if (warmup < 0 || pacedWarmupSeconds() < 0)
        {
            throw new IllegalArgumentException("--warmup and --paced-warmup must be at least 0");
        }
        if (leases < 1)
        {
            throw new IllegalArgumentException("--leases must be positive");
        }
        if (ipc && null != endpoints && null == aeronDir)
        {
            throw new IllegalArgumentException("--ipc with --endpoints needs --aeron-dir, the node's Aeron directory");
        }
        if (null == endpoints && null != aeronDir)
        {
            throw new IllegalArgumentException("--aeron-dir is for --endpoints: embedded nodes run their own drivers");
        }
        if (clients < 1 || keySize < 2 || valueSize < 0 || keySpaceSize < 1 || (total < 1 && durationSeconds <= 0))
        {
            throw new IllegalArgumentException("--clients, --key-size, --key-space-size and --total must be " +
                "positive, --key-size at least 2");
        }
    }

    private MetaStoreClient.Context clientContext(final String clientEndpoints, final String clientAeronDir)
    {
        final MetaStoreClient.Context clientContext = new MetaStoreClient.Context()
            .endpoints(clientEndpoints)
            .idleProfile(idleProfile)
            .requestTimeout(30, TimeUnit.SECONDS)
            .maxInFlight(Math.max(1024, clients * 2));
        if (null != aeronDir)
        {
            clientContext.aeronDirectoryName(aeronDir);
        }
        if (ipc)
        {
            clientContext.ipc(true).aeronDirectoryName(clientAeronDir);
        }
        if (null != clientBatch)
        {
            clientContext.maxBatchRequests(clientBatch);
        }

        return clientContext;
    }

    private boolean isSerializable()
    {
        return "s".equalsIgnoreCase(consistency);
    }

    private static long currentRevision(final MetaStoreClient client)
    {
        return client.range(new byte[]{ 0 }, new RangeOptions().fromKey().countOnly(true)).header().revision();
    }

    private static MetaStoreNode leader(final List<MetaStoreNode> embedded)
    {
        for (final MetaStoreNode node : embedded)
        {
            if (Cluster.Role.LEADER == node.role())
            {
                return node;
            }
        }
        return null;
    }

    private String describe(final Workload selected)
    {
        final String target = null == endpoints ?
            "embedded " + nodes + "-node cluster (idle " + idleProfile + ", fsync " + fsync + ", log fragment limit " +
            (null == logFragmentLimit ? "default" : logFragmentLimit) + ")" :
            "cluster at " + endpoints;
        return selected.name().toLowerCase(Locale.ROOT).replace('_', '-') +
            (Workload.LEASE_PUT == selected ? " (" + leases + " leases, TTL " + LEASE_TTL_SECONDS + " s)" : "") +
            (Workload.WATCH == selected ? " (" + watchers + " watchers on " +
            (0 == watchClients ? "the client that puts" : watchClients + " clients") + ", served by " +
            (watchMember < 0 ? "the leader" : "member " + watchMember) + ")" : "") +
            ", " + clients + " in flight, " +
            (durationSeconds > 0 ? durationSeconds + " s" : total + " requests") + " after " + warmup + " warm-up" +
            (rate > 0 && pacedWarmupSeconds() > 0 ? " and " + pacedWarmupSeconds() + " s at the rate" : "") + ", " +
            "key " + keySize + " B, value " + valueSize + " B, key space " + keySpaceSize +
            (Workload.RANGE == selected ? " x " + revisions + " revisions, " + rangeConsistency() + " reads at " +
            (0 == readRevision ? "the current revision" : "revision " + readRevision) : "") +
            (sequentialKeys ? " sequential" : " random") +
            (rate > 0 ? ", open loop at " + rate + "/s" : ", closed loop") +
            ", client batch " + (null == clientBatch ? "default" : clientBatch) +
            (ipc ? ", IPC through " + (null == endpoints ? "the leader's driver" : "the driver at " + aeronDir) :
            ", UDP") + ", " + target;
    }

    private String rangeConsistency()
    {
        if (!isSerializable())
        {
            return "linearizable";
        }

        return 0 != readRevision ? "serializable (at a past revision: through the log)" :
            "serializable (served by " + (readMember < 0 ? "the leader" : "member " + readMember) + ")";
    }

    private void writeHgrm(final BenchResult result) throws FileNotFoundException
    {
        try (PrintStream out = new PrintStream(new FileOutputStream(hgrmFile)))
        {
            result.histogram().outputPercentileDistribution(out, 1000.0);
        }
    }
}
