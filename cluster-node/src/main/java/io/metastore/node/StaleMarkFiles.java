package io.metastore.node;

import io.aeron.archive.ArchiveMarkFile;
import io.aeron.cluster.service.ClusterMarkFile;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Marks the archive's and the cluster's mark files of a previous run as inactive, once {@link NodeLock} has proved
 * their owner dead. Aeron refuses to start ("active mark file detected") while a mark file's activity timestamp is
 * younger than its liveness timeout (10 s), which after a kill -9 it is; Aeron 1.51 has no option to skip that check.
 * Zeroing the timestamp lets Aeron take the file over as it takes over any stale one: it keeps the consensus module's
 * candidate term and saves the previous run's errors beside it. A file too short to hold a header, or never
 * initialised (a run killed while creating it), is deleted and Aeron creates it afresh.
 */
final class StaleMarkFiles
{
    private static final int HEADER_OFFSET = io.aeron.cluster.codecs.mark.MessageHeaderDecoder.ENCODED_LENGTH;

    private StaleMarkFiles()
    {
    }

    /**
     * Retire the mark files of the archive and of the consensus module and service container.
     *
     * @param archiveDir the archive's directory, where its mark file lives.
     * @param clusterDir the cluster's directory, where the consensus module's and services' mark files live.
     * @param serviceCount number of clustered services.
     */
    static void retire(final File archiveDir, final File clusterDir, final int serviceCount)
    {
        retire(
            new File(archiveDir, ArchiveMarkFile.FILENAME),
            io.aeron.archive.codecs.mark.MarkFileHeaderDecoder.TEMPLATE_ID,
            io.aeron.archive.codecs.mark.MarkFileHeaderDecoder.SCHEMA_ID,
            io.aeron.archive.codecs.mark.MarkFileHeaderDecoder.versionEncodingOffset(),
            io.aeron.archive.codecs.mark.MarkFileHeaderDecoder.activityTimestampEncodingOffset());

        retireClusterMarkFile(new File(clusterDir, ClusterMarkFile.FILENAME));
        for (int serviceId = 0; serviceId < serviceCount; serviceId++)
        {
            retireClusterMarkFile(new File(clusterDir, ClusterMarkFile.markFilenameForService(serviceId)));
        }
    }

    private static void retireClusterMarkFile(final File file)
    {
        retire(
            file,
            io.aeron.cluster.codecs.mark.MarkFileHeaderDecoder.TEMPLATE_ID,
            io.aeron.cluster.codecs.mark.MarkFileHeaderDecoder.SCHEMA_ID,
            io.aeron.cluster.codecs.mark.MarkFileHeaderDecoder.versionEncodingOffset(),
            io.aeron.cluster.codecs.mark.MarkFileHeaderDecoder.activityTimestampEncodingOffset());
    }

    private static void retire(
        final File file,
        final int templateId,
        final int schemaId,
        final int versionOffset,
        final int activityTimestampOffset)
    {
        if (!file.exists())
        {
            return;
        }

        final int timestampOffset = HEADER_OFFSET + activityTimestampOffset;
        final int length = Math.max(HEADER_OFFSET + versionOffset + Integer.BYTES, timestampOffset + Long.BYTES);
        boolean isRetired = false;
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            if (channel.size() >= length)
            {
                final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
                try
                {
                    // Both schemas share the message header layout: block length, template id, schema id, version.
                    final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
                    final int fileTemplateId = buffer.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                    final int fileSchemaId = buffer.getShort(4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                    if (templateId == fileTemplateId && schemaId == fileSchemaId &&
                        0 != buffer.getIntVolatile(HEADER_OFFSET + versionOffset))
                    {
                        buffer.putLongVolatile(timestampOffset, 0);
                        isRetired = true;
                    }
                }
                finally
                {
                    IoUtil.unmap(mapped);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot retire stale mark file " + file, ex);
        }

        if (!isRetired)
        {
            try
            {
                Files.deleteIfExists(file.toPath());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete stale mark file " + file, ex);
            }
        }
    }
}
