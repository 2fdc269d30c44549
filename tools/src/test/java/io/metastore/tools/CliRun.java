package io.metastore.tools;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One run of the command line in-process: its exit code and what it printed on stdout and stderr.
 *
 * @param exitCode of the run.
 * @param outBytes printed on stdout, byte for byte.
 * @param err      printed on stderr.
 */
record CliRun(int exitCode, byte[] outBytes, String err)
{
    static CliRun execute(final byte[] stdin, final String... args)
    {
        return execute(stdin, Map.of(), args);
    }

    static CliRun execute(final byte[] stdin, final Map<String, String> environment, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final MetaStoreCli cli = new MetaStoreCli(new ByteArrayInputStream(stdin), out, environment);
        final PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        // As main runs it: only the verb named first is built.
        final int exitCode =
            MetaStoreCli.commandLine(cli, args, outWriter, new PrintWriter(err, true)).execute(args);
        outWriter.flush();

        return new CliRun(exitCode, out.toByteArray(), err.toString());
    }

    /**
     * @return stdout decoded as UTF-8.
     */
    String out()
    {
        return new String(outBytes, StandardCharsets.UTF_8);
    }

    List<String> outLines()
    {
        return out().lines().toList();
    }

    @Override
    public String toString()
    {
        return "exit code " + exitCode + "\n--- stdout\n" + out() + "--- stderr\n" + err;
    }
}
