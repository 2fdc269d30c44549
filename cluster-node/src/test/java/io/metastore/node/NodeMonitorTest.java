package io.metastore.node;

import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeMonitorTest
{
    private static final long MB = 1024 * 1024;

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
    private final AtomicCounter electionState = counters.newCounter("election state");
    private final AtomicCounter role = counters.newCounter("role");
    private final AtomicCounter commitPosition = counters.newCounter("commit position");
    private final AtomicCounter leadershipTermId = counters.newCounter("leadership term id");
    private final CapturedLog log = new CapturedLog();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final NodeMonitor monitor = new NodeMonitor(
        log,
        clock,
        electionState,
        role,
        commitPosition,
        leadershipTermId,
        340 * MB,
        new NodeErrors(null),
        readyCount::incrementAndGet);

    @Test
    void shouldLogTheProgressOfTheReplayEveryIntervalAndNotBeReadyBeforeItEnds()
    {
        electionState.set(ElectionState.LEADER_REPLAY.code());
        role.set(Cluster.Role.LEADER.code());
        commitPosition.set(120 * MB);
        monitor.doWork();
        assertEquals(List.of(), log.lines());

        clock.update(NodeMonitor.PROGRESS_INTERVAL_MS);
        monitor.doWork();
        commitPosition.set(200 * MB);
        clock.update(NodeMonitor.PROGRESS_INTERVAL_MS + 1);
        monitor.doWork();
        clock.update(2 * NodeMonitor.PROGRESS_INTERVAL_MS);
        monitor.doWork();

        assertEquals(List.of(
            "INFO replaying the log: 120.0 MB of 340.0 MB",
            "INFO replaying the log: 200.0 MB of 340.0 MB"), log.lines());
        assertFalse(monitor.isReady());
        assertEquals(0, readyCount.get());
    }

    @Test
    void shouldBeReadyOnceTheFirstElectionClosesWithALeaderOrFollowerAndRunTheHookOnce()
    {
        electionState.set(ElectionState.CLOSED.code());
        role.set(Cluster.Role.CANDIDATE.code());
        monitor.doWork();
        assertFalse(monitor.isReady());

        role.set(Cluster.Role.FOLLOWER.code());
        leadershipTermId.set(3);
        commitPosition.set(340 * MB);
        clock.update(1234);
        monitor.doWork();
        monitor.doWork();

        assertTrue(monitor.isReady());
        assertEquals(1, readyCount.get());
        assertEquals(List.of("INFO ready: follower in leadership term 3 at log position " + 340 * MB +
            ", 1234 ms after start"), log.lines());
    }

    @Test
    void shouldLogEachElectionAfterReady()
    {
        electionState.set(ElectionState.CLOSED.code());
        role.set(Cluster.Role.LEADER.code());
        monitor.doWork();
        log.clear();

        electionState.set(ElectionState.CANVASS.code());
        role.set(Cluster.Role.FOLLOWER.code());
        monitor.doWork();
        electionState.set(ElectionState.FOLLOWER_REPLAY.code());
        monitor.doWork();
        electionState.set(ElectionState.CLOSED.code());
        leadershipTermId.set(4);
        monitor.doWork();

        assertEquals(List.of(
            "INFO election started: was follower in leadership term 0",
            "INFO election closed: follower in leadership term 4"), log.lines());
        assertEquals(1, readyCount.get());
    }

    @Test
    void shouldSayWhatItAwaitsWhenThereIsNoLogToReplay()
    {
        final NodeMonitor empty = new NodeMonitor(log, clock, electionState, role, commitPosition, leadershipTermId,
            0, new NodeErrors(null), readyCount::incrementAndGet);
        electionState.set(ElectionState.CANVASS.code());
        clock.update(NodeMonitor.PROGRESS_INTERVAL_MS);
        empty.doWork();
        clock.update(NodeMonitor.PROGRESS_INTERVAL_MS + 1);
        empty.doWork();

        assertEquals(List.of("INFO not ready yet: election state CANVASS, follower, log replayed to 0.0 MB"),
            log.lines());
    }
}
