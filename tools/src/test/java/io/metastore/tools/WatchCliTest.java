package io.metastore.tools;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code watch} as etcdctl's, interactive: commands from stdin, each event printed as its type, its previous pair
 * with {@code --prev-kv}, then its pair, one field a line; {@code progress} prints the revision reached; the end of
 * stdin ends the verb.
 */
@Timeout(120)
class WatchCliTest
{
    private static final int BASE_PORT = 26300 + (int)(ProcessHandle.current().pid() % 50) * 100;

    @TempDir
    static File dataDir;

    private static CliNode node;

    @BeforeAll
    static void startNode()
    {
        node = CliNode.start(BASE_PORT, dataDir);
    }

    @AfterAll
    static void stopNode()
    {
        CloseHelper.quietClose(node);
    }

    @Test
    void shouldPrintEventsAsEtcdctlAndTakeCommandsFromStdin() throws Exception
    {
        final PipedOutputStream commands = new PipedOutputStream();
        final PipedInputStream stdin = new PipedInputStream(commands);
        final LineQueueOutput out = new LineQueueOutput();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> MetaStoreCli.commandLine(
                new MetaStoreCli(stdin, out, Map.of()),
                new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(err, true))
            .execute(node.withEndpoints("watch", "-i")));
        try
        {
            node.client("put", "w/a", "1");
            send(commands, "watch w/ --prefix --prev-kv\n");
            send(commands, "progress\n");
            final String progress = out.awaitLine("a progress notification, stderr: " + err);
            assertTrue(progress.startsWith("progress notify: "), progress);

            node.client("put", "w/a", "2");
            node.client("put", "other", "x");
            node.client("del", "w/a");
            final List<String> printed = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                printed.add(out.awaitLine("event line " + i + ", stderr: " + err));
            }
            assertEquals(List.of("PUT", "w/a", "1", "w/a", "2", "DELETE", "w/a", "2", "w/a", ""), printed);

            send(commands, "nonsense\n");
            send(commands, "cancel 0\n");
        }
        finally
        {
            commands.close();
        }

        assertEquals(0, exitCode.get(30, TimeUnit.SECONDS), () -> "stderr: " + err);
        assertTrue(err.toString().contains("Invalid command nonsense"), err::toString);
    }

    private static void send(final PipedOutputStream commands, final String line) throws IOException
    {
        commands.write(line.getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }
}
