package io.metastore.node.snapshot;

import io.aeron.Image;
import io.aeron.ImageFragmentAssembler;
import io.aeron.cluster.client.ClusterException;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.metastore.codecs.ChangeType;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.SnapshotAlarmsDecoder;
import io.metastore.codecs.SnapshotBeginDecoder;
import io.metastore.codecs.SnapshotChunkDecoder;
import io.metastore.codecs.SnapshotEndDecoder;
import io.metastore.codecs.SnapshotHistoryDecoder;
import io.metastore.codecs.SnapshotKeyValuesDecoder;
import io.metastore.codecs.SnapshotLeasesDecoder;
import io.metastore.node.alarm.Alarm;
import io.metastore.node.alarm.AlarmTable;
import io.metastore.node.kv.KeyValueRecord;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StorageException;
import io.metastore.protocol.SnapshotFile;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a snapshot image into storage. When storage already holds the state at or beyond the snapshot's log
 * position (a restart of the same member) it is kept as it is, the rest of the snapshot is not read, and the log
 * replay skips what storage holds; otherwise
 * storage is cleared and rebuilt from the snapshot, and marked applied only once the end record is read.
 */
public final class SnapshotLoader implements FragmentHandler
{
    /**
     * Chunks of history loaded into one write: a few hundred, not one write per chunk of a few KiB.
     */
    private static final int LOAD_WRITE_BYTES = 1024 * 1024;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SnapshotBeginDecoder beginDecoder = new SnapshotBeginDecoder();
    private final SnapshotKeyValuesDecoder keyValuesDecoder = new SnapshotKeyValuesDecoder();
    private final SnapshotEndDecoder endDecoder = new SnapshotEndDecoder();
    private final SnapshotLeasesDecoder leasesDecoder = new SnapshotLeasesDecoder();
    private final SnapshotAlarmsDecoder alarmsDecoder = new SnapshotAlarmsDecoder();
    private final SnapshotHistoryDecoder historyDecoder = new SnapshotHistoryDecoder();
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private int pendingChunkBytes;
    private boolean isRebuilding;
    private boolean isHistoryLoaded;
    private int subRevision;
    private final List<Alarm> alarms = new ArrayList<>();
    private final RocksDbStorage storage;
    private boolean keepStorage;
    private boolean isDone;
    private long revision;
    private long logPosition;
    private long keyCount;
    private final boolean isRestore;

    /**
     * @param storage to load into.
     */
    public SnapshotLoader(final RocksDbStorage storage)
    {
        this(storage, false);
    }

    private SnapshotLoader(final RocksDbStorage storage, final boolean isRestore)
    {
        this.storage = storage;
        this.isRestore = isRestore;
    }

    /**
     * Restore a snapshot saved from a running member into an empty store, for a new cluster: the state at the saved
     * revision, applied at log position 0, since the new cluster's log starts empty.
     *
     * @param storage to load into; must hold nothing.
     * @param file    saved from a member; checked whole (length, framing, checksum) before anything is loaded.
     * @return the file's header.
     * @throws SnapshotFile.InvalidSnapshotFileException if the file is not a complete, unchanged snapshot.
     * @throws ClusterException                          if its records are not a snapshot this version loads.
     */
    public static SnapshotFile.Header restore(final RocksDbStorage storage, final Path file)
    {
        if (0 != storage.appliedRevision() || 0 != storage.appliedPosition())
        {
            throw new ClusterException("the store at " + storage.dir() + " is not empty");
        }
        final SnapshotLoader loader = new SnapshotLoader(storage, true);
        final UnsafeBuffer copy = new UnsafeBuffer(0, 0);
        final SnapshotFile.Header header = SnapshotFile.readRecords(file, (buffer, offset, length) ->
        {
            copy.wrap(buffer, offset, length);
            loader.onRecord(copy, 0, length);
        });
        if (!loader.isDone)
        {
            throw loader.abandon(new ClusterException(file + ": the snapshot has no end record"));
        }
        if (loader.revision != header.revision())
        {
            storage.clear();
            throw new ClusterException(file + ": the snapshot holds revision " + loader.revision +
                ", its file header says " + header.revision());
        }
        return header;
    }

