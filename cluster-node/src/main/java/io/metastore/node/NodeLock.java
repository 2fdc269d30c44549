package io.metastore.node;

import org.agrona.CloseHelper;
import org.agrona.SystemUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive ownership of a node's files: an OS lock on {@code metastore.lock} in the node's directory and on
 * {@code <aeron dir>.lock} beside its media driver's directory, taken before anything else touches either. The OS
 * releases the locks when the process dies, however it dies, so holding them proves that no live MetaStore process
 * owns the files: whatever the mark files of a previous run say, they are stale. A node that cannot take them
 * refuses to start and touches nothing. The lock files are deleted on close.
 */
public final class NodeLock implements AutoCloseable
{
    /**
     * Name of the lock file in the node's directory.
     */
    static final String FILENAME = "metastore.lock";

    /**
     * Suffix of the lock file beside the media driver's directory.
     */
    static final String AERON_DIR_SUFFIX = ".lock";

    private static final int MAX_ATTEMPTS = 10;

    private final File nodeLockFile;
    private final FileChannel nodeChannel;
    private final File aeronLockFile;
    private final FileChannel aeronChannel;

    private NodeLock(
        final File nodeLockFile,
        final FileChannel nodeChannel,
        final File aeronLockFile,
        final FileChannel aeronChannel)
    {
        this.nodeLockFile = nodeLockFile;
        this.nodeChannel = nodeChannel;
        this.aeronLockFile = aeronLockFile;
        this.aeronChannel = aeronChannel;
    }

    /**
     * Lock the node's directory, then its media driver's directory.
     *
     * @param nodeDir            the node's directory; created if missing.
     * @param aeronDirectoryName the media driver's directory, which need not exist.
     * @return the locks, released on close.
     * @throws NodeLockedException if a live process holds either lock.
     */
    public static NodeLock acquire(final File nodeDir, final String aeronDirectoryName)
    {
        if (!nodeDir.isDirectory() && !nodeDir.mkdirs())
        {
            throw new UncheckedIOException(new IOException("cannot create node directory " + nodeDir));
        }

        final File nodeLockFile = new File(nodeDir, FILENAME);
        final String owner = "pid=" + SystemUtil.getPid() + " aeron.dir=" + aeronDirectoryName;
        final FileChannel nodeChannel = lock(nodeLockFile, "node directory " + nodeDir, owner);
        try
        {
            final File aeronLockFile = new File(aeronDirectoryName + AERON_DIR_SUFFIX);
            final File aeronParent = aeronLockFile.getAbsoluteFile().getParentFile();
            if (!aeronParent.isDirectory() && !aeronParent.mkdirs())
            {
                throw new UncheckedIOException(new IOException("cannot create directory " + aeronParent));
            }
            final FileChannel aeronChannel = lock(
                aeronLockFile, "media driver directory " + aeronDirectoryName, "pid=" + SystemUtil.getPid());

            return new NodeLock(nodeLockFile, nodeChannel, aeronLockFile, aeronChannel);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(nodeChannel);
            throw ex;
        }
    }

    /**
     * Delete the lock files, then release the locks: a process that opened a file before it was deleted and locks it
     * after finds the file gone, and tries again.
     */
    public void close()
    {
        aeronLockFile.delete();
        nodeLockFile.delete();
        CloseHelper.closeAll(aeronChannel, nodeChannel);
    }

    private static FileChannel lock(final File file, final String what, final String owner)
    {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
        {
            final FileChannel channel = tryLock(file, what, owner);
            // The previous holder deletes the file before it releases the lock: if it is gone, this channel holds a
            // deleted file. (Checked with stat, not by reading the file: closing any other descriptor of a file
            // releases the process's POSIX locks on it.) A third process creating the file again in between is
            // not caught; that needs three starts of one node within microseconds.
            if (file.exists())
            {
                return channel;
            }
            CloseHelper.quietClose(channel);
        }

        throw new NodeLockedException(what + " is contended: " + file + " was deleted " + MAX_ATTEMPTS + " times");
    }

    private static FileChannel tryLock(final File file, final String what, final String owner)
    {
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(
                file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                lock = null;
            }

            if (null == lock)
            {
                final String holder = readHolder(channel);
                channel.close();
                throw new NodeLockedException(what + " is in use by a running MetaStore process (" +
                    (holder.isEmpty() ? "owner unknown" : holder) + "): " + file + " is locked");
            }

            channel.truncate(0);
            channel.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.US_ASCII)), 0);

            return channel;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new UncheckedIOException("cannot lock " + file, ex);
        }
    }

    private static String readHolder(final FileChannel channel) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        buffer.flip();

        return StandardCharsets.US_ASCII.decode(buffer).toString().trim();
    }
}
