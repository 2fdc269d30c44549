package io.metastore.node.log;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Ends a recording at its last whole frame: zeroes its segment file from the damaged frame to the end of the file, so
 * that Aeron's recovery finds an empty frame header there and stops the recording at that position. The member then
 * fetches the entries after it from the leader. Only the pages that hold data are written: the pages a cut short
 * write never reached are holes, and writing zeros into them would need the space of a disk that may still be full.
 */
public final class TailRepair
{
    private TailRepair()
    {
    }

    /**
     * Zero a damaged tail. Run only with the node stopped.
     *
     * @param tail as {@link SegmentScanner} found it: damaged, or ending in a padding frame.
     * @return bytes written with zeros, those that held data.
     */
    public static long truncate(final SegmentTail tail)
    {
        if (SegmentTail.Kind.CLEAN == tail.kind())
        {
            throw new IllegalArgumentException("tail is clean: " + tail);
        }

        try (FileChannel channel = FileChannel.open(
            tail.segmentFile().toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long fileLength = channel.size();
            final int from = tail.frameOffset();
            if (from >= fileLength)
            {
                return 0;
            }

            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileLength);
            try
            {
                final long written = zeroDataPages(channel, new UnsafeBuffer(mapped), from, (int)fileLength);
                channel.force(true);
                return written;
            }
            finally
            {
                BufferUtil.free(mapped);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot repair segment file " + tail.segmentFile(), ex);
        }
    }

    private static long zeroDataPages(
        final FileChannel channel, final UnsafeBuffer buffer, final int from, final int to) throws IOException
    {
        final ByteBuffer zeros = ByteBuffer.allocate(SegmentScanner.PAGE_SIZE);
        long written = 0;
        int pieceStart = from;
        while (pieceStart < to)
        {
            final int pieceEnd = Math.min((pieceStart / SegmentScanner.PAGE_SIZE + 1) * SegmentScanner.PAGE_SIZE, to);
            if (!isZero(buffer, pieceStart, pieceEnd))
            {
                zeros.clear().limit(pieceEnd - pieceStart);
                int position = pieceStart;
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
                written += pieceEnd - pieceStart;
            }
            pieceStart = pieceEnd;
        }

        return written;
    }

    private static boolean isZero(final UnsafeBuffer buffer, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (0 != buffer.getByte(i))
            {
                return false;
            }
        }

        return true;
    }
}
