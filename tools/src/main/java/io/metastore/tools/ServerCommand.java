package io.metastore.tools;

import io.metastore.concurrent.IdleProfile;
import io.metastore.node.ClusterMembers;
import io.metastore.node.MetaStoreNode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code server}: run one member of a cluster until SIGINT or SIGTERM, or until the cluster terminates it.
 * Every flag defaults to the node's {@link MetaStoreNode.Configuration}, so the {@code metastore.*} system properties
 * still apply.
 * <p>
 * Exit status: 0 after a requested shutdown (SIGINT, SIGTERM, or a cluster shutdown requested with ClusterTool);
 * 1 when the node could not start (its directories are in use by a live process, a bad setting, ...) or stopped on
 * a fatal error, with {@code Error: ...} naming the reason on stderr after the error log. A node whose thread dies
 * fails stop: everything else is closed and the process exits, so a supervisor that restarts on failure restarts it.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run one member of a MetaStore cluster until SIGINT or SIGTERM.")
final class ServerCommand implements Callable<Integer>
{
    /**
     * A node that failed may have a thread stuck where closing cannot stop it; the process must exit all the same.
     */
    static final long FAIL_STOP_CLOSE_TIMEOUT_MS = 20_000;

    /**
     * Signals that ask the server to stop. They are handled here rather than by the JVM's shutdown, which would
     * make the process exit with 128 + the signal's number whatever the outcome.
     */
    private static final String[] SHUTDOWN_SIGNALS = { "INT", "TERM" };

    @Spec
    private CommandSpec spec;

    @Mixin
    private MemberOptions member;

    @Option(
        names = "--base-port",
        paramLabel = "<port>",
        description = "First port of the cluster; member i's clients connect to base port + 10 i " +
            "(default: ${DEFAULT-VALUE}).")
    private int basePort = MetaStoreNode.Configuration.basePort();

    @Option(
        names = "--cluster-id",
        paramLabel = "<id>",
        description = "Id of the cluster, in every response header; recorded with the data at the first start, " +
            "and a start with another id is refused (default: ${DEFAULT-VALUE}).")
    private int clusterId = MetaStoreNode.Configuration.clusterId();

    @Option(
        names = "--idle",
        paramLabel = "BACKOFF|LOW_LATENCY",
        description = "How the node's threads wait for work: BACKOFF parks, LOW_LATENCY yields and keeps a core " +
            "busy (default: ${DEFAULT-VALUE}).")
    private IdleProfile idleProfile = MetaStoreNode.Configuration.idleProfile();

    // The two switches are null unless given: picocli sets a negatable option to the opposite of its default, so a
    // default read from a system property that says true would turn --fsync into fsync off.
    @Option(
        names = "--archive-on-consensus-thread",
        negatable = true,
        description = "Run the archive on the consensus module's thread: two hand-offs fewer per write, and a " +
            "leader whose disk stalls stops heartbeating, so the others elect another (default: " +
            MetaStoreNode.Configuration.ARCHIVE_ON_CONSENSUS_THREAD_DEFAULT + ", or " +
            MetaStoreNode.Configuration.ARCHIVE_ON_CONSENSUS_THREAD_PROP_NAME + ").")
    private Boolean archiveOnConsensusThread;

    @Option(
        names = "--fsync",
        negatable = true,
        description = "Sync the log to disk before an entry counts as written (default: " +
            MetaStoreNode.Configuration.FSYNC_DEFAULT + ", or " + MetaStoreNode.Configuration.FSYNC_PROP_NAME + ").")
    private Boolean fsync;

    @Option(
        names = "--log-term-length",
        paramLabel = "<bytes>",
        converter = SizeConverter.class,
        description = "Term length of the log, a power of two such as 16m; the largest request is an eighth of it " +
            "(default: ${DEFAULT-VALUE}).")
    private int logTermLength = MetaStoreNode.Configuration.logTermLength();

    @Option(
        names = "--max-key-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.class,
        description = "Largest key (default: ${DEFAULT-VALUE}).")
    private int maxKeyBytes = MetaStoreNode.Configuration.maxKeyBytes();

    @Option(
        names = "--max-value-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.class,
        description = "Largest value (default: ${DEFAULT-VALUE}).")
    private int maxValueBytes = MetaStoreNode.Configuration.maxValueBytes();

    @Option(
        names = "--log-fragment-limit",
        paramLabel = "<n>",
        description = "Log entries applied per poll, and so per RocksDB write (default: ${DEFAULT-VALUE}).")
    private int logFragmentLimit = MetaStoreNode.Configuration.logFragmentLimit();

