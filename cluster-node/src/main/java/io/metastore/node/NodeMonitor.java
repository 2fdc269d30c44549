package io.metastore.node;

import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;

import java.util.Locale;

/**
 * Watches the consensus module's counters from a thread of the node's own and says what the node is doing: while it
 * starts, the progress of the log replay (every {@link #PROGRESS_INTERVAL_MS}); when it can serve, that it is ready,
 * and runs the ready hook once; after that, each election. It also has the node's error log report the counts of
 * repeated lines whose window ended.
 * <p>
 * Ready means the first election since start is closed with this member a leader or a follower. In Aeron 1.51 the
 * election is where a starting member replays its log (states {@code LEADER_REPLAY} and {@code FOLLOWER_REPLAY}, with
 * the commit position advancing to the end of the log); it closes only once the service has acknowledged joining the
 * live log at the position the replay reached, as a leader with a quorum or as a follower that caught up with the
 * leader. Before that a client's request is not answered by this member.
 */
final class NodeMonitor implements Agent
{
    /**
     * How often the counters are read: the most the ready hook runs after the node is ready.
     */
    static final long POLL_INTERVAL_MS = 10;

    /**
     * How often the progress of a replay is logged.
     */
    static final long PROGRESS_INTERVAL_MS = 2000;

    /**
     * How often a member that is not replaying but waits for the election to close says so.
     */
    static final long WAITING_INTERVAL_MS = 10_000;

    private static final double MB = 1024.0 * 1024.0;

    private final Logger log;
    private final EpochClock clock;
    private final AtomicCounter electionState;
    private final AtomicCounter role;
    private final AtomicCounter commitPosition;
    private final AtomicCounter leadershipTermId;
    private final long replayTargetPosition;
    private final NodeErrors errors;
    private final Runnable readyHook;
    private final long startMs;
    private volatile boolean isReady;
    private long lastElectionState = ElectionState.INIT.code();
    private long nextReportMs;

    /**
     * @param log                  where the node's progress is logged.
     * @param clock                for the intervals of progress lines.
     * @param electionState        counter of the consensus module.
     * @param role                 counter of the consensus module.
     * @param commitPosition       counter of the consensus module; it advances through the log as it is replayed.
     * @param leadershipTermId     counter of the consensus module.
     * @param replayTargetPosition where the log the node starts with ends, read from its archive's catalog.
     * @param errors               the node's error log, whose repeated lines are reported here.
     * @param readyHook            run once, on this agent's thread, when the node is first ready.
     */
    NodeMonitor(
        final Logger log,
        final EpochClock clock,
        final AtomicCounter electionState,
        final AtomicCounter role,
        final AtomicCounter commitPosition,
        final AtomicCounter leadershipTermId,
        final long replayTargetPosition,
        final NodeErrors errors,
        final Runnable readyHook)
    {
        this.log = log;
        this.clock = clock;
        this.electionState = electionState;
        this.role = role;
        this.commitPosition = commitPosition;
        this.leadershipTermId = leadershipTermId;
        this.replayTargetPosition = replayTargetPosition;
        this.errors = errors;
        this.readyHook = readyHook;
        this.startMs = clock.time();
        this.nextReportMs = startMs + PROGRESS_INTERVAL_MS;
    }

    @Override
    public int doWork()
    {
        int workCount = errors.reportRepeats();
        if (electionState.isClosed() || role.isClosed())
        {
            return workCount;
        }

        final long state = electionState.get();
        final long nowMs = clock.time();
        if (!isReady)
        {
            workCount += awaitReady(state, nowMs);
        }
        else if (state != lastElectionState)
        {
            if (ElectionState.CLOSED.code() == state)
            {
                log.info("election closed: {} in leadership term {}", memberRole(), leadershipTermId.get());
            }
            else if (ElectionState.CLOSED.code() == lastElectionState)
            {
                log.info("election started: was {} in leadership term {}", memberRole(),
                    leadershipTermId.get());
            }
            workCount++;
        }
        lastElectionState = state;

        return workCount;
    }

    /**
     * @return true once the node has been ready to serve since it started.
     */
    boolean isReady()
    {
        return isReady;
    }

    @Override
    public String roleName()
    {
        return "metastore-node-monitor";
    }

    /**
     * @param bytes a log position or length.
     * @return it in MB with one decimal.
     */
    static String megabytes(final long bytes)
    {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / MB);
    }

    private int awaitReady(final long state, final long nowMs)
    {
        final long roleCode = role.get();
        if (ElectionState.CLOSED.code() == state &&
            (Cluster.Role.LEADER.code() == roleCode || Cluster.Role.FOLLOWER.code() == roleCode))
        {
            isReady = true;
            log.info("ready: {} in leadership term {} at log position {}, {} ms after start", memberRole(),
                leadershipTermId.get(), commitPosition.get(), nowMs - startMs);
            readyHook.run();
            return 1;
        }

        if (nowMs < nextReportMs)
        {
            return 0;
        }

        final long position = commitPosition.get();
        if (isReplaying(state) || position < replayTargetPosition)
        {
            nextReportMs = nowMs + PROGRESS_INTERVAL_MS;
            log.info("replaying the log: {} of {}", megabytes(position), megabytes(replayTargetPosition));
            return 1;
        }

        // A member that cannot reach a quorum stays here: canvassing, nominating, balloting.
        nextReportMs = nowMs + WAITING_INTERVAL_MS;
        log.info("not ready yet: election state {}, {}, log replayed to {}", ElectionState.get(state),
            memberRole(), megabytes(position));
        return 1;
    }

    private static boolean isReplaying(final long state)
    {
        return ElectionState.LEADER_REPLAY.code() == state || ElectionState.FOLLOWER_REPLAY.code() == state;
    }

    private String memberRole()
    {
        return Cluster.Role.get(role.get()).name().toLowerCase(Locale.ROOT);
    }
}
