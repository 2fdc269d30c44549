package io.metastore.tools;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;

import static io.metastore.test.Tests.await;
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
        final InteractiveWatch watch = new InteractiveWatch(node);
        try
        {
            node.client("put", "w/a", "1");
            watch.send("watch w/ --prefix --prev-kv");
            watch.send("progress");
            final String progress = watch.awaitLines(1).get(0);
            assertTrue(progress.startsWith("progress notify: "), progress);

            node.client("put", "w/a", "2");
            node.client("put", "other", "x");
            node.client("del", "w/a");
            assertEquals(List.of("PUT", "w/a", "1", "w/a", "2", "DELETE", "w/a", "2", "w/a", ""),
                watch.awaitLines(10));

            watch.send("nonsense");
            watch.send("watch");
            watch.send("cancel 0");
        }
        finally
        {
            assertEquals(0, watch.end(), watch::err);
        }
        assertTrue(watch.err().contains("Invalid command nonsense"), watch::err);
        assertTrue(watch.err().contains("Invalid command: watch takes a key\n"), watch::err);
    }

    @Test
    void shouldPrintEtcdctlsLineForAWatchTheMemberCancelsAndKeepTakingCommands() throws Exception
    {
        node.client("put", "c/a", "1");
        node.client("put", "c/a", "2");
        assertEquals(0, node.client("compaction", "2").exitCode());
        final InteractiveWatch watch = new InteractiveWatch(node);
        try
        {
            watch.send("watch z a");
            await("the inverted range canceled", () -> watch.err().contains(
                "watch was canceled (mvcc: watcher range is empty)\n"));
            watch.send("watch c/a --rev 1");
            await("the compacted start canceled", () -> watch.err().contains(
                "watch was canceled (etcdserver: mvcc: required revision has been compacted)\n"));

            watch.send("watch c/ --prefix");
            node.client("put", "c/b", "3");
            assertEquals(List.of("PUT", "c/b", "3"), watch.awaitLines(3));
        }
        finally
        {
            assertEquals(0, watch.end(), watch::err);
        }
    }
}
