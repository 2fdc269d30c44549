package io.metastore.node.snapshot;

import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.service.Cluster;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Asks for a snapshot once the log has grown since the last one by a set number of bytes, as etcd's
 * {@code --snapshot-count} does by entries, or by the size of the last snapshot if that is larger; and when a client
 * asks for one through the read port. A restart replays the log from the last snapshot, so this bounds the time a
 * member takes to serve again after a crash, however long the cluster has run.
 * <p>
 * A snapshot holds the kept history and stops the service's thread while it is written, for a time that grows with
 * it. At a fixed interval, with history kept uncompacted, each snapshot took longer than the one before (0.8, 1.6
 * and 2.4 million revisions took 0.6, 0.8 and 2.4 s): waiting for as much log as the last snapshot held keeps the
 * time spent writing snapshots a bounded share of the time spent applying the log, whatever the history's size, and
 * bounds a restart by about twice a snapshot's load.
 * <p>
 * Only the leader's request counts (Aeron's consensus module acts on the control toggle on the leader, which appends
 * the snapshot to the log so that every member snapshots at the same position); it runs on a thread of the node's
 * own, off the log's path.
 */
public final class SnapshotScheduler implements Agent
{
    /**
     * How long a snapshot asked for by a client may take before its request is answered with a failure.
     */
    static final long TAKE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final long snapshotLogBytes;
    private final AtomicCounter commitPosition;
    private final AtomicCounter role;
    private final AtomicCounter controlToggle;
    private final AtomicCounter snapshotCounter;
    private final LongSupplier snapshotPosition;
    private final LongSupplier snapshotBytes;
    private final NanoClock nanoClock;
    private final int memberId;
    private final AtomicLong takeRequests = new AtomicLong();
    private long takeHandled;
    private boolean isTakeToggled;
    private long takeCountBefore;
    private long takeStartNs;
    private volatile long takeAnswered;
    private volatile String takeError;
    private volatile long takePosition;
    private volatile long takeCount;

    /**
     * @param snapshotLogBytes log growth between snapshots; 0 never asks.
     * @param commitPosition   of the consensus module.
     * @param role             counter of the consensus module.
     * @param controlToggle    counter of the consensus module, as {@code ClusterTool snapshot} uses it.
     * @param snapshotCounter  of the consensus module: snapshots taken since it started.
     * @param snapshotPosition of the last snapshot the service took or started from.
     * @param snapshotBytes    length of the last snapshot the service took or started from, 0 if not known.
     * @param nanoClock        for the timeout of a snapshot asked for.
     * @param memberId         of this member, for the answer to a request on a follower.
     */
    public SnapshotScheduler(
        final long snapshotLogBytes,
        final AtomicCounter commitPosition,
        final AtomicCounter role,
        final AtomicCounter controlToggle,
        final AtomicCounter snapshotCounter,
        final LongSupplier snapshotPosition,
        final LongSupplier snapshotBytes,
        final NanoClock nanoClock,
        final int memberId)
    {
        this.snapshotLogBytes = snapshotLogBytes;
        this.commitPosition = commitPosition;
        this.role = role;
        this.controlToggle = controlToggle;
        this.snapshotCounter = snapshotCounter;
        this.snapshotPosition = snapshotPosition;
        this.snapshotBytes = snapshotBytes;
        this.nanoClock = nanoClock;
        this.memberId = memberId;
    }

    @Override
    public int doWork()
    {
        if (takeRequests.get() > takeAnswered)
        {
            return takeOnRequest();
        }

        if (0 == snapshotLogBytes ||
            Cluster.Role.LEADER != Cluster.Role.get(role) ||
            commitPosition.get() - snapshotPosition.getAsLong() < Math.max(snapshotLogBytes, snapshotBytes.getAsLong()))
        {
            return 0;
        }

        // Refused while another control action is in progress; asked again at the next tick until taken.
        return ClusterControl.ToggleState.SNAPSHOT.toggle(controlToggle) ? 1 : 0;
    }

    @Override
    public String roleName()
    {
        return "metastore-snapshot-scheduler";
    }

    /**
     * Ask for a snapshot now; any thread.
     *
     * @return the request's ticket.
     */
    public long requestTake()
    {
        return takeRequests.incrementAndGet();
    }

    /**
     * @param ticket of a request.
     * @return true once a snapshot taken after it, or a failure, has answered it.
     */
    public boolean isTakeAnswered(final long ticket)
    {
        return takeAnswered >= ticket;
    }

    /**
     * @return why the last request answered failed, or null.
     */
    public String takeError()
    {
        return takeError;
    }

    /**
     * @return the log position of the snapshot that answered the last request.
     */
    public long takePosition()
    {
        return takePosition;
    }

    /**
     * @return snapshots taken since the member started, when the last request was answered.
     */
    public long takeCount()
    {
        return takeCount;
    }

    private int takeOnRequest()
    {
        if (!isTakeToggled)
        {
            if (Cluster.Role.LEADER != Cluster.Role.get(role))
            {
                answer(takeRequests.get(), "member " + memberId + " is not the leader: only the leader takes a " +
                    "snapshot (every member takes it at the same log position)", 0);
                return 1;
            }
            // Requests made up to now are answered by the snapshot about to be taken.
            final long countBefore = snapshotCounter.get();
            if (!ClusterControl.ToggleState.SNAPSHOT.toggle(controlToggle))
            {
                return 0;
            }
            takeHandled = takeRequests.get();
            takeCountBefore = countBefore;
            takeStartNs = nanoClock.nanoTime();
            isTakeToggled = true;
            return 1;
        }

        if (snapshotCounter.get() > takeCountBefore)
        {
            isTakeToggled = false;
            answer(takeHandled, null, snapshotPosition.getAsLong());
            return 1;
        }
        if (nanoClock.nanoTime() - takeStartNs > TAKE_TIMEOUT_NS)
        {
            isTakeToggled = false;
            answer(takeHandled, "no snapshot taken within " + TimeUnit.NANOSECONDS.toSeconds(TAKE_TIMEOUT_NS) +
                " s (an election, or the member is stopping?)", 0);
            return 1;
        }
        return 0;
    }

    private void answer(final long ticket, final String error, final long position)
    {
        takeError = error;
        takePosition = position;
        takeCount = snapshotCounter.get();
        takeAnswered = ticket;
    }
}
