package io.metastore.node.log;

import java.io.File;

/**
 * How the frames of a recording's last segment file end, as {@link SegmentScanner} found them. Offsets are in the
 * file; positions are in the recording (the segment's base position plus the offset).
 */
public final class SegmentTail
{
    /**
     * What the scan found after the last whole frame.
     */
    public enum Kind
    {
        /**
         * The frames end cleanly: an empty frame header follows the last one.
         */
        CLEAN,

        /**
         * The last frame crosses a page boundary and a page after it is all zeros: the write of the frame was cut
         * short at a page, by a full disk or a crash.
         */
        TORN,

        /**
         * The last frame's length runs past the end of the segment: its header is not a frame's.
         */
        OVERRUN,

        /**
         * The last frame is a padding frame that crosses a page boundary. Aeron writes only a padding frame's header,
         * and its recovery takes the zeros after it for a torn write and refuses to start. It holds no entry, so the
         * log can end before it without losing anything.
         */
        PADDING
    }

    private final Kind kind;
    private final long recordingId;
    private final File segmentFile;
    private final long segmentBasePosition;
    private final int frameOffset;
    private final int frameLength;
    private final int endOffset;
    private final int emptyPageOffset;

    SegmentTail(
        final Kind kind,
        final long recordingId,
        final File segmentFile,
        final long segmentBasePosition,
        final int frameOffset,
        final int frameLength,
        final int endOffset,
        final int emptyPageOffset)
    {
        this.kind = kind;
        this.recordingId = recordingId;
        this.segmentFile = segmentFile;
        this.segmentBasePosition = segmentBasePosition;
        this.frameOffset = frameOffset;
        this.frameLength = frameLength;
        this.endOffset = endOffset;
        this.emptyPageOffset = emptyPageOffset;
    }

    /**
     * @return what the scan found.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return true if the tail is torn or overruns the segment, and must be repaired before the archive starts.
     */
    public boolean isDamaged()
    {
        return Kind.TORN == kind || Kind.OVERRUN == kind;
    }

    /**
     * @return id of the recording in the archive's catalog.
     */
    public long recordingId()
    {
        return recordingId;
    }

    /**
     * @return the segment file scanned.
     */
    public File segmentFile()
    {
        return segmentFile;
    }

    /**
     * @return position in the recording of the segment file's first byte.
     */
    public long segmentBasePosition()
    {
        return segmentBasePosition;
    }

    /**
     * @return offset in the file of the last frame: the damaged one, or the last whole one if the tail is clean;
     * -1 if the segment holds no frame.
     */
    public int frameOffset()
    {
        return frameOffset;
    }

    /**
     * @return length of the last frame as its header gives it, 0 if the segment holds no frame.
     */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * @return offset in the file of the first all-zero page within a torn frame, -1 unless {@link Kind#TORN}.
     */
    public int emptyPageOffset()
    {
        return emptyPageOffset;
    }

    /**
     * @return offset in the file where the whole frames end: after the last frame if the tail is clean, at the
     * damaged frame otherwise. Aeron's recovery ends the recording here once the damaged frame is zeroed.
     */
    public int endOffset()
    {
        return endOffset;
    }

    /**
     * @return position in the recording of the last frame.
     */
    public long framePosition()
    {
        return segmentBasePosition + frameOffset;
    }

    @Override
    public String toString()
    {
        return "SegmentTail{" +
            "kind=" + kind +
            ", recordingId=" + recordingId +
            ", segmentFile=" + segmentFile +
            ", segmentBasePosition=" + segmentBasePosition +
            ", frameOffset=" + frameOffset +
            ", frameLength=" + frameLength +
            ", endOffset=" + endOffset +
            ", emptyPageOffset=" + emptyPageOffset +
            '}';
    }
}
