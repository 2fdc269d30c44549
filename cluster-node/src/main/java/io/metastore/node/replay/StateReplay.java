package io.metastore.node.replay;

import io.aeron.Image;
import io.aeron.cluster.RecordingLog;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.codecs.ClusterAction;
import io.aeron.logbuffer.Header;
import io.metastore.node.service.MetaStoreService;
import io.metastore.node.service.ServiceSettings;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Rebuilds the state a member held at a point of its log, by running the node's own service over the recorded log:
 * from the member's newest snapshot before that point (the service loads it as it does at start) or from the start of
 * the log, every entry applied as the member applied it, committed to a RocksDB of its own in a new directory. The
 * point is a log position, a revision (the end of the entry that reached it) or a cluster time (the last entry at or
 * before it).
 * <p>
 * The service is the member's, with its settings: a member run with other limits than the defaults is replayed with
 * the same {@code metastore.*} properties, or the replay refuses what the member accepted.
 */
public final class StateReplay implements LogEntryListener, AutoCloseable
{
    private final RocksDbStorage storage;
    private final MetaStoreService service;
    private final ReplaySession session = new ReplaySession();
    private final ReplayCluster cluster;
    private final LogEntryListener observer;
    private long toRevision = Long.MAX_VALUE;
    private long toTimestamp = Long.MAX_VALUE;
    private long entries;
    private long position;
    private long timestamp;
    private long leadershipTermId;
    private long snapshotPosition = -1;
    private long fromPosition = Long.MAX_VALUE;
    private boolean hasStarted;

    /**
     * @param stateDir where to build the state: a directory that does not exist yet, or is empty.
     * @param settings the member's service settings.
     * @param memberId of the member replayed.
     * @param observer told of each entry once it is applied (for example a dump); null for none.
     */
    public StateReplay(
        final File stateDir, final ServiceSettings settings, final int memberId, final LogEntryListener observer)
    {
        final String[] existing = stateDir.list();
        if (null != existing && existing.length > 0)
        {
            throw new IllegalArgumentException("the directory " + stateDir + " is not empty: replay into a new one");
        }
        this.storage = RocksDbStorage.open(stateDir);
        this.service = new MetaStoreService(storage, settings, ex ->
        {
            throw new IllegalStateException("the replay could not apply the log: " + ex.getMessage(), ex);
        });
        this.cluster = new ReplayCluster(memberId, session);
        this.observer = observer;
    }

    /**
     * Stop after the entry that brings the revision to at least this one.
     *
     * @param revision to stop at.
     * @return this.
     */
    public StateReplay toRevision(final long revision)
    {
        this.toRevision = revision;
        return this;
    }

    /**
     * Stop before the first entry later than this cluster time.
     *
     * @param timestampMs cluster time, in milliseconds since the epoch.
     * @return this.
     */
    public StateReplay toTimestamp(final long timestampMs)
    {
        this.toTimestamp = timestampMs;
        return this;
    }

    /**
     * Start no later than a position: from the newest snapshot at or before it, so every entry after it is applied
     * here and seen by the observer (a dump from that position).
     *
     * @param position the replay starts at or before.
     * @return this.
     */
    public StateReplay fromPositionAtMost(final long position)
    {
        this.fromPosition = position;
        return this;
    }

    /**
     * Load the newest snapshot at or before a position, if there is one, then apply the log from there up to the
     * position, or to the revision or time set.
     *
     * @param log        recorded.
     * @param toPosition the end of the last entry that may be applied.
     * @param progress   given the position reached now and then.
     * @return the position reached: the end of the last entry applied.
     */
    public long replay(final RecordedLog log, final long toPosition, final LongConsumer progress)
    {
        RecordingLog.Entry snapshot = log.snapshotAtOrBefore(Math.min(toPosition, fromPosition));
        if (null == snapshot && log.startPosition() > 0 && fromPosition < toPosition)
        {
            // A read from before what is still recorded (a dump from the start of a purged log): the oldest point
            // that can be rebuilt is the first snapshot still replayable.
            final RecordingLog.Entry oldest = log.snapshotAtOrAfter(log.startPosition());
            snapshot = null != oldest && oldest.logPosition <= toPosition ? oldest : null;
        }
        final long fromPosition = start(log, snapshot);
        position = fromPosition;
        final long reached = log.read(fromPosition, toPosition, this, (position) ->
        {
            service.doBackgroundWork(0);
            progress.accept(position);
        });
        service.onTerminate(cluster);

        return Math.max(reached, position);
    }

    private long start(final RecordedLog log, final RecordingLog.Entry snapshot)
    {
        if (hasStarted)
        {
            throw new IllegalStateException("a replay runs once");
        }
        hasStarted = true;
        if (null == snapshot)
        {
            if (log.startPosition() > 0)
            {
                throw new IllegalArgumentException("the log before position " + log.startPosition() +
                    " was purged and no snapshot of the service was taken at or after it before the point asked " +
                    "for: the oldest point that can be rebuilt is the first snapshot after position " +
                    log.startPosition());
            }
            service.onStart(cluster, null);
            return 0;
        }

        cluster.entry(snapshot.logPosition, snapshot.timestamp);
        log.readSnapshot(snapshot, (Image image) -> service.onStart(cluster, image));
        snapshotPosition = snapshot.logPosition;
        timestamp = snapshot.timestamp;
        leadershipTermId = snapshot.leadershipTermId;

        return snapshot.logPosition;
    }

