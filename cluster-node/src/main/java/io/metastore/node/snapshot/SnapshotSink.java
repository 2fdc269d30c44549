package io.metastore.node.snapshot;

import org.agrona.DirectBuffer;

/**
 * Where {@link SnapshotWriter} puts each record: a cluster snapshot's publication, or the publication of a snapshot
 * saved from a running member to its client, which writes the records to a file.
 */
@FunctionalInterface
public interface SnapshotSink
{
    /**
     * Take one record whole, waiting as long as the sink needs; a record is never dropped.
     *
     * @param buffer holding the record.
     * @param offset of its SBE message header.
     * @param length of the record.
     */
    void write(DirectBuffer buffer, int offset, int length);
}
