package io.metastore.node.space;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Gives the holes of a sparse file real blocks, so that a later write through a memory mapping of it cannot meet a
 * full file system: that is a SIGBUS, which kills the thread, not an error it can report. Aeron's archive catalog is
 * such a file (created sparse, mapped, written a page at a time as recordings are added). Run only while no process
 * has the file mapped, i.e. before the archive starts: the holes are found by reading zeros and filled by writing
 * zeros, which would undo a write made in between.
 */
public final class SparseFiles
{
    private static final int PAGE_SIZE = 4096;

    private SparseFiles()
    {
    }

    /**
     * Allocate every all-zero page of a file, if it exists, by writing its zeros back.
     *
     * @param file to allocate.
     * @return the number of pages written, 0 if the file does not exist.
     */
    public static int allocate(final File file)
    {
        if (!file.isFile())
        {
            return 0;
        }

        int pagesWritten = 0;
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer page = ByteBuffer.allocate(PAGE_SIZE);
            final long length = channel.size();
            for (long position = 0; position < length; position += PAGE_SIZE)
            {
                page.clear().limit((int)Math.min(PAGE_SIZE, length - position));
                while (page.hasRemaining() && channel.read(page, position + page.position()) >= 0)
                {
                    // read the whole page
                }
                if (isZero(page))
                {
                    page.flip();
                    while (page.hasRemaining())
                    {
                        channel.write(page, position + page.position());
                    }
                    pagesWritten++;
                }
            }
            channel.force(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot allocate the blocks of " + file, ex);
        }

        return pagesWritten;
    }

    private static boolean isZero(final ByteBuffer page)
    {
        for (int i = 0, limit = page.position(); i < limit; i++)
        {
            if (0 != page.get(i))
            {
                return false;
            }
        }

        return true;
    }
}