    /**
     * @return the log position of the snapshot the replay started from, -1 if it started from the start of the log.
     */
    public long snapshotPosition()
    {
        return snapshotPosition;
    }

    /**
     * @return the entries applied, not counting those the snapshot held.
     */
    public long entries()
    {
        return entries;
    }

    /**
     * @return the revision of the state rebuilt so far.
     */
    public long revision()
    {
        return service.revision();
    }

    /**
     * @return the compacted revision of the state rebuilt, once committed.
     */
    public long compactedRevision()
    {
        return storage.committedCompactedRevision();
    }

    /**
     * @return the cluster time of the last entry applied.
     */
    public long timestamp()
    {
        return timestamp;
    }

    /**
     * @return the leadership term of the last entry applied.
     */
    public long leadershipTermId()
    {
        return leadershipTermId;
    }

    /**
     * @return the digest of the state rebuilt, once the replay has returned: equal to the member's at the same
     * position.
     */
    public String digest()
    {
        return StateDigest.of(storage);
    }

    /**
     * @return the responses the service sent for the last client message applied.
     */
    public DirectBuffer responses()
    {
        return session.responses();
    }

    /**
     * @return the length of {@link #responses()}.
     */
    public int responsesLength()
    {
        return session.responsesLength();
    }

    /**
     * Close the rebuilt state's store; the directory stays.
     */
    public void close()
    {
        CloseHelper.close(storage);
    }

    @Override
    public boolean onSessionMessage(
        final long position,
        final long leadershipTermId,
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (isPastEnd(timestamp))
        {
            return false;
        }
        entry(position, leadershipTermId, timestamp);
        session.entry(clusterSessionId);
        service.onSessionMessage(session, timestamp, buffer, offset, length, header);

        return null == observer || observer.onSessionMessage(
            position, leadershipTermId, clusterSessionId, timestamp, buffer, offset, length, header);
    }

    @Override
    public boolean onTimerEvent(
        final long position, final long leadershipTermId, final long correlationId, final long timestamp)
    {
        if (isPastEnd(timestamp))
        {
            return false;
        }
        entry(position, leadershipTermId, timestamp);
        service.onTimerEvent(correlationId, timestamp);

        return null == observer || observer.onTimerEvent(position, leadershipTermId, correlationId, timestamp);
    }

    @Override
    public boolean onSessionOpen(
        final long position,
        final long leadershipTermId,
        final long clusterSessionId,
        final long timestamp,
        final String responseChannel)
    {
        if (isPastEnd(timestamp))
        {
            return false;
        }
        entry(position, leadershipTermId, timestamp);

        return null == observer ||
            observer.onSessionOpen(position, leadershipTermId, clusterSessionId, timestamp, responseChannel);
    }

    @Override
    public boolean onSessionClose(
        final long position,
        final long leadershipTermId,
        final long clusterSessionId,
        final long timestamp,
        final CloseReason closeReason)
    {
        if (isPastEnd(timestamp))
        {
            return false;
        }
        entry(position, leadershipTermId, timestamp);

        return null == observer ||
            observer.onSessionClose(position, leadershipTermId, clusterSessionId, timestamp, closeReason);
    }

    @Override
    public boolean onClusterAction(
        final long position,
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final ClusterAction action)
    {
        if (isPastEnd(timestamp))
        {
            return false;
        }
        entry(position, leadershipTermId, timestamp);

        return null == observer ||
            observer.onClusterAction(position, leadershipTermId, logPosition, timestamp, action);
    }

    @Override
    public boolean onNewLeadershipTerm(
        final long position,
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final long termBaseLogPosition,
        final int leaderMemberId,
        final int logSessionId,
        final TimeUnit timeUnit,
        final int appVersion)
    {
        if (isPastEnd(timestamp))
        {
            return false;
        }
        entry(position, leadershipTermId, timestamp);
        service.onNewLeadershipTermEvent(leadershipTermId, logPosition, timestamp, termBaseLogPosition,
            leaderMemberId, logSessionId, timeUnit, appVersion);

        return null == observer || observer.onNewLeadershipTerm(position, leadershipTermId, logPosition, timestamp,
            termBaseLogPosition, leaderMemberId, logSessionId, timeUnit, appVersion);
    }

    private boolean isPastEnd(final long entryTimestamp)
    {
        return entryTimestamp > toTimestamp || service.revision() >= toRevision;
    }

    private void entry(final long position, final long leadershipTermId, final long timestamp)
    {
        cluster.entry(position, timestamp);
        this.position = position;
        this.leadershipTermId = leadershipTermId;
        this.timestamp = timestamp;
        entries++;
    }
}
