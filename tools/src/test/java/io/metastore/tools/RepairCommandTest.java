package io.metastore.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code metastore repair} refuses, on node directories with no node running.
 */
class RepairCommandTest
{
    private static final String MEMBERS = "localhost,localhost,localhost";

    private static final byte[] NO_STDIN = new byte[0];

    @TempDir
    File dataDir;

    @Test
    void shouldRefuseWhileAProcessHoldsTheNode() throws IOException
    {
        final File nodeDir = nodeDirWithState(1);
        try (FileChannel channel = FileChannel.open(new File(nodeDir, RepairCommand.LOCK_FILE_NAME).toPath(),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock())
        {
            assertNotNull(lock);
            final CliRun run = CliRun.execute(
                NO_STDIN, "repair", "--discard", "--yes", "--member-id", "1", "--members", MEMBERS,
                "--data-dir", dataDir.getPath());

            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("stop the node first"), run::toString);
            assertTrue(new File(nodeDir, "rocksdb").isDirectory());
        }
    }

    @Test
    void shouldRefuseToDiscardTheOnlyMemberWithoutForce()
    {
        final File nodeDir = nodeDirWithState(0);

        final CliRun refused = CliRun.execute(
            NO_STDIN, "repair", "--discard", "--yes", "--data-dir", dataDir.getPath());

        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("single-member cluster"), refused::toString);
        assertTrue(new File(nodeDir, "archive").isDirectory());

        final CliRun forced = CliRun.execute(
            NO_STDIN, "repair", "--discard", "--yes", "--force", "--data-dir", dataDir.getPath());

        assertEquals(0, forced.exitCode(), forced::toString);
        for (final String name : List.of("archive", "cluster", "rocksdb"))
        {
            assertFalse(new File(nodeDir, name).exists(), name);
        }
    }

    @Test
    void shouldFindNothingToRepairWithoutAnArchive()
    {
        nodeDirWithState(0);

        final CliRun run = CliRun.execute(NO_STDIN, "repair", "--data-dir", dataDir.getPath());

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("nothing to repair"), run::toString);
    }

    @Test
    void shouldFailWithoutANodeDirectory()
    {
        final CliRun run = CliRun.execute(NO_STDIN, "repair", "--member-id", "2", "--data-dir", dataDir.getPath());

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("no node directory"), run::toString);
    }

    private File nodeDirWithState(final int memberId)
    {
        final File nodeDir = new File(dataDir, "node-" + memberId);
        for (final String name : List.of("archive", "cluster", "rocksdb"))
        {
            assertTrue(new File(nodeDir, name).mkdirs());
        }

        return nodeDir;
    }
}
