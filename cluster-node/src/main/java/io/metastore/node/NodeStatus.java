package io.metastore.node;

import io.aeron.archive.CatalogView;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.archive.status.RecordingPos;
import io.aeron.cluster.ConsensusModule;
import io.metastore.node.reader.MemberStatusSource;
import io.metastore.node.service.MetaStoreService;
import io.metastore.node.storage.RocksDbStorage;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;

/**
 * A member's status beyond its store, for its read port: the role and commit position from the consensus module's
 * counters, the leader the service learned of last, the store's size, errors since start, and the log recording.
 * <p>
 * The log is the recording of the log's stream in the member's archive catalog (read through Aeron's
 * {@link CatalogView}, read only, as Aeron's ArchiveTool does beside a running archive): the newest such recording's
 * start position is the oldest log position still replayable; its end is its stop position, or while it records the
 * archive's recording position counter for it.
 */
final class NodeStatus implements MemberStatusSource
{
    private final AtomicCounter roleCounter;
    private final AtomicCounter commitPositionCounter;
    private final MetaStoreService service;
    private final RocksDbStorage storage;
    private final NodeErrors errors;
    private final File archiveDir;
    private final int logStreamId;
    private final CountersReader counters;
    private final String version;
    private long recordingId;
    private long startPosition;
    private long stopPosition;

    NodeStatus(
        final ConsensusModule.Context consensusModule,
        final MetaStoreService service,
        final RocksDbStorage storage,
        final NodeErrors errors,
        final File archiveDir,
        final CountersReader counters)
    {
        this.roleCounter = consensusModule.clusterNodeRoleCounter();
        this.commitPositionCounter = consensusModule.commitPositionCounter();
        this.service = service;
        this.storage = storage;
        this.errors = errors;
        this.archiveDir = archiveDir;
        this.logStreamId = consensusModule.logStreamId();
        this.counters = counters;
        final String implementationVersion = MetaStoreNode.class.getPackage().getImplementationVersion();
        this.version = null != implementationVersion ? implementationVersion : "development build";
    }

    @Override
    public int role()
    {
        return (int)roleCounter.get();
    }

    @Override
    public int leaderMemberId()
    {
        return service.leaderMemberId();
    }

    @Override
    public long commitPosition()
    {
        return commitPositionCounter.get();
    }

    @Override
    public long storeBytes()
    {
        return storage.sizeBytes();
    }

    @Override
    public void logPositions(final long[] positions)
    {
        positions[0] = -1;
        positions[1] = -1;
        recordingId = -1;
        final RecordingDescriptorConsumer consumer =
            (controlSessionId, correlationId, id, startTimestamp, stopTimestamp, start, stop, initialTermId,
            segmentFileLength, termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel,
            sourceIdentity) ->
            {
                if (logStreamId == streamId && id > recordingId)
                {
                    recordingId = id;
                    startPosition = start;
                    stopPosition = stop;
                }
            };
        try
        {
            CatalogView.listRecordings(archiveDir, consumer);
        }
        catch (final RuntimeException ex)
        {
            // A catalog that cannot be read now: the log's positions are not known, the rest of the status is.
            return;
        }
        if (recordingId < 0)
        {
            return;
        }
        positions[0] = startPosition;
        positions[1] = stopPosition;
        if (AeronArchive.NULL_POSITION == stopPosition)
        {
            final int counterId = RecordingPos.findCounterIdByRecording(counters, recordingId);
            positions[1] = CountersReader.NULL_COUNTER_ID == counterId ? -1 : counters.getCounterValue(counterId);
        }
    }

    @Override
    public long errorCount()
    {
        return errors.count();
    }

    @Override
    public String version()
    {
        return version;
    }
}
