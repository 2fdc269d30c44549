package io.metastore.node.log;

import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Walks the frames of an archive segment file from a recording's first frame in it, with Aeron's frame layout, to
 * find how they end. Aeron's {@code Catalog.recoverStopOffset} does the same walk when it recovers a recording that
 * was never stopped, but checks the page straddled by the last frame at the frame's offset within its 1 MiB read
 * buffer, and its reads start at frame boundaries, not page boundaries: it looks at the wrong page and can accept a
 * torn frame. Here every page boundary is a multiple of {@link #PAGE_SIZE} in the file, where the file system cut
 * the write.
 */
public final class SegmentScanner
{
    /**
     * Page size of the archive's straddle check ({@code Catalog.PAGE_SIZE}, package-private in Aeron 1.51): the unit
     * in which a file system persists, or fails to persist, a write.
     */
    public static final int PAGE_SIZE = 4096;


    private SegmentScanner()
    {
    }

    /**
     * Scan a segment file.
     *
     * @param recordingId         of the recording the segment belongs to.
     * @param segmentBasePosition position in the recording of the file's first byte.
     * @param segmentFile         to scan.
     * @param startOffset         offset in the file of the recording's first frame in it: 0 but in the first segment.
     * @param segmentLength       of the recording's segment files, from its catalog entry.
     * @return how the frames end.
     */
    public static SegmentTail scan(
        final long recordingId,
        final long segmentBasePosition,
        final File segmentFile,
        final int startOffset,
        final int segmentLength)
    {
        try (FileChannel channel = FileChannel.open(segmentFile.toPath(), StandardOpenOption.READ))
        {
            final int limit = (int)Math.min(segmentLength, channel.size());
            if (startOffset >= limit)
            {
                return new SegmentTail(
                    SegmentTail.Kind.CLEAN, recordingId, segmentFile, segmentBasePosition, -1, 0, startOffset, -1);
            }

            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, limit);
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
                return scan(recordingId, segmentBasePosition, segmentFile, buffer, startOffset, limit);
            }
            finally
            {
                BufferUtil.free(mapped);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot scan segment file " + segmentFile, ex);
        }
    }

    private static SegmentTail scan(
        final long recordingId,
        final long segmentBasePosition,
        final File segmentFile,
        final UnsafeBuffer buffer,
        final int startOffset,
        final int limit)
    {
        int offset = startOffset;
        int lastFrameOffset = -1;
        int lastFrameLength = 0;
        while (offset <= limit - DataHeaderFlyweight.HEADER_LENGTH)
        {
            final int frameLength = FrameDescriptor.frameLength(buffer, offset);
            if (frameLength <= 0)
            {
                break;
            }

            final long alignedLength = alignedFrameLength(frameLength);
            if (offset + alignedLength > limit)
            {
                return new SegmentTail(
                    SegmentTail.Kind.OVERRUN,
                    recordingId,
                    segmentFile,
                    segmentBasePosition,
                    offset,
                    frameLength,
                    offset,
                    -1);
            }

            lastFrameOffset = offset;
            lastFrameLength = frameLength;
            offset += (int)alignedLength;
        }

        if (-1 != lastFrameOffset && FrameDescriptor.isPaddingFrame(buffer, lastFrameOffset) &&
            lastFrameOffset / PAGE_SIZE != (lastFrameOffset + (int)alignedFrameLength(lastFrameLength) - 1) / PAGE_SIZE)
        {
            return new SegmentTail(
                SegmentTail.Kind.PADDING,
                recordingId,
                segmentFile,
                segmentBasePosition,
                lastFrameOffset,
                lastFrameLength,
                lastFrameOffset,
                -1);
        }

        // A padding frame's body is never written, only its header: zeros after it are expected. Nor are the bytes
        // that align a frame. A frame whose recorded checksum matches its bytes is whole, zeros and all.
        if (-1 != lastFrameOffset && !FrameDescriptor.isPaddingFrame(buffer, lastFrameOffset))
        {
            final int emptyPageOffset = emptyPageAfterStraddle(
                buffer, lastFrameOffset, lastFrameOffset + lastFrameLength);
            if (-1 != emptyPageOffset && !hasMatchingChecksum(buffer, lastFrameOffset, lastFrameLength))
            {
                return new SegmentTail(
                    SegmentTail.Kind.TORN,
                    recordingId,
                    segmentFile,
                    segmentBasePosition,
                    lastFrameOffset,
                    lastFrameLength,
                    lastFrameOffset,
                    emptyPageOffset);
            }
        }

        return new SegmentTail(
            SegmentTail.Kind.CLEAN,
            recordingId,
            segmentFile,
            segmentBasePosition,
            lastFrameOffset,
            lastFrameLength,
            offset,
            -1);
    }

    /**
     * The first page of a frame after the page it starts in, if its bytes within the frame are all zero. Pages are
     * counted from the start of the file. A frame within one page has none: a write is persisted or lost whole
     * within a page.
     *
     * @param buffer      holding the file from offset 0.
     * @param frameOffset offset in the file of the frame.
     * @param frameEnd    offset in the file after the frame's aligned length.
     * @return offset in the file of the all-zero page, or -1 if every page after the straddle holds data.
     */
    static int emptyPageAfterStraddle(final UnsafeBuffer buffer, final int frameOffset, final int frameEnd)
    {
        for (int pageOffset = (frameOffset / PAGE_SIZE + 1) * PAGE_SIZE; pageOffset < frameEnd; pageOffset += PAGE_SIZE)
        {
            if (isZero(buffer, pageOffset, Math.min(pageOffset + PAGE_SIZE, frameEnd)))
            {
                return pageOffset;
            }
        }

        return -1;
    }

    /**
     * Does the frame's recorded checksum match its bytes? The archive records a CRC-32C of each frame's aligned body
     * in place of its session id (the node sets {@code Archive.Context.recordChecksum} to a {@link RecordChecksum}; a
     * replay puts the session id back). A frame recorded without one, before the node set it, does not match.
     *
     * @param buffer      holding the file from offset 0.
     * @param frameOffset offset in the file of the frame.
     * @param frameLength of the frame.
     * @return true if the checksum matches.
     */
    static boolean hasMatchingChecksum(final UnsafeBuffer buffer, final int frameOffset, final int frameLength)
    {
        final int bodyLength = (int)alignedFrameLength(frameLength) - DataHeaderFlyweight.HEADER_LENGTH;
        final int computed = new RecordChecksum().compute(
            buffer.addressOffset(), frameOffset + DataHeaderFlyweight.HEADER_LENGTH, bodyLength);
        final int recorded = buffer.getInt(
            frameOffset + DataHeaderFlyweight.SESSION_ID_FIELD_OFFSET, ByteOrder.LITTLE_ENDIAN);

        return computed == recorded;
    }

    /**
     * @param buffer to look in.
     * @param from   first offset, a multiple of 8.
     * @param to     offset after the last, a multiple of 8.
     * @return true if every byte in the range is zero.
     */
    static boolean isZero(final UnsafeBuffer buffer, final int from, final int to)
    {
        for (int i = from; i < to; i += BitUtil.SIZE_OF_LONG)
        {
            if (0L != buffer.getLong(i))
            {
                return false;
            }
        }

        return true;
    }

    /**
     * @param frameLength from a frame's header.
     * @return the bytes the frame takes in the file: its length aligned to {@link FrameDescriptor#FRAME_ALIGNMENT}.
     */
    static long alignedFrameLength(final int frameLength)
    {
        return BitUtil.align((long)frameLength, FrameDescriptor.FRAME_ALIGNMENT);
    }
}
