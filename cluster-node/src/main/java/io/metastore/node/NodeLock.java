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
 * refuses to start and touches nothing.
 */
final class NodeLock implements AutoCloseable
{
    /**
     * Name of the lock file in the node's directory.
     */
    static final String FILENAME = "metastore.lock";

    /**
     * Suffix of the lock file beside the media driver's directory.
     */
    static final String AERON_DIR_SUFFIX = ".lock";

    private final FileChannel nodeChannel;
    private final FileChannel aeronChannel;

    private NodeLock(final FileChannel nodeChannel, final FileChannel aeronChannel)
    {
        this.nodeChannel = nodeChannel;
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
    static NodeLock acquire(final File nodeDir, final String aeronDirectoryName)
    {
        if (!nodeDir.isDirectory() && !nodeDir.mkdirs())
        {
            throw new UncheckedIOException(new IOException("cannot create node directory " + nodeDir));
        }

        final String owner = "pid=" + SystemUtil.getPid() + " aeron.dir=" + aeronDirectoryName + "\n";
        final FileChannel nodeChannel = lock(new File(nodeDir, FILENAME), "node directory " + nodeDir, owner);
        try
        {
            final File aeronLockFile = new File(aeronDirectoryName + AERON_DIR_SUFFIX);
            final File aeronParent = aeronLockFile.getAbsoluteFile().getParentFile();
            if (!aeronParent.isDirectory() && !aeronParent.mkdirs())
            {
                throw new UncheckedIOException(new IOException("cannot create directory " + aeronParent));
            }
            final FileChannel aeronChannel = lock(
                aeronLockFile, "media driver directory " + aeronDirectoryName, "pid=" + SystemUtil.getPid() + "\n");

            return new NodeLock(nodeChannel, aeronChannel);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(nodeChannel);
            throw ex;
        }
    }

    /**
     * Release both locks. The lock files stay: deleting one while another process waits to open it would let two
     * processes lock two different files of the same name.
     */
    public void close()
    {
        CloseHelper.closeAll(aeronChannel, nodeChannel);
    }

    private static FileChannel lock(final File file, final String what, final String owner)
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
            channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.US_ASCII)), 0);

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
