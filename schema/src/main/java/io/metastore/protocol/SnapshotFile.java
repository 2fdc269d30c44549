package io.metastore.protocol;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A snapshot saved from a running member, in a file: a header, then the snapshot's SBE records (the ones a cluster
 * snapshot holds, {@code SnapshotBegin} to {@code SnapshotEnd}) each framed by its length, little-endian.
 * <pre>
 *   0  magic            8  "MSSNAP\0\1"
 *   8  format version   4
 *  12  member id        4  the member it was saved from
 *  16  revision         8  of the state it holds
 *  24  log position     8  the member's applied log position for that state
 *  32  compact revision 8
 *  40  body length      8  bytes after the header
 *  48  records          8
 *  56  checksum         4  CRC-32C of the body, then of the header's first 56 bytes
 *  60  reserved         4
 * </pre>
 * The header is written last, so a save that did not finish leaves a file every reader refuses.
 */
public final class SnapshotFile
{
    /**
     * The file's first eight bytes.
     */
    public static final long MAGIC = 0x0100_5041_4E53_534DL;

    /**
     * Version of this layout.
     */
    public static final int FORMAT_VERSION = 1;

    /**
     * Length of the header.
     */
    public static final int HEADER_LENGTH = 64;

    private static final int VERSION_OFFSET = 8;
    private static final int MEMBER_ID_OFFSET = 12;
    private static final int REVISION_OFFSET = 16;
    private static final int LOG_POSITION_OFFSET = 24;
    private static final int COMPACT_REVISION_OFFSET = 32;
    private static final int BODY_LENGTH_OFFSET = 40;
    private static final int RECORDS_OFFSET = 48;
    private static final int CHECKSUM_OFFSET = 56;
    private static final int LENGTH_PREFIX = Integer.BYTES;
    private static final int MIN_RECORD_LENGTH = 8;
    private static final int MAX_RECORD_LENGTH = 64 * 1024 * 1024;
    private static final int READ_BUFFER_BYTES = 1024 * 1024;

    private SnapshotFile()
    {
    }

    /**
     * What the header of a verified file says.
     *
     * @param memberId        the member it was saved from.
     * @param revision        of the state.
     * @param logPosition     the member's applied log position for that state.
     * @param compactRevision of the state.
     * @param records         snapshot records in the file.
     * @param fileBytes       size of the file.
     * @param checksum        CRC-32C of the file, as the header holds it.
     */
    public record Header(
        int memberId,
        long revision,
        long logPosition,
        long compactRevision,
        long records,
        long fileBytes,
        int checksum)
    {
        /**
         * @return the checksum as eight hex digits.
         */
        public String checksumHex()
        {
            return String.format("%08x", checksum);
        }
    }

