package io.metastore.tools;

import io.aeron.exceptions.AeronException;
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
     * Run a verb and exit with its exit code. Output is UTF-8 whatever the platform's default charset.
     *
     * @param args of the command line.
     */
    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        final PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        final int exitCode = commandLine(new MetaStoreCli(), args).setOut(out).setErr(err).execute(args);
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
