package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.concurrent.TimerSlackIdleStrategy;
import io.metastore.config.SettingNames;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.tools.bench.BenchCommand;
import io.metastore.tools.log.LogCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code metastore} command line: {@code server} runs a node, {@code repair} mends a stopped one's log;
 * {@code put}, {@code get}, {@code del}, {@code txn}, {@code lease} and {@code alarm} talk to a cluster as etcdctl
 * does, with its exit codes ({@link ExitCodes}), its output and its global flags before or after the verb.
 * <pre>{@code
 * metastore server --data-dir /var/lib/metastore &
 * metastore put greeting hello
 * metastore get greeting -w json
 * }</pre>
 */
@Command(
    name = "metastore",
    mixinStandardHelpOptions = true,
    versionProvider = MetaStoreCli.VersionProvider.class,
    description = "MetaStore: an etcd-style key-value store on Aeron Cluster and RocksDB.",
    subcommands = {
        ServerCommand.class,
        RepairCommand.class,
        PutCommand.class,
        GetCommand.class,
        DelCommand.class,
        TxnCommand.class,
        LeaseCommand.class,
        AlarmCommand.class,
        CompactionCommand.class,
        DefragCommand.class,
        WatchCommand.class,
        EndpointCommand.class,
        MemberCommand.class,
        LogCommand.class,
        SnapshotCommand.class,
        BenchCommand.class,
        VersionCommand.class,
        CommandLine.HelpCommand.class
    })
public final class MetaStoreCli implements Runnable
{
    private static final ClientOptions NO_GLOBAL_OPTIONS = new ClientOptions();

    private final InputStream stdin;
    private final OutputStream stdout;
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions globalOptions;

    /**
     * A command line on the process's {@link System#in}, {@link System#out} and environment.
     */
    public MetaStoreCli()
    {
        this(System.in, System.out, System.getenv());
    }

    /**
     * @param stdin where {@code put} reads a value that is not given as an argument, and {@code txn} its input.
     */
    public MetaStoreCli(final InputStream stdin)
    {
        this(stdin, System.out, System.getenv());
    }

    /**
     * @param stdin       where {@code put} reads a value that is not given as an argument, and {@code txn} its
     *                    input.
     * @param stdout      where client verbs print their results, byte for byte; the {@link CommandLine}'s out,
     *                    for help and prompts, must write onto the same stream.
     * @param environment the variables {@code METASTORE_ENDPOINTS}, {@code METASTORE_WRITE_OUT}, ... are read
     *                    from.
     */
    public MetaStoreCli(final InputStream stdin, final OutputStream stdout, final Map<String, String> environment)
    {
        this.stdin = stdin;
        this.stdout = stdout;
        this.environment = environment;
    }

    /**
     * The command line of a {@link MetaStoreCli}, with usage errors reported as etcdctl's: one line, a hint,
     * and etcdctl's exit code ({@link UsageErrorHandler}).
     *
     * @param cli to run.
     * @param out for help, usage and prompts; writes onto the cli's stdout.
     * @param err for errors.
     * @return the command line to {@link CommandLine#execute(String...)}.
     */
    public static CommandLine commandLine(final MetaStoreCli cli, final PrintWriter out, final PrintWriter err)
    {
        return withHandlers(new CommandLine(cli), out, err);
    }

    /**
     * The command line that runs these arguments as {@link #main} does: only the verb named first, when one is (see
     * {@link #commandLine(MetaStoreCli, String[])}), printing and reporting usage errors as etcdctl does.
     *
     * @param cli  the root command.
     * @param args to run.
     * @param out  where picocli prints usage and help.
     * @param err  where picocli prints errors.
     * @return the command line to execute.
     */
    static CommandLine commandLine(
        final MetaStoreCli cli, final String[] args, final PrintWriter out, final PrintWriter err)
    {
        return withHandlers(commandLine(cli, args), out, err);
    }

    private static CommandLine withHandlers(final CommandLine commandLine, final PrintWriter out, final PrintWriter err)
    {
        return commandLine
            .setOut(out)
            .setErr(err)
            .setParameterExceptionHandler(new UsageErrorHandler());
    }

    /**
     * @return where {@code put} reads a value that is not given as an argument.
     */
    InputStream stdin()
    {
        return stdin;
    }

    /**
     * @return where client verbs print their results.
     */
    OutputStream stdout()
    {
        return stdout;
    }

    /**
     * @return the environment the client flags' variables are read from.
     */
    Map<String, String> environment()
    {
        return environment;
    }

    /**
     * @return the client flags given before the verb.
     */
    ClientOptions globalOptions()
    {
        // Null when only the verb named first was built (see commandLine(cli, args)): then none came before it.
        return null != globalOptions ? globalOptions : NO_GLOBAL_OPTIONS;
    }

    /**
     * Without a verb there is nothing to do: a usage error.
     */
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * The message of a failure for {@code Error: <message>}, without the category prefix Aeron gives its own.
     *
     * @param throwable that failed the command.
     * @return a one line message.
     */
    static String errorMessage(final Throwable throwable)
    {
        return EtcdErrors.withoutAeronCategory(throwable);
    }

    /**
     * @param properties the JVM was given.
     * @return the error for a {@code metastore.*} property that no setting of the node, the client or their idle
     * strategy knows, or null.
     */
    static String unknownSetting(final Properties properties)
    {
        return SettingNames.findUnknown(properties, SettingNames.PREFIX, SettingNames.declaredBy(
            MetaStoreNode.Configuration.class, MetaStoreClient.Configuration.class, TimerSlackIdleStrategy.class,
            RocksDbStorage.class));
    }

    /**
     * Run a verb and exit with its exit code. Output is UTF-8 whatever the platform's default charset. A
     * {@code -Dmetastore.*} property that no setting knows stops it first.
     *
     * @param args of the command line.
     */
    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        final PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        final String unknownSetting = unknownSetting(System.getProperties());
        if (null != unknownSetting)
        {
            err.println("Error: " + unknownSetting);
            System.exit(ExitCodes.BAD_ARGS);
        }
        final int exitCode = commandLine(new MetaStoreCli(), args, out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /**
     * The command line to run these arguments with. Picocli inspects every verb's annotations when it builds a command
     * line, some 100 ms of a verb's start in a new JVM; so when the first argument names a verb, only that verb is
     * built, under a top level whose annotations are not inspected. Parsing and output are the same as with the whole
     * tree, which anything else gets: {@code --help}, {@code --version}, {@code help <verb>} or a mistyped verb.
     *
     * @param cli  the top level command, the parent of every verb.
     * @param args of the command line.
     * @return a command line that runs the arguments.
     */
    static CommandLine commandLine(final MetaStoreCli cli, final String[] args)
    {
        final Command top = MetaStoreCli.class.getAnnotation(Command.class);
        if (args.length > 0)
        {
            for (final Class<?> verb : top.subcommands())
            {
                if (verb != CommandLine.HelpCommand.class && verb.getAnnotation(Command.class).name().equals(args[0]))
                {
                    return new CommandLine(CommandSpec.wrapWithoutInspection(cli).name(top.name()))
                        .addSubcommand(new CommandLine(verb));
                }
            }
        }

        return new CommandLine(cli);
    }

    /**
     * The version from the jar's manifest.
     */
    static final class VersionProvider implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = MetaStoreCli.class.getPackage().getImplementationVersion();
            return new String[]{ "metastore " + (null != version ? version : "(development build)") };
        }
    }
}
