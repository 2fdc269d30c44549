package io.metastore.tools;

import io.metastore.node.ClusterMembers;
import io.metastore.node.IdleProfile;
import io.metastore.node.MetaStoreNode;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code server}: run one member of a cluster until SIGINT or SIGTERM, or until the cluster terminates it.
 * Every flag defaults to the node's {@link MetaStoreNode.Context}, so the {@code metastore.*} system properties
 * still apply.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run one member of a MetaStore cluster until SIGINT or SIGTERM.")
final class ServerCommand implements Callable<Integer>
{
    private final MetaStoreNode.Context defaults = new MetaStoreNode.Context();

    @Spec
    private CommandSpec spec;

    @Option(
        names = "--member-id",
        paramLabel = "<id>",
        description = "Id of this member, its index in --members (default: ${DEFAULT-VALUE}).")
    private int memberId = defaults.memberId();

    @Option(
        names = "--members",
        paramLabel = "<host,...>",
        description = "Hosts of the 1, 3 or 5 members, member 0 first (default: ${DEFAULT-VALUE}).")
    private String members = defaults.members();

    @Option(
        names = "--base-port",
        paramLabel = "<port>",
        description = "First port of the cluster; member i's clients connect to base port + 10 i " +
            "(default: ${DEFAULT-VALUE}).")
    private int basePort = defaults.basePort();

    @Option(
        names = "--data-dir",
        paramLabel = "<dir>",
        description = "Parent of the node's directory node-<id> (default: ${DEFAULT-VALUE}).")
    private File dataDir = defaults.dataDir();

    @Option(
        names = "--idle",
        paramLabel = "BACKOFF|LOW_LATENCY",
        description = "How the node's threads wait for work: BACKOFF parks, LOW_LATENCY yields and keeps a core " +
            "busy (default: ${DEFAULT-VALUE}).")
    private IdleProfile idleProfile = defaults.idleProfile();

    @Option(
        names = "--fsync",
        negatable = true,
        description = "Sync the log to disk before an entry counts as written (default: ${DEFAULT-VALUE}).")
    private boolean fsync = defaults.fsync();

    @Option(
        names = "--log-term-length",
        paramLabel = "<bytes>",
        converter = SizeConverter.class,
        description = "Term length of the log, a power of two such as 16m; the largest request is an eighth of it " +
            "(default: ${DEFAULT-VALUE}).")
    private int logTermLength = defaults.logTermLength();

    @Option(
        names = "--max-key-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.class,
        description = "Largest key (default: ${DEFAULT-VALUE}).")
    private int maxKeyBytes = defaults.maxKeyBytes();

    @Option(
        names = "--max-value-bytes",
        paramLabel = "<bytes>",
        converter = SizeConverter.class,
        description = "Largest value (default: ${DEFAULT-VALUE}).")
    private int maxValueBytes = defaults.maxValueBytes();

    @Option(
        names = "--log-fragment-limit",
        paramLabel = "<n>",
        description = "Log entries applied per poll, and so per RocksDB write (default: ${DEFAULT-VALUE}).")
    private int logFragmentLimit = defaults.logFragmentLimit();

    /**
     * {@inheritDoc}
     */
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final MetaStoreNode.Context ctx = new MetaStoreNode.Context()
            .memberId(memberId)
            .members(members)
            .basePort(basePort)
            .dataDir(dataDir)
            .idleProfile(idleProfile)
            .fsync(fsync)
            .logTermLength(logTermLength)
            .maxKeyBytes(maxKeyBytes)
            .maxValueBytes(maxValueBytes)
            .logFragmentLimit(logFragmentLimit);

        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            MetaStoreNode node = MetaStoreNode.launch(ctx.terminationHook(barrier::signal)))
        {
            out.println("metastore member " + memberId + " of " + ctx.memberHosts().size() + " listening on " +
                ctx.memberHost() + ":" + ClusterMembers.port(basePort, memberId, ClusterMembers.INGRESS_OFFSET) +
                " (data " + node.nodeDir() + ")");
            out.flush();
            barrier.await();
            return ExitCode.OK;
        }
        catch (final RuntimeException ex)
        {
            err.println("Error: " + MetaStoreCli.errorMessage(ex));
            return ExitCode.SOFTWARE;
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }
}
