package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code alarm list|disarm}: etcdctl's alarm verbs. Members raise alarms themselves (a {@code NOSPACE} alarm when
 * their disk runs low); the command line lists and clears them.
 */
@Command(
    name = "alarm",
    mixinStandardHelpOptions = true,
    description = "List and disarm alarms. While a NOSPACE alarm is active the cluster refuses puts, " +
        "transactions with a put and lease grants.",
    subcommands = {
        AlarmCommand.List.class,
        AlarmCommand.Disarm.class
    })
final class AlarmCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    /**
     * Without a sub-verb there is nothing to do: a usage error.
     */
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * {@code alarm list}.
     */
    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the active alarms of every member. Prints: memberID:<id> alarm:<type> per alarm, " +
            "nothing when none is active.")
    static final class List extends ClientCommand
    {
        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            printer.alarms(client.alarmList());
        }
    }

    /**
     * {@code alarm disarm}.
     */
    @Command(name = "disarm", mixinStandardHelpOptions = true,
        description = "Clear every active alarm of every member. Prints the alarms cleared, as alarm list does.")
    static final class Disarm extends ClientCommand
    {
        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            printer.alarms(client.alarmDisarm());
        }
    }
}
