package io.metastore.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The command line {@link MetaStoreCli#main(String[])} runs: built for the verb named, which parses and prints as the
 * whole tree of verbs does, and whole for anything else.
 */
class VerbCommandLineTest
{
    private static final List<List<String>> NO_CONNECTION_NEEDED = List.of(
        List.of("get", "--help"),
        List.of("get"),
        List.of("get", "k", "--bogus"),
        List.of("get", "k", "--consistency", "x"),
        List.of("put", "-h"),
        List.of("put", "k", "v", "--lease", "xyz"),
        List.of("del", "--help"),
        List.of("txn", "extra"),
        List.of("lease", "--help"),
        List.of("lease", "renew", "1f"),
        List.of("lease", "grant"),
        List.of("alarm", "list", "--help"),
        List.of("server", "--help"),
        List.of("repair", "--help"),
        List.of("bench", "--help"),
        List.of("get", "--version"));

    @Test
    void shouldBuildOnlyTheVerbNamedFirst()
    {
        assertEquals(Set.of("get"), verbs("get", "k", "--endpoints", "localhost:1"));
        assertEquals(Set.of("lease"), verbs("lease", "grant", "10"));
        assertEquals(Set.of("server"), verbs("server", "--help"));
    }

    @Test
    void shouldBuildEveryVerbForAnythingElse()
    {
        final Set<String> every = new CommandLine(new MetaStoreCli()).getSubcommands().keySet();

        assertEquals(every, verbs("--help"));
        assertEquals(every, verbs("--version"));
        assertEquals(every, verbs("help", "get"));
        assertEquals(every, verbs("gte", "k"));
        assertEquals(every, verbs());
    }

    @Test
    void shouldParseAndPrintAsTheWholeTreeDoes()
    {
        for (final List<String> args : NO_CONNECTION_NEEDED)
        {
            final String[] argv = args.toArray(new String[0]);
            final CliRun whole = run(new MetaStoreCli(new ByteArrayInputStream(new byte[0])), argv);
            final CliRun verb = CliRun.execute(new byte[0], argv);

            assertEquals(whole.exitCode(), verb.exitCode(), () -> String.join(" ", args));
            assertEquals(whole.out(), verb.out(), () -> String.join(" ", args));
            assertEquals(whole.err(), verb.err(), () -> String.join(" ", args));
        }
    }

    private static Set<String> verbs(final String... args)
    {
        return MetaStoreCli.commandLine(new MetaStoreCli(), args).getSubcommands().keySet();
    }

    /**
     * Run the whole tree of verbs, with main's printing and usage handling.
     */
    private static CliRun run(final MetaStoreCli cli, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        final int exitCode = MetaStoreCli.commandLine(cli, outWriter, new PrintWriter(err, true)).execute(args);
        outWriter.flush();

        return new CliRun(exitCode, out.toByteArray(), err.toString());
    }
}