    /**
     * A snapshot file that cannot be read: not one, cut short, or changed since it was written.
     */
    public static final class InvalidSnapshotFileException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message saying what is wrong with which file.
         */
        public InvalidSnapshotFileException(final String message)
        {
            super(message);
        }
    }

    /**
     * Takes each record of a file in turn.
     */
    @FunctionalInterface
    public interface RecordHandler
    {
        /**
         * @param buffer holding the record, valid only during the call.
         * @param offset of the record's SBE message header.
         * @param length of the record.
         */
        void onRecord(DirectBuffer buffer, int offset, int length);
    }

    /**
     * Writes a file: records as they come, then the header. Not thread safe.
     */
    public static final class Writer implements AutoCloseable
    {
        private final Path path;
        private final FileChannel channel;
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer lengthBuffer = ByteBuffer.allocate(LENGTH_PREFIX).order(ByteOrder.LITTLE_ENDIAN);
        private byte[] copy = new byte[64 * 1024];
        private long bodyLength;
        private long records;
        private boolean isComplete;

        /**
         * Create the file, which must not exist.
         *
         * @param path of the file.
         * @throws IOException if it exists or cannot be created.
         */
        public Writer(final Path path) throws IOException
        {
            this.path = path;
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            channel.position(HEADER_LENGTH);
        }

        /**
         * @param buffer holding a record.
         * @param offset of its SBE message header.
         * @param length of the record.
         * @throws IOException if it cannot be written.
         */
        public void append(final DirectBuffer buffer, final int offset, final int length) throws IOException
        {
            if (copy.length < length)
            {
                copy = new byte[Math.max(length, copy.length * 2)];
            }
            buffer.getBytes(offset, copy, 0, length);
            lengthBuffer.clear();
            lengthBuffer.putInt(0, length);
            crc.update(lengthBuffer.array(), 0, LENGTH_PREFIX);
            crc.update(copy, 0, length);
            writeFully(lengthBuffer);
            writeFully(ByteBuffer.wrap(copy, 0, length));
            bodyLength += LENGTH_PREFIX + length;
            records++;
        }

        /**
         * Write the header and force the file to disk.
         *
         * @param memberId        the member it was saved from.
         * @param revision        of the state.
         * @param logPosition     the member's applied log position for that state.
         * @param compactRevision of the state.
         * @return the header written.
         * @throws IOException if it cannot be written.
         */
        public Header complete(
            final int memberId, final long revision, final long logPosition, final long compactRevision)
            throws IOException
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(0, MAGIC)
                .putInt(VERSION_OFFSET, FORMAT_VERSION)
                .putInt(MEMBER_ID_OFFSET, memberId)
                .putLong(REVISION_OFFSET, revision)
                .putLong(LOG_POSITION_OFFSET, logPosition)
                .putLong(COMPACT_REVISION_OFFSET, compactRevision)
                .putLong(BODY_LENGTH_OFFSET, bodyLength)
                .putLong(RECORDS_OFFSET, records);
            crc.update(header.array(), 0, CHECKSUM_OFFSET);
            final int checksum = (int)crc.getValue();
            header.putInt(CHECKSUM_OFFSET, checksum);
            channel.position(0);
            writeFully(header);
            channel.force(true);
            isComplete = true;

            return new Header(memberId, revision, logPosition, compactRevision, records,
                HEADER_LENGTH + bodyLength, checksum);
        }

        /**
         * Close the file; one not completed is deleted.
         *
         * @throws IOException if it cannot be closed or deleted.
         */
        public void close() throws IOException
        {
            channel.close();
            if (!isComplete)
            {
                Files.deleteIfExists(path);
            }
        }

        private void writeFully(final ByteBuffer bytes) throws IOException
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
        }
    }

    /**
     * Check a file whole: its header, its framing and its checksum.
     *
     * @param path of the file.
     * @return its header.
     * @throws InvalidSnapshotFileException if it is not a complete, unchanged snapshot file.
     */
    public static Header verify(final Path path)
    {
        return read(path, null);
    }

    /**
     * Check a file whole, then hand over each of its records in order.
     *
     * @param path    of the file.
     * @param handler of each record.
     * @return its header.
     * @throws InvalidSnapshotFileException if it is not a complete, unchanged snapshot file.
     */
    public static Header readRecords(final Path path, final RecordHandler handler)
    {
        final Header header = verify(path);
        read(path, handler);
        return header;
    }

    private static Header read(final Path path, final RecordHandler handler)
    {
        final long fileBytes;
        try
        {
            fileBytes = Files.size(path);
        }
        catch (final NoSuchFileException ex)
        {
            throw new InvalidSnapshotFileException(path + ": no such file");
        }
        catch (final IOException ex)
        {
            throw new InvalidSnapshotFileException(path + ": cannot be read: " + ex.getMessage());
        }
        if (fileBytes < HEADER_LENGTH)
        {
            throw new InvalidSnapshotFileException(path + ": not a MetaStore snapshot: " + fileBytes +
                " bytes, shorter than a header");
        }

        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), READ_BUFFER_BYTES))
        {
            final byte[] headerBytes = in.readNBytes(HEADER_LENGTH);
            final UnsafeBuffer header = new UnsafeBuffer(headerBytes);
            if (MAGIC != header.getLong(0, ByteOrder.LITTLE_ENDIAN))
            {
                throw new InvalidSnapshotFileException(path + ": not a MetaStore snapshot (no snapshot header; " +
                    "a save that did not finish leaves none)");
            }
            final int version = header.getInt(VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (FORMAT_VERSION != version)
            {
                throw new InvalidSnapshotFileException(path + ": snapshot file format " + version +
                    " is not supported (this version reads " + FORMAT_VERSION + ")");
            }
            final long bodyLength = header.getLong(BODY_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
            if (bodyLength != fileBytes - HEADER_LENGTH)
            {
                throw new InvalidSnapshotFileException(path + ": truncated or extended: the header says " +
                    (HEADER_LENGTH + bodyLength) + " bytes, the file has " + fileBytes);
            }
            final long records = header.getLong(RECORDS_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int checksum = header.getInt(CHECKSUM_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final CRC32C crc = null == handler ? new CRC32C() : null;
            final long recordsRead = readBody(path, in, bodyLength, handler, crc);
            if (null != crc)
            {
                verifyChecksum(path, headerBytes, checksum, crc);
                if (recordsRead != records)
                {
                    throw new InvalidSnapshotFileException(path + ": corrupted: the header says " + records +
                        " records, the file holds " + recordsRead);
                }
            }

            return new Header(
                header.getInt(MEMBER_ID_OFFSET, ByteOrder.LITTLE_ENDIAN),
                header.getLong(REVISION_OFFSET, ByteOrder.LITTLE_ENDIAN),
                header.getLong(LOG_POSITION_OFFSET, ByteOrder.LITTLE_ENDIAN),
                header.getLong(COMPACT_REVISION_OFFSET, ByteOrder.LITTLE_ENDIAN),
                records,
                fileBytes,
                checksum);
        }
        catch (final IOException ex)
        {
            throw new InvalidSnapshotFileException(path + ": cannot be read: " + ex.getMessage());
        }
    }

    private static void verifyChecksum(final Path path, final byte[] header, final int checksum, final CRC32C crc)
    {
        crc.update(header, 0, CHECKSUM_OFFSET);
        if ((int)crc.getValue() != checksum)
        {
            throw new InvalidSnapshotFileException(path + ": corrupted: checksum " +
                String.format("%08x", (int)crc.getValue()) + " does not match the header's " +
                String.format("%08x", checksum));
        }
    }

    private static long readBody(
        final Path path, final InputStream in, final long bodyLength, final RecordHandler handler, final CRC32C crc)
        throws IOException
    {
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(64 * 1024);
        final byte[] lengthBytes = new byte[LENGTH_PREFIX];
        final UnsafeBuffer lengthBuffer = new UnsafeBuffer(lengthBytes);
        long position = 0;
        long records = 0;
        while (position < bodyLength)
        {
            if (bodyLength - position < LENGTH_PREFIX || LENGTH_PREFIX != in.readNBytes(lengthBytes, 0, LENGTH_PREFIX))
            {
                throw new InvalidSnapshotFileException(path + ": corrupted: a record's length is cut short at byte " +
                    (HEADER_LENGTH + position));
            }
            final int length = lengthBuffer.getInt(0, ByteOrder.LITTLE_ENDIAN);
            position += LENGTH_PREFIX;
            if (length < MIN_RECORD_LENGTH || length > MAX_RECORD_LENGTH || length > bodyLength - position)
            {
                throw new InvalidSnapshotFileException(path + ": corrupted: a record at byte " +
                    (HEADER_LENGTH + position - LENGTH_PREFIX) + " has length " + length);
            }
            record.checkLimit(length);
            final byte[] bytes = record.byteArray();
            if (length != in.readNBytes(bytes, 0, length))
            {
                throw new InvalidSnapshotFileException(path + ": truncated in a record at byte " +
                    (HEADER_LENGTH + position));
            }
            position += length;
            records++;
            if (null != crc)
            {
                crc.update(lengthBytes, 0, LENGTH_PREFIX);
                crc.update(bytes, 0, length);
            }
            if (null != handler)
            {
                handler.onRecord(record, 0, length);
            }
        }

        return records;
    }
}
