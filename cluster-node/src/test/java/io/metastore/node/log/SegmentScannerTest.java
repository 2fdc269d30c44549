package io.metastore.node.log;

import io.aeron.archive.Archive;
import io.aeron.protocol.DataHeaderFlyweight;
import io.aeron.protocol.HeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.metastore.node.log.SegmentScanner.PAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan of synthetic segment files. The damaged frames sit after Aeron's first 1 MiB read, where its scan's
 * buffer starts at a frame boundary 448 bytes past a page boundary: its buffer-relative straddle check then looks
 * at the wrong page, and {@link #aeronBufferRelativeEmptyPage} shows it reaching the opposite verdict.
 */
class SegmentScannerTest
{
    private static final int SEGMENT_LENGTH = 2 * 1024 * 1024;
    private static final int FILLER_FRAME_LENGTH = 1184;
    private static final long RECORDING_ID = 7;
    private static final long SEGMENT_BASE_POSITION = 4L * SEGMENT_LENGTH;

    @TempDir
    File dir;

    private final UnsafeBuffer segment = new UnsafeBuffer(new byte[SEGMENT_LENGTH]);
    private File file;

    @Test
    void shouldFindCleanTailWhenTheLastFrameIsWithinOnePage()
    {
        final int offset = fill(0, 3);
        putFrame(offset, 200, 200);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.CLEAN, tail.kind());
        assertEquals(offset, tail.frameOffset());
        assertEquals(offset + 224, tail.endOffset());
        assertFalse(tail.isDamaged());
    }

    @Test
    void shouldFindTornLastFrameThatAeronsBufferRelativeCheckAccepts()
    {
        final int frameOffset = tornFrameOffset();
        final int pageBoundary = (frameOffset / PAGE_SIZE + 1) * PAGE_SIZE;
        final int frameLength = pageBoundary + 256 - frameOffset;
        putFrame(frameOffset, frameLength, pageBoundary - frameOffset);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.TORN, tail.kind());
        assertEquals(frameOffset, tail.frameOffset());
        assertEquals(frameLength, tail.frameLength());
        assertEquals(pageBoundary, tail.emptyPageOffset());
        assertEquals(frameOffset, tail.endOffset());
        assertEquals(SEGMENT_BASE_POSITION + frameOffset, tail.framePosition());
        assertEquals(-1, aeronBufferRelativeEmptyPage(frameOffset, frameLength), "Aeron accepts the torn frame");
    }

    @Test
    void shouldFindTornLastFrameCutAtALaterPage()
    {
        final int frameOffset = tornFrameOffset();
        final int secondBoundary = (frameOffset / PAGE_SIZE + 2) * PAGE_SIZE;
        final int frameLength = secondBoundary + 1024 - frameOffset;
        putFrame(frameOffset, frameLength, secondBoundary - frameOffset);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.TORN, tail.kind());
        assertEquals(secondBoundary, tail.emptyPageOffset());
    }

    @Test
    void shouldAcceptWholeLastFrameWhoseBytesPastThePageAreZeroWhenItsChecksumMatches()
    {
        // Seen after a kill -9: a 68-byte frame, 64 bytes before the page boundary and 4 zero bytes after it.
        final int pageBoundary = (aeronSecondChunkStart() / PAGE_SIZE + 2) * PAGE_SIZE;
        final int frameStart = pageBoundary - 64;
        fillTo(frameStart);
        putFrame(frameStart, 68, 64);
        putRecordedChecksum(frameStart, 68);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.CLEAN, tail.kind());
        assertEquals(frameStart, tail.frameOffset());

        segment.putInt(frameStart + HeaderFlyweight.FRAME_LENGTH_FIELD_OFFSET + 12, 1, ByteOrder.LITTLE_ENDIAN);
        assertEquals(SegmentTail.Kind.TORN, scan(0).kind(), "without a matching checksum it is taken as torn");
    }

    @Test
    void shouldAcceptWholeLastFrameWithTrailingZerosThatAeronsBufferRelativeCheckRejects()
    {
        final int frameOffset = tornFrameOffset();
        final int pageBoundary = (frameOffset / PAGE_SIZE + 1) * PAGE_SIZE;
        final int frameLength = pageBoundary + 1024 - frameOffset;
        putFrame(frameOffset, frameLength, pageBoundary + 256 - frameOffset);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.CLEAN, tail.kind());
        assertEquals(frameOffset + frameLength, tail.endOffset());
        assertTrue(aeronBufferRelativeEmptyPage(frameOffset, frameLength) > 0, "Aeron sees an empty page");
    }

    @Test
    void shouldAcceptWholeLastFrameStraddlingPagesWithDataInEach()
    {
        final int frameOffset = tornFrameOffset();
        final int frameLength = 3 * PAGE_SIZE;
        putFrame(frameOffset, frameLength, frameLength);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.CLEAN, tail.kind());
        assertEquals(frameOffset + frameLength, tail.endOffset());
    }

    @Test
    void shouldFindFrameWhoseLengthRunsPastTheEndOfTheSegment()
    {
        final int frameOffset = SEGMENT_LENGTH - 2 * PAGE_SIZE + 96;
        fillTo(frameOffset);
        putFrame(frameOffset, 5 * PAGE_SIZE, 64);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.OVERRUN, tail.kind());
        assertEquals(frameOffset, tail.frameOffset());
        assertEquals(5 * PAGE_SIZE, tail.frameLength());
        assertEquals(frameOffset, tail.endOffset());
    }

    @Test
    void shouldEndTheLogBeforeAPaddingFrameAcrossAPageWhichAeronWouldRefuse()
    {
        final int frameOffset = tornFrameOffset();
        final int frameLength = 2 * PAGE_SIZE;
        putFrame(frameOffset, frameLength, DataHeaderFlyweight.HEADER_LENGTH);
        putType(frameOffset, HeaderFlyweight.HDR_TYPE_PAD);

        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.PADDING, tail.kind());
        assertFalse(tail.isDamaged());
        assertEquals(frameOffset, tail.endOffset());
        assertTrue(TailRepair.truncate(tail) > 0);
        final SegmentTail repaired = SegmentScanner.scan(RECORDING_ID, SEGMENT_BASE_POSITION, file, 0, SEGMENT_LENGTH);
        assertEquals(SegmentTail.Kind.CLEAN, repaired.kind());
        assertEquals(frameOffset, repaired.endOffset());
    }

    @Test
    void shouldScanFromTheRecordingsFirstFrameInTheSegment()
    {
        final int startOffset = 2 * PAGE_SIZE + 64;
        segment.setMemory(0, startOffset, (byte)0x7F);
        putFrame(startOffset, 2 * PAGE_SIZE, 3 * PAGE_SIZE - startOffset);

        final SegmentTail tail = scan(startOffset);

        assertEquals(SegmentTail.Kind.TORN, tail.kind());
        assertEquals(startOffset, tail.frameOffset());
        assertEquals(3 * PAGE_SIZE, tail.emptyPageOffset());
    }

    @Test
    void shouldFindEmptySegmentClean()
    {
        final SegmentTail tail = scan(0);

        assertEquals(SegmentTail.Kind.CLEAN, tail.kind());
        assertEquals(-1, tail.frameOffset());
        assertEquals(0, tail.endOffset());
    }

    @Test
    void shouldRepairTornFrameSoTheScanEndsAtTheLastWholeFrame() throws IOException
    {
        final int frameOffset = tornFrameOffset();
        final int pageBoundary = (frameOffset / PAGE_SIZE + 1) * PAGE_SIZE;
        putFrame(frameOffset, pageBoundary + 256 - frameOffset, pageBoundary - frameOffset);
        final SegmentTail torn = scan(0);
        final byte[] before = Files.readAllBytes(file.toPath());

        final long written = TailRepair.truncate(torn);

        final SegmentTail repaired = SegmentScanner.scan(RECORDING_ID, SEGMENT_BASE_POSITION, file, 0, SEGMENT_LENGTH);
        assertEquals(SegmentTail.Kind.CLEAN, repaired.kind());
        assertEquals(frameOffset, repaired.endOffset());
        assertEquals(pageBoundary - frameOffset, written, "only the pages holding data are written");
        final byte[] after = Files.readAllBytes(file.toPath());
        assertEquals(SEGMENT_LENGTH, after.length);
        assertArrayEquals(Arrays.copyOf(before, frameOffset), Arrays.copyOf(after, frameOffset));
        assertTrue(SegmentScanner.isZero(new UnsafeBuffer(after), frameOffset, SEGMENT_LENGTH));
    }

    @Test
    void shouldRepairOverrunningFrameAndEverythingAfterIt() throws IOException
    {
        final int frameOffset = fill(0, 5);
        putFrame(frameOffset, SEGMENT_LENGTH, 64);
        segment.setMemory(SEGMENT_LENGTH - PAGE_SIZE, 16, (byte)1);
        final SegmentTail overrun = scan(0);
        assertEquals(SegmentTail.Kind.OVERRUN, overrun.kind());

        TailRepair.truncate(overrun);

        final SegmentTail repaired = SegmentScanner.scan(RECORDING_ID, SEGMENT_BASE_POSITION, file, 0, SEGMENT_LENGTH);
        assertEquals(SegmentTail.Kind.CLEAN, repaired.kind());
        assertEquals(frameOffset, repaired.endOffset());
        final UnsafeBuffer after = new UnsafeBuffer(Files.readAllBytes(file.toPath()));
        assertTrue(SegmentScanner.isZero(after, frameOffset, SEGMENT_LENGTH));
    }

    /**
     * Filler frames from 0 past Aeron's first read, then one frame that puts the next 64 bytes past a page boundary:
     * the next frame's offset.
     */
    private int tornFrameOffset()
    {
        final int chunkStart = aeronSecondChunkStart();
        final int frameOffset = chunkStart + PAGE_SIZE - (chunkStart % PAGE_SIZE) + 64;
        fillTo(frameOffset);

        return frameOffset;
    }

    /**
     * Where Aeron's scan starts its second read: the first frame boundary at or after its read buffer's length.
     */
    private static int aeronSecondChunkStart()
    {
        final int chunkLength = Archive.Configuration.FILE_IO_MAX_LENGTH_DEFAULT;
        return ((chunkLength + FILLER_FRAME_LENGTH - 1) / FILLER_FRAME_LENGTH) * FILLER_FRAME_LENGTH;
    }

    /**
     * The page Aeron 1.51's {@code hasDataInAllPagesAfterStraddle} finds empty, in file offsets: it counts pages from
     * the start of its read buffer, which holds the file from {@link #aeronSecondChunkStart()}.
     *
     * @return the file offset of the page it finds empty, or -1 if it accepts the frame.
     */
    private int aeronBufferRelativeEmptyPage(final int frameOffset, final int alignedLength)
    {
        final int chunkStart = aeronSecondChunkStart();
        final int bufferOffset = frameOffset - chunkStart;
        final int bufferEnd = bufferOffset + alignedLength;
        for (int page = (bufferOffset / PAGE_SIZE + 1) * PAGE_SIZE; page < bufferEnd; page += PAGE_SIZE)
        {
            if (SegmentScanner.isZero(segment, chunkStart + page, chunkStart + Math.min(page + PAGE_SIZE, bufferEnd)))
            {
                return chunkStart + page;
            }
        }

        return -1;
    }

    /**
     * Filler frames from 0, then one frame that ends at the offset.
     */
    private void fillTo(final int offset)
    {
        final int fillerEnd = fill(0, offset / FILLER_FRAME_LENGTH);
        if (fillerEnd < offset)
        {
            putFrame(fillerEnd, offset - fillerEnd, offset - fillerEnd);
        }
    }

    private int fill(final int fromOffset, final int count)
    {
        int offset = fromOffset;
        for (int i = 0; i < count; i++)
        {
            putFrame(offset, FILLER_FRAME_LENGTH, FILLER_FRAME_LENGTH);
            offset += FILLER_FRAME_LENGTH;
        }

        return offset;
    }

    /**
     * A data frame whose bytes are non-zero up to {@code dataLength} from its start and zero after it.
     */
    private void putFrame(final int offset, final int frameLength, final int dataLength)
    {
        segment.setMemory(offset, dataLength, (byte)0x5A);
        segment.putInt(offset, frameLength, ByteOrder.LITTLE_ENDIAN);
        putType(offset, HeaderFlyweight.HDR_TYPE_DATA);
    }

    /**
     * The checksum the archive records in place of the session id: CRC-32C of the frame's aligned body.
     */
    private void putRecordedChecksum(final int offset, final int frameLength)
    {
        final int bodyLength = (int)SegmentScanner.alignedFrameLength(frameLength) - DataHeaderFlyweight.HEADER_LENGTH;
        final CRC32C crc = new CRC32C();
        crc.update(segment.byteArray(), offset + DataHeaderFlyweight.HEADER_LENGTH, bodyLength);
        segment.putInt(
            offset + DataHeaderFlyweight.SESSION_ID_FIELD_OFFSET, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
    }

    private void putType(final int offset, final int type)
    {
        segment.putShort(offset + HeaderFlyweight.TYPE_FIELD_OFFSET, (short)type, ByteOrder.LITTLE_ENDIAN);
    }

    private SegmentTail scan(final int startOffset)
    {
        file = new File(dir, LogTailCheck.segmentFileName(RECORDING_ID, SEGMENT_BASE_POSITION));
        try
        {
            Files.write(file.toPath(), segment.byteArray());
        }
        catch (final IOException ex)
        {
            throw new RuntimeException(ex);
        }

        return SegmentScanner.scan(RECORDING_ID, SEGMENT_BASE_POSITION, file, startOffset, SEGMENT_LENGTH);
    }
}
