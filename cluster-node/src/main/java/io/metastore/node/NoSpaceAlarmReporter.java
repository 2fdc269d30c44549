package io.metastore.node;

import io.aeron.cluster.client.ClusterException;
import io.aeron.exceptions.AeronException;
import io.metastore.client.MetaStoreClient;
import io.metastore.codecs.AlarmType;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.concurrent.TimeUnit;

/**
 * Proposes this member's NOSPACE alarm through the log, as a client of the cluster would, so that every replica
 * raises and clears it at the same log position: a member, follower or leader, cannot change replicated state
 * otherwise. It runs on a thread of its own, apart from the disk space monitor, so that a slow cluster never delays
 * the next reading of the free space. A report that fails (no leader yet, a leader change) is tried again each second
 * until the cluster has what this member last asked for.
 */
final class NoSpaceAlarmReporter implements Agent
{
    private static final long RETRY_INTERVAL_MS = 1000;
    private static final long TIMEOUT_MS = 2000;
    private static final int FAILURES_PER_WARNING = 10;

    private final MetaStoreNode.Context ctx;
    private final EpochClock clock;
    private volatile Boolean wanted;
    private volatile boolean isRaiseAgain;
    private Boolean reported;
    private long nextAttemptMs;
    private int consecutiveFailures;

    NoSpaceAlarmReporter(final MetaStoreNode.Context ctx, final EpochClock clock)
    {
        this.ctx = ctx;
        this.clock = clock;
    }

    /**
     * Ask for the alarm to be raised, or cleared; called from the monitor's thread.
     *
     * @param isRaised true to raise the alarm, false to clear it.
     */
    void want(final boolean isRaised)
    {
        wanted = isRaised;
    }

    /**
     * Ask for the alarm to be raised even if this member raised it before: it was disarmed since, and the cause
     * remains. Called from the monitor's thread.
     */
    void raiseAgain()
    {
        isRaiseAgain = true;
        wanted = Boolean.TRUE;
    }

    @Override
    public int doWork()
    {
        if (isRaiseAgain)
        {
            isRaiseAgain = false;
            reported = null;
        }
        final Boolean wanted = this.wanted;
        if (null == wanted || wanted.equals(reported) || clock.time() < nextAttemptMs)
        {
            return 0;
        }

        try (MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(ctx.ingressEndpoints())
            .aeronDirectoryName(ctx.aeronDirectoryName())
            .egressChannel("aeron:udp?endpoint=" + ctx.memberHost() + ":0")
            .connectTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .requestTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)))
        {
            if (wanted)
            {
                client.alarmActivate(ctx.memberId(), AlarmType.NOSPACE);
            }
            else
            {
                client.alarmDeactivate(ctx.memberId(), AlarmType.NOSPACE);
            }
            reported = wanted;
        }
        catch (final RuntimeException ex)
        {
            nextAttemptMs = clock.time() + RETRY_INTERVAL_MS;
            // A start, an election or a shutdown makes a few attempts fail: only a failure that lasts is worth a line.
            if (++consecutiveFailures % FAILURES_PER_WARNING == 0)
            {
                ctx.errorHandler().onError(new ClusterException(
                    "member " + ctx.memberId() + ": could not " + (wanted ? "raise" : "clear") + " its NOSPACE " +
                    "alarm in " + consecutiveFailures + " attempts, trying again: " + ex,
                    AeronException.Category.WARN));
            }
            return 1;
        }
        consecutiveFailures = 0;

        return 1;
    }

    @Override
    public String roleName()
    {
        return "metastore-nospace-alarm";
    }
}
