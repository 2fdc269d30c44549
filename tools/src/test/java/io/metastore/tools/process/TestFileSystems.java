package io.metastore.tools.process;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * File systems of their own for members' data directories, which a test can fill or stall: a tmpfs of a given size,
 * or an ext4 file system in a sparse image file on a loop device, which {@code fsfreeze} can stop: every write to a
 * frozen file system blocks in the kernel until it is thawed, as on a disk that stalls. Mounting needs root, as in
 * CI; without it the test is skipped.
 * <p>
 * {@link #close()} thaws what is still frozen, then unmounts (lazily) every file system mounted here: a process
 * blocked on a frozen file system cannot even be killed until it is thawed.
 */
final class TestFileSystems implements AutoCloseable
{
    private final List<File> mounts = new ArrayList<>();
    private final Set<File> frozen = new LinkedHashSet<>();

    /**
     * Mount a tmpfs of its own at a new directory.
     *
     * @param mount directory to create and mount on.
     * @param bytes size of the file system.
     */
    void mountTmpfs(final File mount, final long bytes)
    {
        assertTrue(mount.mkdirs(), mount::toString);
        final int status = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mount.getPath());
        assumeTrue(0 == status, "mounting a tmpfs needs root, as in CI");
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
        assertTrue(mount.mkdirs(), mount::toString);
        assertEquals(0, run("truncate", "-s", String.valueOf(bytes), image.getPath()), image::toString);
        assertEquals(0, run("mkfs.ext4", "-q", "-F", image.getPath()), image::toString);
        final int status = run("mount", "-o", "loop", image.getPath(), mount.getPath());
        assumeTrue(0 == status, "mounting a loop device needs root, as in CI");
        mounts.add(mount);
        assertTrue(new File(mount, "lost+found").delete(), "an empty data directory");
    }

    /**
     * Stop every write to a file system mounted here until {@link #thaw(File)}; what is dirty is written first.
     *
     * @param mount of the file system.
     */
    void freeze(final File mount)
    {
        assertEquals(0, run("fsfreeze", "--freeze", mount.getPath()), mount::toString);
        frozen.add(mount);
    }

    /**
     * Let writes to a frozen file system go on.
     *
     * @param mount of the file system.
     */
    void thaw(final File mount)
    {
        if (frozen.remove(mount))
        {
            assertEquals(0, run("fsfreeze", "--unfreeze", mount.getPath()), mount::toString);
        }
    }

    /**
     * Thaw what is frozen and unmount everything mounted here.
     */
    public void close()
    {
        for (final File mount : frozen)
        {
            run("fsfreeze", "--unfreeze", mount.getPath());
        }
        frozen.clear();
        for (final File mount : mounts)
        {
            run("umount", "-l", mount.getPath());
        }
        mounts.clear();
    }

    private static int run(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(String.join(" ", command), ex);
        }
    }
}