    @Option(
        names = "--snapshot-log-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.Bytes.class,
        description = "Log growth between two snapshots the leader takes, bounding the log a restart replays; " +
            "0 turns them off (default: ${DEFAULT-VALUE}).")
    private long snapshotLogBytes = MetaStoreNode.Configuration.snapshotLogBytes();

    @Option(
        names = "--log-retention-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.BytesOrAll.class,
        description = "Recorded log kept before the newest snapshot, older log purged a segment at a time: how far " +
            "a member may fall behind and still catch up from the leader; once anything is purged, a member that " +
            "lost its log cannot fetch it whole again. all (-1) keeps the whole log (default: ${DEFAULT-VALUE}).")
    private long logRetentionBytes = MetaStoreNode.Configuration.logRetentionBytes();

    @Option(
        names = "--log-retention-period",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description = "Recorded log before the newest snapshot kept while younger than this, e.g. 24h: log before " +
            "the newest snapshot taken at least this long ago is purged. With --log-retention-bytes, what either " +
            "keeps is kept (default: no period).")
    private Long logRetentionPeriodNs;

    @Option(
        names = "--disk-alarm-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.Bytes.class,
        description = "Free space on the data directory's file system below which this member raises the NOSPACE " +
            "alarm and the cluster refuses puts; 0 turns it off (default: ${DEFAULT-VALUE}).")
    private long diskAlarmBytes = MetaStoreNode.Configuration.diskAlarmBytes();

    @Option(
        names = "--disk-reserve-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.Bytes.class,
        description = "Free space below which this member stops (exit 1), and will not start, rather than meet a " +
            "full disk half way through a write; 0 turns it off (default: ${DEFAULT-VALUE}).")
    private long diskReserveBytes = MetaStoreNode.Configuration.diskReserveBytes();

    @Option(
        names = "--quota-backend-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.Bytes.class,
        description = "Size of the store above which this member raises the NOSPACE alarm, as etcd's; compact the " +
            "history, then disarm it. 0 for no quota (default: ${DEFAULT-VALUE}).")
    private long quotaBackendBytes = MetaStoreNode.Configuration.quotaBackendBytes();

    @Option(
        names = "--auto-compaction-mode",
        paramLabel = "periodic|revision",
        description = "What --auto-compaction-retention counts, as etcd's: periodic keeps a period of history, " +
            "revision a number of revisions (default: ${DEFAULT-VALUE}).")
    private String autoCompactionMode = MetaStoreNode.Configuration.autoCompactionMode();

    @Option(
        names = "--auto-compaction-retention",
        paramLabel = "<retention>",
        description = "History kept by automatic compaction, as etcd's: a duration for periodic (30m, 1h, 10s; a " +
            "bare number is hours), a number of revisions for revision; 0 turns it off (default: ${DEFAULT-VALUE}).")
    private String autoCompactionRetention = MetaStoreNode.Configuration.autoCompactionRetention();

    @Option(
        names = "--liveness-timeout",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description = "Longest the node's threads or the whole process may stall (GC, VM pause, SIGSTOP) before the " +
            "node is declared dead and exits, e.g. 8s (default: " +
            MetaStoreNode.Configuration.LIVENESS_TIMEOUT_MS_DEFAULT + "ms).")
    private long livenessTimeoutNs = TimeUnit.MILLISECONDS.toNanos(MetaStoreNode.Configuration.livenessTimeoutMs());

    @Option(
        names = "--metrics-port",
        paramLabel = "<port>",
        description = "TCP port of the member's metrics in Prometheus' text format (GET /metrics); 0 for none " +
            "(default: ${DEFAULT-VALUE}).")
    private int metricsPort = MetaStoreNode.Configuration.metricsPort();

    @Option(
        names = "--metrics-host",
        paramLabel = "<address>",
        description = "Address the metrics endpoint binds to; loopback unless scraped from another host " +
            "(default: ${DEFAULT-VALUE}).")
    private String metricsHost = MetaStoreNode.Configuration.metricsHost();

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final MetaStoreNode.Context ctx = context();

