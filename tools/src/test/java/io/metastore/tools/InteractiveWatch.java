package io.metastore.tools;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code metastore watch -i} running against a node in this JVM, fed commands line by line through its stdin and read
 * line by line as it prints; closing its stdin ends it.
 */
final class InteractiveWatch
{
    private final PipedOutputStream commands = new PipedOutputStream();
    private final LineQueueOutput out = new LineQueueOutput();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exitCode;

    InteractiveWatch(final CliNode node) throws IOException
    {
        final PipedInputStream stdin = new PipedInputStream(commands);
        exitCode = CompletableFuture.supplyAsync(() -> MetaStoreCli.commandLine(
                new MetaStoreCli(stdin, out, Map.of()),
                new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(err, true))
            .execute(node.withEndpoints("watch", "-i")));
    }

    /**
     * @param line a command, without its line end.
     */
    void send(final String line) throws IOException
    {
        commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }

    /**
     * @param count of lines to wait for.
     * @return the next lines printed.
     */
    List<String> awaitLines(final int count) throws InterruptedException
    {
        final List<String> printed = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            printed.add(out.awaitLine("line " + (printed.size() + 1) + " of " + count + ", stderr: " + err));
        }
        return printed;
    }

    /**
     * Close stdin and wait for the verb to end.
     *
     * @return its exit code.
     */
    int end() throws Exception
    {
        commands.close();
        return exitCode.get(30, TimeUnit.SECONDS);
    }

    /**
     * @return what the verb printed on stderr so far.
     */
    String err()
    {
        return err.toString();
    }
}
