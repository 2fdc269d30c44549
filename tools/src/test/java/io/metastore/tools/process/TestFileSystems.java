package io.metastore.tools.process;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * File systems of their own for members' data directories, which a test can fill or stall: a tmpfs of a given size,
 * or an ext4 file system in a sparse image file on a loop device, which {@code fsfreeze} can stop: every write to a
 * frozen file system blocks in the kernel until it is thawed, as on a disk that stalls. Mounting needs root and, for
 * ext4, e2fsprogs and util-linux, as in CI ({@code .ci/run} installs them); without them the test is skipped.
 * <p>
 * {@link #close()} thaws what is still frozen, then unmounts (lazily) every file system mounted here, going on past
 * a failure. A process blocked on a frozen file system cannot be killed until it is thawed, so a test thaws before it
 * stops its servers, and a JVM that exits with a file system still frozen thaws it on its way out.
 */
final class TestFileSystems implements AutoCloseable
{
    private static final long COMMAND_TIMEOUT_MS = 60_000;

    private final List<File> mounts = new ArrayList<>();
    private final Set<File> frozen = new LinkedHashSet<>();
    private final Thread thawOnExit = new Thread(this::thawAll, "thaw-on-exit");
    private boolean isThawOnExitAdded;

    /**
     * Mount a tmpfs of its own at a new directory.
     *
     * @param mount directory to create and mount on.
     * @param bytes size of the file system.
     */
    void mountTmpfs(final File mount, final long bytes)
    {
        assumeRoot();
        assertTrue(mount.mkdirs(), mount::toString);
        assertEquals(0, run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mount.getPath()), "mount");
        mounts.add(mount);
    }

    /**
     * Mount an ext4 file system, made in a new sparse image file, at a new directory through a loop device.
     *
     * @param mount directory to create and mount on.
     * @param image file to hold the file system; only the blocks written take space.
     * @param bytes size of the file system.
     */
    void mountExt4(final File mount, final File image, final long bytes)
    {
        assumeRoot();
        assumeTrue(0 == run("sh", "-c", "command -v mkfs.ext4 && command -v fsfreeze"),
            "mkfs.ext4 and fsfreeze (e2fsprogs, util-linux), which .ci/run installs");
        assertTrue(mount.mkdirs(), mount::toString);
        assertEquals(0, run("truncate", "-s", String.valueOf(bytes), image.getPath()), image::toString);
        assertEquals(0, run("mkfs.ext4", "-q", "-F", image.getPath()), image::toString);
        assertEquals(0, run("mount", "-o", "loop", image.getPath(), mount.getPath()), "mount " + image);
        mounts.add(mount);
        assertTrue(new File(mount, "lost+found").delete(), "an empty data directory");
    }

    /**
     * Stop every write to a file system mounted here until {@link #thaw(File)}; what is dirty is written first.
     *
     * @param mount of the file system.
     */
    synchronized void freeze(final File mount)
    {
        if (!isThawOnExitAdded)
        {
            Runtime.getRuntime().addShutdownHook(thawOnExit);
            isThawOnExitAdded = true;
        }
        frozen.add(mount);
        assertEquals(0, run("fsfreeze", "--freeze", mount.getPath()), mount::toString);
    }

    /**
     * Let writes to a frozen file system go on.
     *
     * @param mount of the file system.
     */
    synchronized void thaw(final File mount)
    {
        if (frozen.contains(mount))
        {
            assertEquals(0, run("fsfreeze", "--unfreeze", mount.getPath()), mount::toString);
            frozen.remove(mount);
        }
    }

    /**
     * Thaw what is frozen and unmount everything mounted here.
     */
    public void close()
    {
        thawAll();
        for (final File mount : mounts)
        {
            run("umount", "-l", mount.getPath());
        }
        mounts.clear();
        if (isThawOnExitAdded)
        {
            Runtime.getRuntime().removeShutdownHook(thawOnExit);
            isThawOnExitAdded = false;
        }
    }

    private synchronized void thawAll()
    {
        frozen.removeIf((mount) -> 0 == run("fsfreeze", "--unfreeze", mount.getPath()));
    }

    private static void assumeRoot()
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root, as in CI");
    }

    /**
     * Run a command to its end, an interrupt of the test notwithstanding: a freeze or thaw must not be left half done.
     *
     * @return its exit status, or -1 if it could not be started or did not end in time.
     */
    private static int run(final String... command)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                ProcessBuilder.Redirect.DISCARD).start();
        }
        catch (final IOException ex)
        {
            return -1;
        }

        boolean isInterrupted = false;
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMAND_TIMEOUT_MS);
            while (true)
            {
                try
                {
                    final long remainingNs = deadlineNs - System.nanoTime();
                    if (remainingNs <= 0 || process.waitFor(remainingNs, TimeUnit.NANOSECONDS))
                    {
                        return process.isAlive() ? -1 : process.exitValue();
                    }
                }
                catch (final InterruptedException ex)
                {
                    isInterrupted = true;
                }
            }
        }
        finally
        {
            if (isInterrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
