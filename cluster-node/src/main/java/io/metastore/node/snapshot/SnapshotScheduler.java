package io.metastore.node.snapshot;

import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.service.Cluster;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.LongSupplier;

/**
 * Asks for a snapshot once the log has grown by a set number of bytes since the last one, as etcd's
 * {@code --snapshot-count} does by entries. A restart replays the log from the last snapshot, so this bounds the time
 * a member takes to serve again after a crash, however long the cluster has run. Only the leader's request counts
 * (Aeron's consensus module acts on the control toggle on the leader, which appends the snapshot to the log so that
 * every member snapshots at the same position); it runs on a thread of the node's own, off the log's path.
 */
public final class SnapshotScheduler implements Agent
{
    private final long snapshotLogBytes;
    private final AtomicCounter commitPosition;
    private final AtomicCounter role;
    private final AtomicCounter controlToggle;
    private final LongSupplier snapshotPosition;

    /**
     * @param snapshotLogBytes log growth between snapshots; 0 never asks.
     * @param commitPosition   of the consensus module.
     * @param role             counter of the consensus module.
     * @param controlToggle    counter of the consensus module, as {@code ClusterTool snapshot} uses it.
     * @param snapshotPosition of the last snapshot the service took or started from.
     */
    public SnapshotScheduler(
        final long snapshotLogBytes,
        final AtomicCounter commitPosition,
        final AtomicCounter role,
        final AtomicCounter controlToggle,
        final LongSupplier snapshotPosition)
    {
        this.snapshotLogBytes = snapshotLogBytes;
        this.commitPosition = commitPosition;
        this.role = role;
        this.controlToggle = controlToggle;
        this.snapshotPosition = snapshotPosition;
    }

    @Override
    public int doWork()
    {
        if (0 == snapshotLogBytes ||
            Cluster.Role.LEADER != Cluster.Role.get(role) ||
            commitPosition.get() - snapshotPosition.getAsLong() < snapshotLogBytes)
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
}
