package io.metastore.node.snapshot;

import io.aeron.ExclusivePublication;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.SnapshotAlarmsEncoder;
import io.metastore.codecs.SnapshotBeginEncoder;
import io.metastore.codecs.SnapshotChunkEncoder;
import io.metastore.codecs.SnapshotEndEncoder;
import io.metastore.codecs.SnapshotLeasesEncoder;
import io.metastore.node.alarm.Alarm;
import io.metastore.node.alarm.AlarmTable;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.node.storage.CommittedState;
import io.metastore.node.storage.RocksDbStorage;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * Streams the committed state into a snapshot sink (a cluster snapshot's publication, or a save's to its client): a
 * begin record with the revision, log position and compacted revision; the kept history in revision order, one record
 * per chunk of the store (a few KiB of changes, copied as the store holds them: see
 * {@link CommittedState#forEachKeptChunk}), from which the keys themselves are rebuilt; chunks of leases of about
 * {@code chunkBytes} each with the lease id sequence, the active alarms in one record when there are any, and an end
 * record with the key count. Every offer is retried until written: a snapshot never drops a chunk.
 */
public final class SnapshotWriter
{
    /**
     * Version of the snapshot layout, checked when loading. 3 added the alarms record; 4 the history, in place of
     * the key-value records, by key (a development build's, no longer loaded); 5 the history in revision order,
     * change by change ({@code SnapshotHistory}, still loaded); 6 the history as the store's chunks
     * ({@code SnapshotChunk}).
     */
    public static final int FORMAT_VERSION = 6;

    /**
     * The development build's layout of the history, by key, which is refused.
     */
    public static final int DEVELOPMENT_FORMAT_VERSION = 4;

    /**
     * Oldest snapshot layout this version still loads: 2 differs from 3 only in having no alarms; before 4 a snapshot
     * holds the keys and no history, which then starts at its revision.
     */
    public static final int MIN_FORMAT_VERSION = 2;

    private static final int LEASE_ENTRY_BYTES = 3 * Long.BYTES;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64 * 1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SnapshotBeginEncoder beginEncoder = new SnapshotBeginEncoder();
    private final SnapshotChunkEncoder chunkEncoder = new SnapshotChunkEncoder();
    private final SnapshotEndEncoder endEncoder = new SnapshotEndEncoder();
    private final SnapshotLeasesEncoder leasesEncoder = new SnapshotLeasesEncoder();
    private final SnapshotAlarmsEncoder alarmsEncoder = new SnapshotAlarmsEncoder();
    private final List<Alarm> alarms = new ArrayList<>();
    private final LongArrayList leaseChunk = new LongArrayList();
    private long keyCount;
    private final int chunkBytes;
    private final IdleStrategy idleStrategy;

    /**
     * @param chunkBytes   target size of one chunk of leases.
     * @param idleStrategy to wait with while the publication is back pressured.
     */
    public SnapshotWriter(final int chunkBytes, final IdleStrategy idleStrategy)
    {
        this.chunkBytes = chunkBytes;
        this.idleStrategy = idleStrategy;
    }

    /**
     * Write the committed state of storage; commit any pending writes before calling.
     *
     * @param publication to write to.
     * @param storage     whose committed state is written.
     * @return the number of keys written.
     */
    public long write(final ExclusivePublication publication, final RocksDbStorage storage)
    {
        return write(new PublicationSink(publication, idleStrategy), storage);
    }

    /**
     * Write a committed state: the live store's after a commit, or a view of it from another thread.
     *
     * @param sink    to write the records to.
     * @param storage whose committed state is written.
     * @return the number of keys written.
     */
    public long write(final SnapshotSink sink, final CommittedState storage)
    {
        beginEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .formatVersion(FORMAT_VERSION)
            .revision(storage.appliedRevision())
            .logPosition(storage.appliedPosition())
            .compactRevision(storage.committedCompactedRevision());
        offer(sink, MessageHeaderEncoder.ENCODED_LENGTH + beginEncoder.encodedLength());

        keyCount = storage.liveKeyCount();
        storage.forEachKeptChunk((key, keyLength, changes, length) ->
        {
            chunkEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
                .putKey(key, 0, keyLength)
                .putChanges(changes, 0, length);
            offer(sink, MessageHeaderEncoder.ENCODED_LENGTH + chunkEncoder.encodedLength());
        });

        final long leaseSequence = storage.committedLeaseSequence();
        leaseChunk.clear();
        storage.forEachCommittedLease((id, ttl, deadline) ->
        {
            leaseChunk.addLong(id);
            leaseChunk.addLong(ttl);
            leaseChunk.addLong(deadline);
            if (leaseChunk.size() * Long.BYTES >= chunkBytes ||
                leaseChunk.size() / 3 == KvStateMachine.MAX_LIST_ENTRIES)
            {
                writeLeaseChunk(sink, leaseSequence);
            }
        });
        writeLeaseChunk(sink, leaseSequence);
        writeAlarms(sink, storage);

        endEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).keyCount(keyCount);
        offer(sink, MessageHeaderEncoder.ENCODED_LENGTH + endEncoder.encodedLength());

        return keyCount;
    }

    /**
     * Write the leases collected so far; the last chunk is written even when empty, to carry the sequence.
     */
    private void writeLeaseChunk(final SnapshotSink sink, final long leaseSequence)
    {
        leasesEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).leaseIdSequence(leaseSequence);
        final SnapshotLeasesEncoder.LeasesEncoder leases = leasesEncoder.leasesCount(leaseChunk.size() / 3);
        for (int i = 0, size = leaseChunk.size(); i < size; i += 3)
        {
            leases.next().id(leaseChunk.getLong(i)).ttl(leaseChunk.getLong(i + 1)).deadline(leaseChunk.getLong(i + 2));
        }
        offer(sink, MessageHeaderEncoder.ENCODED_LENGTH + leasesEncoder.encodedLength());
        leaseChunk.clear();
    }

    /**
     * Write the active alarms, if any: few, so one record always holds them.
     */
    private void writeAlarms(final SnapshotSink sink, final CommittedState storage)
    {
        alarms.clear();
        AlarmTable.decode(storage.committedAlarms(), alarms);
        if (alarms.isEmpty())
        {
            return;
        }

        alarmsEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        final SnapshotAlarmsEncoder.AlarmsEncoder group = alarmsEncoder.alarmsCount(alarms.size());
        for (final Alarm alarm : alarms)
        {
            group.next().memberId(alarm.memberId()).alarm(alarm.type());
        }
        offer(sink, MessageHeaderEncoder.ENCODED_LENGTH + alarmsEncoder.encodedLength());
    }

    private void offer(final SnapshotSink sink, final int length)
    {
        sink.write(buffer, 0, length);
    }
}