    /**
     * Read the whole snapshot.
     *
     * @param image        of the snapshot.
     * @param idleStrategy to wait with for more of it.
     * @return true if storage was rebuilt from the snapshot, false if it already held the state.
     */
    public boolean load(final Image image, final IdleStrategy idleStrategy)
    {
        final ImageFragmentAssembler assembler = new ImageFragmentAssembler(this);
        idleStrategy.reset();
        while (!isDone)
        {
            final int fragments = image.poll(assembler, 100);
            if (0 == fragments)
            {
                if (image.isClosed() || image.isEndOfStream())
                {
                    throw abandon(new ClusterException("snapshot ended before its end record"));
                }
            }
            idleStrategy.idle(fragments);
        }

        return !keepStorage;
    }

    /**
     * @return the log position the loaded snapshot was taken at, once its begin record is read.
     */
    public long logPosition()
    {
        return logPosition;
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        onRecord(buffer, offset, length);
    }

    /**
     * Load one snapshot record, from a cluster snapshot's image or a file saved from a member.
     *
     * @param buffer holding the record.
     * @param offset of its SBE message header.
     * @param length of the record.
     */
    public void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (isDone)
        {
            return;
        }
        try
        {
            loadRecord(buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            throw abandon(ex);
        }
    }

    /**
     * Nothing of a snapshot refused part way stays: a store that held part of one would be taken, at the next start
     * or by a member restored into it, for a store that holds that much history.
     */
    private RuntimeException abandon(final RuntimeException ex)
    {
        if (isRebuilding)
        {
            isRebuilding = false;
            try
            {
                storage.clear();
            }
            catch (final RuntimeException clearEx)
            {
                ex.addSuppressed(clearEx);
            }
        }
        return ex;
    }

