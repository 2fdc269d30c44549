package io.metastore.tools.log;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code log dump|replay}: a member's recorded log, read offline, as etcd's {@code etcd-dump-logs} and Kafka's
 * {@code kafka-dump-log} read theirs.
 */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = {
        "Read a member's recorded log offline: the member stopped, or a copy of its directory.",
        "dump prints its entries, each request decoded with what it produced; replay rebuilds the state the member " +
            "held at a position, revision or time into a new directory."
    },
    subcommands = {
        LogDumpCommand.class,
        LogReplayCommand.class
    })
public final class LogCommand implements Runnable
{
    static
    {
        // The service says what a member does as it starts (snapshot loaded, terms): noise in a dump or a replay.
        System.setProperty("org.slf4j.simpleLogger.log.io.metastore.node.service", "warn");
    }

    @Spec
    private CommandSpec spec;

    /**
     * Without a sub-verb there is nothing to do: a usage error.
     */
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
