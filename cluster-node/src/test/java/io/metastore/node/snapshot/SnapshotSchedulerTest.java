package io.metastore.node.snapshot;

import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.service.Cluster;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots on request: the leader toggles the consensus module's snapshot control and answers every request made
 * before it once the snapshot counter moves; a follower answers that it is not the leader; a snapshot that does not
 * come in time fails its requests.
 */
class SnapshotSchedulerTest
{
    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
    private final AtomicCounter commitPosition = counters.newCounter("commit position");
    private final AtomicCounter role = counters.newCounter("role");
    private final AtomicCounter controlToggle = counters.newCounter("control toggle");
    private final AtomicCounter snapshotCounter = counters.newCounter("snapshots");
    private final AtomicLong snapshotPosition = new AtomicLong();
    private final CachedNanoClock clock = new CachedNanoClock();
    private final SnapshotScheduler scheduler = new SnapshotScheduler(
        0, commitPosition, role, controlToggle, snapshotCounter, snapshotPosition::get, () -> 0, clock, 2);

    SnapshotSchedulerTest()
    {
        // As the consensus module leaves it when no control action is in progress.
        controlToggle.set(ClusterControl.ToggleState.NEUTRAL.code());
    }

    @Test
    void shouldTakeASnapshotOnRequestOnTheLeaderAndAnswerEveryRequestMadeBeforeIt()
    {
        role.set(Cluster.Role.LEADER.code());
        final long first = scheduler.requestTake();
        final long second = scheduler.requestTake();

        assertEquals(1, scheduler.doWork());
        assertEquals(ClusterControl.ToggleState.SNAPSHOT, ClusterControl.ToggleState.get(controlToggle));
        final long third = scheduler.requestTake();
        assertEquals(0, scheduler.doWork());
        assertFalse(scheduler.isTakeAnswered(first), "not before the snapshot is taken");

        // The consensus module takes it: its counter moves, the service has recorded its position.
        controlToggle.set(ClusterControl.ToggleState.NEUTRAL.code());
        snapshotPosition.set(4096);
        snapshotCounter.increment();
        assertEquals(1, scheduler.doWork());

        assertTrue(scheduler.isTakeAnswered(first));
        assertTrue(scheduler.isTakeAnswered(second));
        assertFalse(scheduler.isTakeAnswered(third), "made after the toggle: it waits for the next snapshot");
        assertNull(scheduler.takeError());
        assertEquals(4096, scheduler.takePosition());
        assertEquals(1, scheduler.takeCount());

        assertEquals(1, scheduler.doWork());
        assertEquals(ClusterControl.ToggleState.SNAPSHOT, ClusterControl.ToggleState.get(controlToggle));
    }

    @Test
    void shouldWaitOnTheLeaderForTheLogIntervalOrAsMuchLogAsTheLastSnapshotHeldWhicheverIsMore()
    {
        final AtomicLong snapshotBytes = new AtomicLong();
        final SnapshotScheduler scheduled = new SnapshotScheduler(
            1000, commitPosition, role, controlToggle, snapshotCounter, snapshotPosition::get, snapshotBytes::get,
            clock, 2);
        role.set(Cluster.Role.LEADER.code());
        snapshotPosition.set(4096);

        commitPosition.set(4096 + 999);
        assertEquals(0, scheduled.doWork());
        commitPosition.set(4096 + 1000);
        assertEquals(1, scheduled.doWork(), "a snapshot of unknown size: the interval alone");
        assertEquals(ClusterControl.ToggleState.SNAPSHOT, ClusterControl.ToggleState.get(controlToggle));

        // Taken at 5096, and 5000 bytes long: the next waits for 5000 bytes of log, not 1000.
        controlToggle.set(ClusterControl.ToggleState.NEUTRAL.code());
        snapshotPosition.set(4096 + 1000);
        snapshotBytes.set(5000);
        commitPosition.set(4096 + 1000 + 4999);
        assertEquals(0, scheduled.doWork());
        assertEquals(ClusterControl.ToggleState.NEUTRAL, ClusterControl.ToggleState.get(controlToggle));
        commitPosition.set(4096 + 1000 + 5000);
        assertEquals(1, scheduled.doWork());
        assertEquals(ClusterControl.ToggleState.SNAPSHOT, ClusterControl.ToggleState.get(controlToggle));

        // A follower never asks, however far the log has grown.
        controlToggle.set(ClusterControl.ToggleState.NEUTRAL.code());
        role.set(Cluster.Role.FOLLOWER.code());
        commitPosition.set(1 << 30);
        assertEquals(0, scheduled.doWork());
    }

    @Test
    void shouldAnswerOnAFollowerThatOnlyTheLeaderTakesSnapshots()
    {
        role.set(Cluster.Role.FOLLOWER.code());
        final long ticket = scheduler.requestTake();

        assertEquals(1, scheduler.doWork());

        assertTrue(scheduler.isTakeAnswered(ticket));
        assertTrue(scheduler.takeError().startsWith("member 2 is not the leader"), scheduler.takeError());
        assertEquals(ClusterControl.ToggleState.NEUTRAL, ClusterControl.ToggleState.get(controlToggle));
    }

    @Test
    void shouldWaitWhileAnotherControlActionIsInProgressAndFailASnapshotThatDoesNotCome()
    {
        role.set(Cluster.Role.LEADER.code());
        controlToggle.set(ClusterControl.ToggleState.SUSPEND.code());
        final long ticket = scheduler.requestTake();

        assertEquals(0, scheduler.doWork(), "the toggle is not neutral: asked again at the next tick");
        controlToggle.set(ClusterControl.ToggleState.NEUTRAL.code());
        assertEquals(1, scheduler.doWork());

        clock.advance(SnapshotScheduler.TAKE_TIMEOUT_NS + 1);
        assertEquals(1, scheduler.doWork());
        assertTrue(scheduler.isTakeAnswered(ticket));
        assertTrue(scheduler.takeError().startsWith("no snapshot taken within 60 s"), scheduler.takeError());
    }
}