        final AtomicBoolean isStoppedByNode = new AtomicBoolean();
        MetaStoreNode node = null;
        final SignalHandler[] previousHandlers = new SignalHandler[SHUTDOWN_SIGNALS.length];
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            for (int i = 0; i < SHUTDOWN_SIGNALS.length; i++)
            {
                previousHandlers[i] = Signal.handle(new Signal(SHUTDOWN_SIGNALS[i]), (signal) -> barrier.signal());
            }
            node = MetaStoreNode.launch(ctx
                .readyHook(() -> printListening(out, ctx))
                .terminationHook(() ->
                {
                    isStoppedByNode.set(true);
                    barrier.signal();
                }));
            barrier.await();
            if (isStoppedByNode.get())
            {
                haltIfCloseHangs(err);
            }
            RuntimeException closeError = null;
            try
            {
                node.close();
            }
            catch (final RuntimeException ex)
            {
                closeError = ex;
            }

            final Throwable fatalError = node.fatalError();
            if (null != fatalError)
            {
                if (null != closeError)
                {
                    // Expected after a storage failure (a full disk fails the flush on close too): the reason is below.
                    err.println("Error: closing after the failure: " + MetaStoreCli.errorMessage(closeError));
                }
                err.println("Error: fatal: " + fatalError);
                return ExitCode.SOFTWARE;
            }
            if (null != closeError)
            {
                throw closeError;
            }

            return ExitCode.OK;
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(node);
            // A fatal error while the node was still starting (it may serve before its launch returns) is the reason
            // the launch failed: say it as a fatal stop is said.
            final Throwable fatalError = null == ctx.errorHandler() ? null : ctx.errorHandler().fatalError();
            err.println(null != fatalError ? "Error: fatal: " + fatalError : "Error: " + MetaStoreCli.errorMessage(ex));
            return ExitCode.SOFTWARE;
        }
        finally
        {
            for (int i = 0; i < SHUTDOWN_SIGNALS.length; i++)
            {
                if (null != previousHandlers[i])
                {
                    Signal.handle(new Signal(SHUTDOWN_SIGNALS[i]), previousHandlers[i]);
                }
            }
            out.flush();
            err.flush();
        }
    }

    /**
     * The line scripts and tests wait for, printed once the member can serve: its log replayed, and a leader or a
     * follower of one. A member that cannot reach a quorum never prints it; the node's log says what it waits for.
     */
    /**
     * @return the node's context from the flags given, each flag not given taken from its system property or default.
     */
    MetaStoreNode.Context context()
    {
        return new MetaStoreNode.Context()
            .memberId(member.memberId)
            .members(member.members)
            .basePort(basePort)
            .clusterId(clusterId)
            .dataDir(member.dataDir)
            .idleProfile(idleProfile)
            .fsync(null == fsync ? MetaStoreNode.Configuration.fsync() : fsync)
            .archiveOnConsensusThread(null == archiveOnConsensusThread ?
                MetaStoreNode.Configuration.archiveOnConsensusThread() : archiveOnConsensusThread)
            .logTermLength(logTermLength)
            .maxKeyBytes(maxKeyBytes)
            .maxValueBytes(maxValueBytes)
            .logFragmentLimit(logFragmentLimit)
            .livenessTimeoutMs(TimeUnit.NANOSECONDS.toMillis(livenessTimeoutNs))
            .snapshotLogBytes(snapshotLogBytes)
            .logRetentionBytes(logRetentionBytes)
            .logRetentionPeriodMs(null == logRetentionPeriodNs ? MetaStoreNode.Configuration.logRetentionPeriodMs() :
                TimeUnit.NANOSECONDS.toMillis(logRetentionPeriodNs))
            .diskAlarmBytes(diskAlarmBytes)
            .diskReserveBytes(diskReserveBytes)
            .quotaBackendBytes(quotaBackendBytes)
            .autoCompaction(autoCompactionMode, autoCompactionRetention)
            .metricsPort(metricsPort)
            .metricsHost(metricsHost);
    }

    private static void printListening(final PrintWriter out, final MetaStoreNode.Context ctx)
    {
        out.println("metastore member " + ctx.memberId() + " of " + ctx.memberHosts().size() +
            " listening on " + ctx.memberHost() + ":" +
            ClusterMembers.port(ctx.basePort(), ctx.memberId(), ClusterMembers.INGRESS_OFFSET) +
            " (data " + ctx.nodeDir() + ")");
        out.flush();
    }

    private static void haltIfCloseHangs(final PrintWriter err)
    {
        final Thread watchdog = new Thread(
            () ->
            {
                try
                {
                    Thread.sleep(FAIL_STOP_CLOSE_TIMEOUT_MS);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                err.println("Error: fatal: the node did not close within " + FAIL_STOP_CLOSE_TIMEOUT_MS + " ms");
                err.flush();
                Runtime.getRuntime().halt(ExitCode.SOFTWARE);
            },
            "metastore-fail-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
