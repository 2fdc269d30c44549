package io.metastore.node.log;

import io.aeron.archive.checksum.Checksum;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

/**
 * CRC-32C of a recorded frame's body, as the archive stores it in each frame it records
 * ({@code Archive.Context.recordChecksum}) and as the log tail check verifies it. Aeron's own
 * {@code Checksums.crc32c()} would do the same but needs {@code --add-opens java.base/java.util.zip} in every JVM
 * that runs a node; this copies the bytes once instead, which costs little at the log's rate. One instance per
 * thread: it keeps a scratch array.
 */
public final class RecordChecksum implements Checksum
{
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();
    private byte[] scratch = new byte[4096];

    @Override
    public int compute(final long address, final int offset, final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        view.wrap(address + offset, length);
        view.getBytes(0, scratch, 0, length);
        crc.reset();
        crc.update(scratch, 0, length);

        return (int)crc.getValue();
    }
}
