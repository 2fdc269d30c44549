package io.metastore.tools;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code metastore snapshot}: save from a running node, status, restore into a new data directory that a node then
 * serves at the saved revision, a damaged file refused with a one-line error, and a snapshot on request.
 */
@Timeout(120)
class SnapshotCliTest
{
    private static final int BASE_PORT = 43500 + (int)(ProcessHandle.current().pid() % 20) * 20;

    @TempDir
    File tempDir;

    @Test
    void shouldSaveShowAndRestoreASnapshotThatANewNodeServes() throws IOException
    {
        final File file = new File(tempDir, "backup.snapshot");
        final File restoredDir = new File(tempDir, "restored");
        final long revision;
        final String statusDigest;
        CliNode restored = null;
        try (CliNode original = CliNode.start(BASE_PORT, new File(tempDir, "original")))
        {
            assertSuccess(original.client("put", "greeting", "hello"));
            assertSuccess(original.client("put", "greeting", "hola"));
            assertSuccess(original.client("put", "job/1", "queued"));
            assertSuccess(original.client("del", "job/1"));
            assertSuccess(original.client("put", "job/2", "running"));

            final CliRun save = original.client("snapshot", "save", file.getPath());
            assertSuccess(save);
            assertEquals("Snapshot saved at " + file.getPath(), save.outLines().get(0), save::toString);
            // As etcdctl: saved beside it, then renamed over it.
            assertSuccess(original.client("snapshot", "save", file.getPath()));
            assertFalse(new File(file.getPath() + ".part").exists(), "no part file left");
            final CliRun nowhere = original.client("snapshot", "save", new File(tempDir, "none/x.db").getPath());
            assertEquals(ExitCodes.ERROR, nowhere.exitCode(), nowhere::toString);
            assertTrue(nowhere.err().contains("no directory"), nowhere::toString);

            final CliRun status = CliRun.execute(new byte[0], "snapshot", "status", file.getPath(), "-w", "json");
            assertSuccess(status);
            final Map<String, Object> json = TinyJson.object(TinyJson.parse(status.out()));
            revision = ((Number)json.get("revision")).longValue();
            assertEquals(5, revision, status::toString);
            assertEquals(2, ((Number)json.get("totalKey")).longValue(), status::toString);
            assertEquals(Files.size(file.toPath()), ((Number)json.get("totalSize")).longValue(), status::toString);
            statusDigest = (String)json.get("digest");

            final CliRun table = CliRun.execute(new byte[0], "snapshot", "status", file.getPath(), "-w", "table");
            assertSuccess(table);
            assertTrue(table.outLines().get(1).contains("REVISION"), table::toString);

            final CliRun taken = original.client("snapshot", "take");
            assertSuccess(taken);
            assertTrue(taken.out().startsWith("Snapshot taken by member 0 at log position "), taken::toString);
        }

        try
        {
            final CliRun restore = CliRun.execute(
                new byte[0], "snapshot", "restore", file.getPath(), "--data-dir", restoredDir.getPath());
            assertSuccess(restore);
            assertTrue(restore.out().contains("revision " + revision + ", 2 keys, state digest " + statusDigest),
                restore::toString);
            final CliRun twice = CliRun.execute(
                new byte[0], "snapshot", "restore", file.getPath(), "--data-dir", restoredDir.getPath());
            assertEquals(ExitCodes.ERROR, twice.exitCode(), twice::toString);
            assertTrue(twice.err().contains("is not empty"), twice::toString);

            restored = CliNode.start(BASE_PORT + 10, restoredDir);
            assertEquals("hola", CliNode.onlyKv(restored.client("get", "greeting", "-w", "jsontext")).get("value"));
            assertEquals("hello",
                CliNode.onlyKv(restored.client("get", "greeting", "--rev", "1", "-w", "jsontext")).get("value"));
            final CliRun put = restored.client("put", "after", "restore", "-w", "json");
            assertSuccess(put);
            final Map<String, Object> header =
                TinyJson.object(TinyJson.object(TinyJson.parse(put.out())).get("header"));
            assertEquals(revision + 1, ((Number)header.get("revision")).longValue(), put::toString);
        }
        finally
        {
            CloseHelper.close(restored);
        }
    }

    @Test
    void shouldRefuseADamagedFileWithAOneLineError() throws IOException
    {
        final File file = new File(tempDir, "backup.snapshot");
        try (CliNode node = CliNode.start(BASE_PORT, new File(tempDir, "node")))
        {
            assertSuccess(node.client("put", "a", "1"));
            assertSuccess(node.client("snapshot", "save", file.getPath()));
        }
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.seek(raf.length() - 1);
            final int last = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(last ^ 1);
        }

        final CliRun status = CliRun.execute(new byte[0], "snapshot", "status", file.getPath());
        assertEquals(ExitCodes.ERROR, status.exitCode(), status::toString);
        assertTrue(status.err().startsWith("Error: " + file.getPath() + ": corrupted: checksum"), status::toString);
        assertEquals(1, status.err().lines().count(), status::toString);

        final File target = new File(tempDir, "restored");
        final CliRun restore = CliRun.execute(
            new byte[0], "snapshot", "restore", file.getPath(), "--data-dir", target.getPath());
        assertEquals(ExitCodes.ERROR, restore.exitCode(), restore::toString);
        assertEquals(status.err(), restore.err());
        assertFalse(new File(target, "node-0").exists(), "nothing restored");
    }

    private static void assertSuccess(final CliRun run)
    {
        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run::toString);
    }
}
