package io.metastore.tools.process;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Map;

import static io.metastore.test.Tests.await;
import static io.metastore.tools.process.ProcessTests.assertConverged;
import static io.metastore.tools.process.ProcessTests.assertServes;
import static io.metastore.tools.process.ProcessTests.basePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member's disk fills while the cluster takes writes, in follower and in leader role. Each member's data directory
 * is a small tmpfs of its own. Below the alarm threshold the member raises the NOSPACE alarm and the whole cluster
 * refuses puts while deletes go on; when its disk is full it stops with exit status 1; freed and restarted, it catches
 * up and clears its alarm. At the end every acknowledged write reads back and every member holds the same state.
 */
@Timeout(180)
class DiskFullTest
{
    private static final long MIB = 1024 * 1024;
    private static final long TMPFS_BYTES = 96 * MIB;
    private static final long ALARM_BYTES = 40 * MIB;
    private static final long RESERVE_BYTES = 16 * MIB;

    @TempDir
    File dir;

    private final TestFileSystems fileSystems = new TestFileSystems();

    @AfterEach
    void unmount()
    {
        fileSystems.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "follower", "leader" })
    void shouldRefuseWritesThenStopAndNeverDivergeWhenAMembersDiskFills(final String role) throws Exception
    {
        final int basePort = basePort(3);
        for (int i = 0; i < 3; i++)
        {
            fileSystems.mountTmpfs(new File(dir, "member-" + i + "/data"), TMPFS_BYTES);
        }

        try (ProcessCluster cluster = new ProcessCluster(3, dir, basePort))
        {
            cluster.each((member) -> member
                .property("metastore.disk.alarm.bytes", String.valueOf(ALARM_BYTES))
                .property("metastore.disk.reserve.bytes", String.valueOf(RESERVE_BYTES)))
                .start();

            try (MetaStoreClient client = cluster.client())
            {
                final Writer writer = new Writer(client);
                try (writer)
                {
                    final Map<String, String> acknowledged = writer.acknowledged();
                    await("writes before the disk fills", () -> acknowledged.size() >= 100);
                    final int leader = cluster.awaitLeader();
                    final ServerProcess full = cluster.member("leader".equals(role) ? leader : (leader + 1) % 3);
                    final File disk = new File(dir, "member-" + full.memberId() + "/data");

                    // Below the alarm threshold, above the reserve: the cluster refuses puts, deletes go on.
                    final File firstFill = new File(disk, "fill-1");
                    fill(firstFill, disk.getUsableSpace() - (ALARM_BYTES + RESERVE_BYTES) / 2);
                    final long refusedBefore = writer.refusedForSpace();
                    await("puts refused for space", () -> writer.refusedForSpace() > refusedBefore);
                    final String deleted = acknowledged.keySet().iterator().next();
                    acknowledged.remove(deleted);
                    assertEquals(1, client.delete(deleted).deleted());
                    assertTrue(full.isAlive(), full::toString);

                    // Full: the member stops, with the reason, rather than write half an entry.
                    fill(new File(disk, "fill-2"), Long.MAX_VALUE);
                    assertEquals(1, full.awaitExit(), full::toString);
                    assertTrue(full.stderr().contains("Error: fatal"), full::stderr);

                    // Freed and restarted: it catches up and clears its alarm, and writes are taken again.
                    assertTrue(firstFill.delete() && new File(disk, "fill-2").delete());
                    full.start().awaitListening();
                    await("the alarm cleared", () -> isEmpty(client));
                    final int acknowledgedBefore = acknowledged.size();
                    await("writes after the restart", () -> acknowledged.size() >= acknowledgedBefore + 100);
                }

                assertServes(client, writer.acknowledged());
            }

            assertConverged(cluster);
        }
    }

    /**
     * Without the free space watch (no alarm, no reserve), the disk fills under the member's own writes: what stops it
     * is a write that fails (the archive's or RocksDB's), never a SIGBUS, and it never diverges.
     */
    @ParameterizedTest
    @ValueSource(strings = { "follower", "leader" })
    void shouldFailStopOnAWriteThatFailsAndNeverDivergeWithoutTheFreeSpaceWatch(final String role) throws Exception
    {
        final int basePort = basePort(3);
        for (int i = 0; i < 3; i++)
        {
            fileSystems.mountTmpfs(new File(dir, "member-" + i + "/data"), TMPFS_BYTES);
        }

        try (ProcessCluster cluster = new ProcessCluster(3, dir, basePort).start())
        {
            try (MetaStoreClient client = cluster.client())
            {
                final Writer writer = new Writer(client);
                try (writer)
                {
                    final Map<String, String> acknowledged = writer.acknowledged();
                    await("writes before the disk fills", () -> acknowledged.size() >= 100);
                    final int leader = cluster.awaitLeader();
                    final ServerProcess full = cluster.member("leader".equals(role) ? leader : (leader + 1) % 3);
                    final File disk = new File(dir, "member-" + full.memberId() + "/data");

                    final File fill = new File(disk, "fill");
                    fill(fill, Long.MAX_VALUE);
                    assertEquals(1, full.awaitExit(), full::toString);
                    assertTrue(full.stderr().contains("Error: fatal"), full::stderr);
                    assertFalse(full.stderr().contains("SIGBUS") || full.stderr().contains("InternalError"),
                        full::stderr);

                    assertTrue(fill.delete());
                    full.start().awaitListening();
                    final int acknowledgedBefore = acknowledged.size();
                    await("writes after the restart", () -> acknowledged.size() >= acknowledgedBefore + 100);
                }

                assertServes(client, writer.acknowledged());
            }

            assertConverged(cluster);
        }
    }

    private static boolean isEmpty(final MetaStoreClient client)
    {
        try
        {
            return client.alarmList().alarms().isEmpty();
        }
        catch (final MetaStoreException ex)
        {
            return false;
        }
    }

    /**
     * Write zeros, which take real blocks (a sparse file would not fill anything), up to a length or until the file
     * system is full.
     */
    private static void fill(final File file, final long length)
    {
        final byte[] chunk = new byte[(int)MIB];
        try (FileOutputStream out = new FileOutputStream(file))
        {
            for (long written = 0; written < length; written += chunk.length)
            {
                out.write(chunk, 0, (int)Math.min(chunk.length, length - written));
            }
            out.getFD().sync();
        }
        catch (final IOException ex)
        {
            assertTrue(length == Long.MAX_VALUE, () -> "filling " + file + ": " + ex);
        }
    }
}
