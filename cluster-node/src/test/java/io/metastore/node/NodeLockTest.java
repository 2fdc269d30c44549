package io.metastore.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeLockTest
{
    @TempDir
    File dir;

    @Test
    void shouldRefuseANodeDirectoryLockedByAnotherOwnerNamingTheOwner()
    {
        final File nodeDir = new File(dir, "node-0");
        try (NodeLock ignored = NodeLock.acquire(nodeDir, new File(dir, "aeron-a").getPath()))
        {
            final NodeLockedException ex = assertThrows(
                NodeLockedException.class, () -> NodeLock.acquire(nodeDir, new File(dir, "aeron-b").getPath()));
            assertTrue(ex.getMessage().startsWith("node directory " + nodeDir + " is in use by a running MetaStore " +
                "process (pid=" + ProcessHandle.current().pid()), ex.getMessage());
            assertThrows(NodeLockedException.class,
                () -> NodeLock.acquire(nodeDir, new File(dir, "aeron-c").getPath()), "still locked after a refusal");
        }
    }

    @Test
    void shouldRefuseADriverDirectoryLockedByAnotherNodeAndReleaseTheNodeDirectory()
    {
        final String aeronDir = new File(dir, "aeron").getPath();
        final File otherNodeDir = new File(dir, "other");
        try (NodeLock ignored = NodeLock.acquire(new File(dir, "node-0"), aeronDir))
        {
            final NodeLockedException ex = assertThrows(
                NodeLockedException.class, () -> NodeLock.acquire(otherNodeDir, aeronDir));
            assertTrue(ex.getMessage().startsWith("media driver directory " + aeronDir), ex.getMessage());
            NodeLock.acquire(otherNodeDir, new File(dir, "aeron-2").getPath()).close();
        }
    }

    @Test
    void shouldLockAgainOnceReleased()
    {
        final File nodeDir = new File(dir, "node-0");
        final String aeronDir = new File(dir, "aeron").getPath();
        NodeLock.acquire(nodeDir, aeronDir).close();
        NodeLock.acquire(nodeDir, aeronDir).close();

        assertEquals(0, nodeDir.list().length, "lock file left in the node directory");
        assertFalse(new File(aeronDir + NodeLock.AERON_DIR_SUFFIX).exists(), "lock file left beside the driver's");
    }
}
