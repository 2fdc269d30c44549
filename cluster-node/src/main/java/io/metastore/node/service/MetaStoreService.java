package io.metastore.node.service;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.client.ClusterException;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.Header;
import io.metastore.node.kv.AutoCompaction;
import io.metastore.node.kv.KvStateMachine;
import io.metastore.node.snapshot.SnapshotLoader;
import io.metastore.node.snapshot.SnapshotWriter;
import io.metastore.node.storage.RocksDbStorage;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clustered service: Aeron glue around {@link KvStateMachine}.
 * <p>
 * <b>The batch boundary.</b> Each committed log entry is applied as it is polled, into the storage's write batch,
 * and answered at once on the client's egress (the entry is already on a quorum). The batch is written to RocksDB,
 * with the log position and revision it reaches, in {@link #doBackgroundWork(long)}, which Aeron calls after every
 * poll of the log: one atomic write per poll. Anything that must see the state on disk commits first: a snapshot,
 * a role change, termination. A snapshot also flushes RocksDB's memtables (its write-ahead log is off), so that a
 * restart finds storage at or past the snapshot and skips the log before it rather than rebuild from the snapshot.
 * An entry at or below the position RocksDB holds is skipped, so a restart never applies an entry twice.
 * <p>
 * The same holds for timer events (lease expiry) and new leadership term events (every lease renewed, its timer set
 * again). Waiting inside an entry (a back pressured egress or timer request) runs {@link #doBackgroundWork(long)}
 * from Aeron's idle strategy; the commit is held back then, as the batch would hold half an entry.
 * <p>
 * <b>The key index</b> is loaded from storage after a start in slices, in the same background work: of
 * {@link #INDEX_LOAD_SLICE_KEYS} keys in duty cycles that polled nothing from the log, of
 * {@link #INDEX_LOAD_BUSY_SLICE_KEYS} in the others, so a restart serves at once rather than after reading every
 * key.
 * <p>
 * A bad request gets an error response and changes nothing. Any other failure while applying or committing (a
 * storage error, a full disk, a bug) stops the node with its batch discarded: skipping the entry would make this
 * replica diverge.
 */
public final class MetaStoreService implements ClusteredService
{
    /**
     * Keys of the key index loaded from storage per duty cycle after a start: a few milliseconds, so the log is
     * polled between slices.
     */
    static final int INDEX_LOAD_SLICE_KEYS = 4096;

    /**
     * Keys of the key index loaded in a duty cycle that polled the log: tens of microseconds.
     */
    static final int INDEX_LOAD_BUSY_SLICE_KEYS = 64;

    /**
     * Changes below the compacted revision looked at per duty cycle that polled nothing, removing what no read can
     * see any more: a few milliseconds.
     */
    static final int COMPACTION_SLICE_CHANGES = 4096;

    /**
     * Changes below the compacted revision looked at in a duty cycle that polled the log.
     */
    static final int COMPACTION_BUSY_SLICE_CHANGES = 64;

    /**
     * Role changes, leadership terms and snapshots only, from the service's thread: never a line per request, and
     * nothing logged feeds back into the state.
     */
    private static final Logger LOG = LoggerFactory.getLogger(MetaStoreService.class);

    private final RocksDbStorage storage;
    private final KvStateMachine stateMachine;
    private final ResponseEncoder responses;
    private final IngressAdapter ingressAdapter;
    private final int snapshotChunkBytes;
    private final AutoCompaction autoCompaction;
    private SnapshotWriter snapshotWriter;
    private final ErrorHandler errorHandler;
    private final Egress egress;
    private final ServiceCounters counters = ServiceCounters.inMemory();
    private long countedCompactedRevision = -1;
    private long countedRemovedRevision = -1;
    private int pendingEntries;
    private final ClusterLeaseTimers leaseTimers = new ClusterLeaseTimers();
    private final AtomicLong appliedRequests = new AtomicLong();
    private final Runnable applyMessage = this::applyMessage;
    private final Runnable applyTimer = this::applyTimer;
    private final Runnable applyNewTerm = this::applyNewTerm;
    private DirectBuffer entryBuffer;
    private int entryOffset;
    private int entryLength;
    private long entryTimestamp;
    private long entryTimerId;
    private Cluster cluster;
    private IdleStrategy idleStrategy;
    private long pendingPosition;
    private long idlePosition = Long.MIN_VALUE;
    private volatile long committedRevision;
    private volatile long committedPosition;
    private volatile long answeredRevision;
    private volatile boolean rebuiltFromSnapshot;
    private volatile boolean hasStarted;
    private volatile long snapshotPosition;
    private volatile long snapshotBytes;
    private volatile int leaderMemberId = -1;
    private final AtomicBoolean isReclaimRequested = new AtomicBoolean();
    private boolean isApplying;
    private boolean hasFailed;
    private TimeUnit timeUnit = TimeUnit.MILLISECONDS;
    private Runnable committedListener = () -> {};

    /**
     * @param storage      to materialise the state in; owned by the caller.
     * @param settings     limits and batching of the service.
     * @param errorHandler for failures that stop the node.
     */
    public MetaStoreService(
        final RocksDbStorage storage, final ServiceSettings settings, final ErrorHandler errorHandler)
    {
        this.storage = storage;
        this.errorHandler = errorHandler;
        this.egress = new Egress(settings.egressRetryLimit(), errorHandler, counters);
        this.stateMachine = new KvStateMachine(
            storage, settings.maxResponseBytes(), settings.leaseLimits(), leaseTimers);
        this.responses = new ResponseEncoder(
            settings.clusterId(), settings.egressBatchBytes(), settings.maxResponseBytes(), egress, counters);
        this.ingressAdapter = new IngressAdapter(
            stateMachine, responses, settings.maxKeyBytes(), settings.maxValueBytes(), settings.maxTxnOps());
        this.snapshotChunkBytes = settings.snapshotChunkBytes();
        this.autoCompaction = settings.autoCompaction();
        this.ingressAdapter.onDefragment(() -> isReclaimRequested.set(true));
        this.responses.errorHandler(errorHandler);
    }

    /**
     * Told on the service's thread each time a batch is committed to storage, after {@link #committedRevision()} has
     * moved: the member's read port is woken with it rather than finding the batch at its next poll. Set before the
     * service starts. It must not block or throw, and it changes nothing the state machine reads.
     *
     * @param listener called after each commit.
     * @return this.
     */
    public MetaStoreService committedListener(final Runnable listener)
    {
        this.committedListener = listener;
        return this;
    }

    /**
     * A defragment request reached this member: the space monitor reclaims space on its own thread. Safe to call
     * from any thread.
     *
     * @return true once per request (or per several that came before it was asked).
     */
    public boolean takeReclaimRequest()
    {
        return isReclaimRequested.getAndSet(false);
    }

    @Override
    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        this.idleStrategy = cluster.idleStrategy();
        final Aeron aeron = cluster.aeron();
        if (null != aeron)
        {
            // In the member's media driver from here on, for AeronStat and the metrics endpoint; freed with the
            // container's Aeron client.
            counters.allocate(aeron::addCounter);
        }
        leaseTimers.cluster(cluster);
        egress.idleStrategy(idleStrategy);
        this.snapshotWriter = new SnapshotWriter(snapshotChunkBytes, idleStrategy);
        if (null != snapshotImage)
        {
            final long startNs = System.nanoTime();
            final SnapshotLoader loader = new SnapshotLoader(storage);
            final long imageStart = snapshotImage.position();
            rebuiltFromSnapshot = loader.load(snapshotImage, idleStrategy);
            snapshotPosition = loader.logPosition();
            // Read whole only when loaded; a start that keeps storage reads no further than its header, and takes the
            // length the store noted when the snapshot was taken.
            snapshotBytes = rebuiltFromSnapshot ?
                snapshotImage.position() - imageStart : storage.recordedSnapshotBytes();
            if (rebuiltFromSnapshot)
            {
                storage.recordSnapshotBytes(snapshotBytes);
                stateMachine.reloadFromStorage();
            }
            LOG.info("snapshot at log position {} loaded in {} ms: {}", snapshotPosition,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), rebuiltFromSnapshot ?
                "storage rebuilt from it" : "storage kept, it already holds the state up to log position " +
                storage.appliedPosition());
        }
        pendingPosition = storage.appliedPosition();
        committedRevision = storage.appliedRevision();
        committedPosition = pendingPosition;
        counters.onStarted(committedRevision, stateMachine.leaseCount());
        countHistory();
        hasStarted = true;
    }

    /**
     * @return true once the service has loaded its state (a snapshot, if any) and storage will no longer be replaced;
     *         safe to read from any thread.
     */
    public boolean hasStarted()
    {
        return hasStarted;
    }

    /**
     * @return the leader of the last leadership term this member learned of from its log, -1 before any; safe from
     *         any thread (a member's status on its read port).
     */
    public int leaderMemberId()
    {
        return leaderMemberId;
    }

    @Override
    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
    }

    @Override
    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
    }

    @Override
    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        final long logPosition = cluster.logPosition();
        if (logPosition > storage.appliedPosition())
        {
            egress.session(session);
            entryBuffer = buffer;
            entryOffset = offset;
            entryLength = length;
            entryTimestamp = timestamp;
            apply(applyMessage, logPosition);
        }
    }

    @Override
    public void onTimerEvent(final long correlationId, final long timestamp)
    {
        final long logPosition = cluster.logPosition();
        if (logPosition > storage.appliedPosition())
        {
            entryTimerId = correlationId;
            entryTimestamp = timestamp;
            apply(applyTimer, logPosition);
        }
    }

    @Override
    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        final long startNs = System.nanoTime();
        commit();
        storage.flush();
        final long publicationStart = snapshotPublication.position();
        final long keys = snapshotWriter.write(snapshotPublication, storage);
        snapshotBytes = snapshotPublication.position() - publicationStart;
        storage.recordSnapshotBytes(snapshotBytes);
        snapshotPosition = storage.appliedPosition();
        LOG.info("snapshot taken at log position {}, revision {}, {} keys, {} MiB, in {} ms", snapshotPosition,
            storage.appliedRevision(), keys, snapshotBytes / (1024 * 1024),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    }

    /**
     * @return the length in bytes of the last snapshot this member took or rebuilt its storage from, or that its store
     * noted when it took the snapshot it started from, 0 if none; safe to read from any thread.
     */
    public long snapshotBytes()
    {
        return snapshotBytes;
    }

    /**
     * @return the log position of the state held by the last snapshot this member took or started from, 0 if none;
     * safe to read from any thread.
     */
    public long snapshotPosition()
    {
        return snapshotPosition;
    }

    @Override
    public void onRoleChange(final Cluster.Role newRole)
    {
        commit();
        LOG.info("role changed to {}", newRole);
    }

    @Override
    public void onTerminate(final Cluster cluster)
    {
        commit();
    }

    @Override
    public void onNewLeadershipTermEvent(
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final long termBaseLogPosition,
        final int leaderMemberId,
        final int logSessionId,
        final TimeUnit timeUnit,
        final int appVersion)
    {
        this.timeUnit = timeUnit;
        this.leaderMemberId = leaderMemberId;
        leaseTimers.timeUnit(timeUnit);
        responses.leadershipTermId(leadershipTermId);
        LOG.info("leadership term {}: leader member {}, from log position {}{}", leadershipTermId, leaderMemberId,
            logPosition, logPosition < storage.appliedPosition() ? " (replayed, already in storage)" : "");

        // The event's log position is where it starts; RocksDB holds it if it holds anything past that. Once applied
        // it counts as held by marking the position one past its start, which is below the end of the next entry.
        if (logPosition >= storage.appliedPosition())
        {
            entryTimestamp = timestamp;
            apply(applyNewTerm, logPosition + 1);
        }
    }

    @Override
    public int doBackgroundWork(final long nowNs)
    {
        if (commit())
        {
            return 1;
        }
        if (hasFailed || isApplying || null == cluster)
        {
            return 0;
        }
        // The log comes first: a whole slice only when this duty cycle polled nothing, a small one otherwise, so a
        // replay or a busy log is slowed little and the index is still loaded under a load that never lets up (until
        // it is whole a miss costs a storage read).
        final long logPosition = cluster.logPosition();
        final boolean isIdle = logPosition == idlePosition;
        idlePosition = logPosition;

        try
        {
            final int loaded = stateMachine.loadIndex(isIdle ? INDEX_LOAD_SLICE_KEYS : INDEX_LOAD_BUSY_SLICE_KEYS);
            if (loaded > 0)
            {
                return loaded;
            }
            final int removed = storage.compactStep(isIdle ? COMPACTION_SLICE_CHANGES : COMPACTION_BUSY_SLICE_CHANGES);
            countHistory();
            return removed;
        }
        catch (final Throwable ex)
        {
            failStop(ex);
            return 0;
        }
    }

    private void countHistory()
    {
        final long compacted = storage.committedCompactedRevision();
        final long removed = storage.removedRevision();
        if (compacted != countedCompactedRevision || removed != countedRemovedRevision)
        {
            countedCompactedRevision = compacted;
            countedRemovedRevision = removed;
            counters.onHistory(compacted, removed);
        }
    }

    /**
     * @return requests answered since start, refused ones included; replayed entries skipped are not counted.
     */
    public long appliedRequests()
    {
        return appliedRequests.get();
    }

    /**
     * @return the revision of the state applied so far, committed or not; on the service's thread only.
     */
    public long revision()
    {
        return stateMachine.revision();
    }

    /**
     * @return the revision last committed to storage; safe to read from any thread.
     */
    public long committedRevision()
    {
        return committedRevision;
    }

    /**
     * @return the log position up to which the state is committed to storage; safe to read from any thread.
     */
    public long committedPosition()
    {
        return committedPosition;
    }

    /**
     * @return the revision of the state the last client message was answered from, perhaps not yet committed to
     * storage (the write of a batch follows its answers); safe to read from any thread.
     */
    public long answeredRevision()
    {
        return answeredRevision;
    }

    /**
     * @return true if storage was rebuilt from the snapshot at start, false if it was kept or there was none.
     */
    public boolean rebuiltFromSnapshot()
    {
        return rebuiltFromSnapshot;
    }

    /**
     * @return responses dropped because the client's egress stayed back pressured.
     */
    public long droppedResponses()
    {
        return egress.dropped();
    }

    private boolean commit()
    {
        if (hasFailed || isApplying || pendingPosition <= storage.appliedPosition())
        {
            return false;
        }

        try
        {
            storage.commit(pendingPosition, stateMachine.revision());
            committedRevision = stateMachine.revision();
            committedPosition = pendingPosition;
            counters.onCommitted(
                storage.lastCommitUpdates(), pendingEntries, committedRevision, stateMachine.leaseCount());
            pendingEntries = 0;
        }
        catch (final Throwable ex)
        {
            failStop(ex);
            return true;
        }

        committedListener.run();
        return true;
    }

    /**
     * Apply one log entry into the batch, and count it as applied up to a position: the one place an entry is
     * applied, so that any failure part way stops the node with the batch discarded (see {@link #failStop}).
     */
    private void apply(final Runnable entry, final long appliedPosition)
    {
        isApplying = true;
        try
        {
            entry.run();
            pendingPosition = appliedPosition;
            pendingEntries++;
        }
        catch (final Throwable ex)
        {
            failStop(ex);
        }
        finally
        {
            isApplying = false;
        }
    }

    private void applyMessage()
    {
        responses.memberId(cluster.memberId());
        stateMachine.entryTime(timeUnit.toMillis(entryTimestamp));
        final int answered = ingressAdapter.onMessage(
            entryBuffer, entryOffset, entryLength, timeUnit.toMillis(entryTimestamp));
        appliedRequests.addAndGet(answered);
        answeredRevision = stateMachine.revision();
        responses.flush();
    }

    private void applyTimer()
    {
        final long nowMs = timeUnit.toMillis(entryTimestamp);
        if (AutoCompaction.isTimer(entryTimerId))
        {
            final long compactedAt = stateMachine.onCompactionTimer(entryTimerId, nowMs);
            if (compactedAt > 0)
            {
                LOG.info("auto compaction ({}) at revision {}", AutoCompaction.ofTimer(entryTimerId), compactedAt);
            }
            // The timer carries the leader's setting: the next check is this member's own, if it has one.
            if (autoCompaction.isOn() && autoCompaction.timerId() == entryTimerId)
            {
                leaseTimers.schedule(entryTimerId, nowMs + autoCompaction.checkIntervalMs());
            }
        }
        else
        {
            stateMachine.onLeaseTimer(entryTimerId, nowMs);
        }
    }

    private void applyNewTerm()
    {
        final long nowMs = timeUnit.toMillis(entryTimestamp);
        stateMachine.onNewLeadershipTerm(nowMs);
        if (autoCompaction.isOn())
        {
            leaseTimers.schedule(autoCompaction.timerId(), nowMs + autoCompaction.checkIntervalMs());
        }
    }

    /**
     * An entry could not be applied whole, or the batch could not be written: stop, never skip. Aeron would move past
     * an entry whose handler throws, and its half-applied writes would stay in the batch, so this replica would
     * diverge. The batch is discarded and nothing is committed from here on, not even by the {@link #onTerminate}
     * that Aeron calls on the way out: what RocksDB holds stays the state at its last good commit, and the next
     * start replays the log from there.
     */
    private void failStop(final Throwable ex)
    {
        hasFailed = true;
        try
        {
            storage.discardPending();
        }
        catch (final Throwable suppressed)
        {
            ex.addSuppressed(suppressed);
        }
        if (ex instanceof AgentTerminationException termination)
        {
            // The node is closing while the entry waits (a back pressured egress): not a failure, but the entry is
            // not applied whole either, so the same discard; the log replays it at the next start.
            throw termination;
        }
        errorHandler.onError(new ClusterException(
            "fail stop: the log after logPosition=" + pendingPosition + " could not be applied and committed; " +
            "the node stops and replays it from there on its next start", ex, AeronException.Category.FATAL));
        throw new AgentTerminationException(ex);
    }
}
