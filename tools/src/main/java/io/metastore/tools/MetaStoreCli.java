package io.metastore.tools;

import io.aeron.exceptions.AeronException;
import io.metastore.client.MetaStoreClient;
import io.metastore.concurrent.TimerSlackIdleStrategy;
import io.metastore.config.SettingNames;
import io.metastore.node.MetaStoreNode;
import io.metastore.tools.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The {@code metastore} command line: {@code server} runs a node, {@code repair} mends a stopped one's log;
 * {@code put}, {@code get}, {@code del}, {@code txn}, {@code lease} and {@code alarm} talk to a cluster as etcdctl
 * does. Exit code 0 on success, 1 when a request fails, 2 on bad usage.
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
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class MetaStoreCli implements Runnable
{
    /**
     * Exit code of a command line that cannot run as given, etcdctl's {@code ExitBadArgs}.
     */
    static final int BAD_ARGUMENTS_EXIT_CODE = 128;

    private final InputStream stdin;

    @Spec
    private CommandSpec spec;

    /**
     * A command line that reads values from {@link System#in}.
     */
    public MetaStoreCli()
    {
        this(System.in);
    }

    /**
     * @param stdin where {@code put} reads a value that is not given as an argument, and {@code txn} its input.
     */
    public MetaStoreCli(final InputStream stdin)
    {
        this.stdin = stdin;
    }

    /**
     * @return where {@code put} reads a value that is not given as an argument.
     */
    InputStream stdin()
    {
        return stdin;
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
        String message = throwable.getMessage();
        if (null == message)
        {
            return throwable.toString();
        }
        if (throwable instanceof AeronException aeronException)
        {
            final String prefix = aeronException.category() + " - ";
            if (message.startsWith(prefix))
            {
                message = message.substring(prefix.length());
            }
        }

        return message;
    }

    /**
     * @param properties the JVM was given.
     * @return the error for a {@code metastore.*} property that no setting of the node, the client or their idle
     * strategy knows, or null.
     */
    static String unknownSetting(final Properties properties)
    {
        return SettingNames.findUnknown(properties, SettingNames.PREFIX, SettingNames.declaredBy(
            MetaStoreNode.Configuration.class, MetaStoreClient.Configuration.class, TimerSlackIdleStrategy.class));
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
            System.exit(BAD_ARGUMENTS_EXIT_CODE);
        }
        final int exitCode = new CommandLine(new MetaStoreCli()).setOut(out).setErr(err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /**
     * The version from the jar's manifest.
     */
    static final class VersionProvider implements CommandLine.IVersionProvider
    {
        /**
         * {@inheritDoc}
         */
        public String[] getVersion()
        {
            final String version = MetaStoreCli.class.getPackage().getImplementationVersion();
            return new String[]{ "metastore " + (null != version ? version : "(development build)") };
        }
    }
}
