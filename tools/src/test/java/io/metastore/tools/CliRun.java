package io.metastore.tools;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * One run of the command line in-process: its exit code and what it printed on stdout and stderr.
 *
 * @param exitCode of the run.
 * @param out      printed on stdout.
 * @param err      printed on stderr.
 */
record CliRun(int exitCode, String out, String err)
{
    static CliRun execute(final byte[] stdin, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = MetaStoreCli.commandLine(new MetaStoreCli(new ByteArrayInputStream(stdin)), args)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);

        return new CliRun(exitCode, out.toString(), err.toString());
    }

    List<String> outLines()
    {
        return out.lines().toList();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "exit code " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