    private void loadRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new ClusterException("snapshot record of " + length + " bytes is shorter than its header");
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            throw new ClusterException("snapshot record of unknown schema " + headerDecoder.schemaId());
        }

        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case SnapshotBeginDecoder.TEMPLATE_ID:
                beginDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onBegin(beginDecoder.formatVersion(), beginDecoder.revision(), beginDecoder.logPosition(),
                    version >= 2 ? beginDecoder.compactRevision() : beginDecoder.revision());
                break;

            case SnapshotHistoryDecoder.TEMPLATE_ID:
                historyDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onHistory(historyDecoder);
                break;

            case SnapshotChunkDecoder.TEMPLATE_ID:
                chunkDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onChunk(chunkDecoder);
                break;

            case SnapshotKeyValuesDecoder.TEMPLATE_ID:
                keyValuesDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onKeyValues(keyValuesDecoder);
                break;

            case SnapshotLeasesDecoder.TEMPLATE_ID:
                leasesDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onLeases(leasesDecoder);
                break;

            case SnapshotAlarmsDecoder.TEMPLATE_ID:
                alarmsDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onAlarms(alarmsDecoder);
                break;

            case SnapshotEndDecoder.TEMPLATE_ID:
                endDecoder.wrap(buffer, bodyOffset, blockLength, version);
                onEnd(endDecoder.keyCount());
                break;

            default:
                throw new ClusterException("unknown snapshot record template " + headerDecoder.templateId());
        }
    }

    private void onBegin(
        final int formatVersion, final long revision, final long logPosition, final long compactedRevision)
    {
        if (formatVersion < SnapshotWriter.MIN_FORMAT_VERSION || formatVersion > SnapshotWriter.FORMAT_VERSION)
        {
            throw new ClusterException("snapshot format " + formatVersion + " is not between " +
                SnapshotWriter.MIN_FORMAT_VERSION + " and " + SnapshotWriter.FORMAT_VERSION);
        }
        if (SnapshotWriter.DEVELOPMENT_FORMAT_VERSION == formatVersion)
        {
            throw new ClusterException("snapshot format " + formatVersion + " was a development build's: its history " +
                "is not read; remove the member's snapshots and rebuild it from its log or another member");
        }
        this.revision = revision;
        this.logPosition = logPosition;
        isHistoryLoaded = false;
        keepStorage = !isRestore && storage.appliedPosition() >= logPosition;
        if (keepStorage)
        {
            // A restart of the same member: nothing to read past the begin record, so a big snapshot costs no time.
            isDone = true;
        }
        else
        {
            storage.clear();
            isRebuilding = true;
            // Before format 4 a snapshot held no history: it starts at the snapshot's revision.
            storage.putCompactedRevision(formatVersion < 4 ? revision : compactedRevision);
        }
    }

    private void onHistory(final SnapshotHistoryDecoder decoder)
    {
        for (final SnapshotHistoryDecoder.ChangesDecoder change : decoder.changes())
        {
            final long changeRevision = change.revision();
            final int subRevision = change.subRevision();
            final long timestampMs = change.timestamp();
            final boolean isPut = ChangeType.PUT == change.changeType();
            final long createRevision = change.createRevision();
            final long version = change.version();
            final long lease = change.lease();
            final byte[] key = new byte[change.keyLength()];
            change.getKey(key, 0, key.length);
            byte[] record = null;
            if (isPut)
            {
                record = new byte[KeyValueRecord.HEADER_LENGTH + change.valueLength()];
                change.getValue(record, KeyValueRecord.HEADER_LENGTH, record.length - KeyValueRecord.HEADER_LENGTH);
                KeyValueRecord.putHeader(record, createRevision, changeRevision, version, lease);
            }
            else
            {
                change.skipValue();
            }

            // The changes come in revision order: the keys end as the last change of each left them.
            if (!keepStorage)
            {
                if (isPut)
                {
                    storage.put(key, record);
                }
                else
                {
                    storage.delete(key);
                }
                storage.putHistory(key, changeRevision, subRevision, timestampMs, record);
                isHistoryLoaded = true;
            }
        }
        if (!keepStorage)
        {
            storage.writePending();
        }
    }

    private void onChunk(final SnapshotChunkDecoder decoder)
    {
        final byte[] key = new byte[decoder.keyLength()];
        decoder.getKey(key, 0, key.length);
        final byte[] changes = new byte[decoder.changesLength()];
        decoder.getChanges(changes, 0, changes.length);
        if (keepStorage)
        {
            return;
        }
        try
        {
            storage.putChunk(key, changes);
        }
        catch (final StorageException ex)
        {
            throw new ClusterException("snapshot: " + ex.getMessage(), ex);
        }
        isHistoryLoaded = true;
        pendingChunkBytes += changes.length;
        if (pendingChunkBytes >= LOAD_WRITE_BYTES)
        {
            storage.writePending();
            pendingChunkBytes = 0;
        }
    }

    private void onKeyValues(final SnapshotKeyValuesDecoder decoder)
    {
        for (final SnapshotKeyValuesDecoder.EntriesDecoder entry : decoder.entries())
        {
            final long createRevision = entry.createRevision();
            final long modRevision = entry.modRevision();
            final long version = entry.version();
            final long lease = entry.lease();
            final byte[] key = new byte[entry.keyLength()];
            entry.getKey(key, 0, key.length);
            final byte[] record = new byte[KeyValueRecord.HEADER_LENGTH + entry.valueLength()];
            entry.getValue(record, KeyValueRecord.HEADER_LENGTH, record.length - KeyValueRecord.HEADER_LENGTH);
            KeyValueRecord.putHeader(record, createRevision, modRevision, version, lease);
            keyCount++;
            if (!keepStorage)
            {
                storage.put(key, record);
                storage.putHistoryAlone(key, modRevision, subRevision++, record);
            }
        }
        if (!keepStorage)
        {
            storage.writePending();
        }
    }

    private void onLeases(final SnapshotLeasesDecoder decoder)
    {
        final long leaseSequence = decoder.leaseIdSequence();
        for (final SnapshotLeasesDecoder.LeasesDecoder lease : decoder.leases())
        {
            final long id = lease.id();
            final long ttl = lease.ttl();
            final long deadline = lease.deadline();
            if (!keepStorage)
            {
                storage.putLease(id, ttl, deadline);
            }
        }
        if (!keepStorage)
        {
            storage.putLeaseSequence(leaseSequence);
            storage.writePending();
        }
    }

    private void onAlarms(final SnapshotAlarmsDecoder decoder)
    {
        alarms.clear();
        for (final SnapshotAlarmsDecoder.AlarmsDecoder alarm : decoder.alarms())
        {
            alarms.add(new Alarm(alarm.memberId(), alarm.alarm()));
        }
        if (!keepStorage)
        {
            storage.putAlarms(AlarmTable.encode(alarms));
            storage.writePending();
        }
    }

    private void onEnd(final long expectedKeyCount)
    {
        if (isHistoryLoaded)
        {
            keyCount = storage.liveKeyCount();
        }
        if (expectedKeyCount != keyCount)
        {
            throw new ClusterException("snapshot holds " + keyCount + " keys, its end record says " + expectedKeyCount);
        }
        if (!keepStorage)
        {
            // A restored store starts a new cluster, whose log is empty: nothing of it is applied yet.
            storage.commit(isRestore ? 0 : logPosition, revision);
            storage.flush();
            isRebuilding = false;
        }
        isDone = true;
    }
}
