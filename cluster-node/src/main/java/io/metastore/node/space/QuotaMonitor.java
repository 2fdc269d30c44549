package io.metastore.node.space;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.function.BooleanSupplier;

/**
 * Watches the size of a member's store against the backend quota (etcd's {@code --quota-backend-bytes}), once per
 * check interval, and asks for the member's NOSPACE alarm when the store is over it and the alarm is not active.
 * As etcd's, the alarm is not cleared here: an operator compacts the history and disarms it. If the store is still
 * over the quota then, the alarm is raised again at the next check.
 * <p>
 * While the store is over the quota, the monitor reclaims once what compaction removed from storage since its last
 * try ({@code reclaim}, RocksDB's compaction of the deleted history, as etcd's defragmentation), whether the alarm is
 * active or not: so the space freed by deletes and a compaction counts before the operator disarms the alarm, and the
 * alarm is raised again only if the store is over the quota after that. The try waits for the removal of the
 * compacted history to end ({@link Actions#removedRevision()}): reclaimed half way, the store would stay over.
 * It also reclaims whenever an operator asks every member to ({@code metastore defrag}).
 * <p>
 * The decision to refuse writes is not taken here: the alarm goes through the log, so every replica refuses the same
 * writes at the same position. This class only observes, on its own thread.
 */
public final class QuotaMonitor implements Agent
{
    /**
     * What the monitor acts through.
     */
    public interface Actions
    {
        /**
         * @return the bytes the store takes now.
         */
        long storeBytes();

        /**
         * @return the compacted revision below which history is removed from storage: reclaiming is tried again
         *         once it moved.
         */
        long removedRevision();

        /**
         * Reclaim the space of what was deleted or compacted.
         */
        void reclaim();

        /**
         * @return true once after an operator asked every member to reclaim space (etcd's defragment).
         */
        boolean takeReclaimRequest();

        /**
         * Ask for the member's NOSPACE alarm.
         *
         * @param storeBytes the store takes.
         */
        void raiseAlarm(long storeBytes);
    }

    private final long quotaBytes;
    private final long checkIntervalMs;
    private final EpochClock clock;
    private final Actions actions;
    private final BooleanSupplier isAlarmActive;
    private long nextCheckMs;
    private long reclaimedAtRevision = -1;
    private long lastStoreBytes = -1;

    /**
     * @param quotaBytes      size of the store above which the alarm is raised; 0 for never.
     * @param checkIntervalMs between checks.
     * @param clock           to pace the checks.
     * @param isAlarmActive   true while the member's NOSPACE alarm is in the committed state.
     * @param actions         to measure, reclaim and raise the alarm with.
     */
    public QuotaMonitor(
        final long quotaBytes,
        final long checkIntervalMs,
        final EpochClock clock,
        final BooleanSupplier isAlarmActive,
        final Actions actions)
    {
        this.quotaBytes = quotaBytes;
        this.checkIntervalMs = checkIntervalMs;
        this.clock = clock;
        this.isAlarmActive = isAlarmActive;
        this.actions = actions;
    }

    /**
     * @return the size of the store at the last check, -1 before the first.
     */
    public long lastStoreBytes()
    {
        return lastStoreBytes;
    }

    @Override
    public int doWork()
    {
        if (actions.takeReclaimRequest())
        {
            actions.reclaim();
            return 1;
        }
        final long nowMs = clock.time();
        if (0 == quotaBytes || nowMs < nextCheckMs)
        {
            return 0;
        }
        nextCheckMs = nowMs + checkIntervalMs;

        return check();
    }

    /**
     * One check of the store's size.
     *
     * @return 1 if the alarm was asked for, 0 otherwise.
     */
    int check()
    {
        long storeBytes = actions.storeBytes();
        lastStoreBytes = storeBytes;
        if (storeBytes <= quotaBytes)
        {
            return 0;
        }

        final long removedRevision = actions.removedRevision();
        if (removedRevision != reclaimedAtRevision)
        {
            reclaimedAtRevision = removedRevision;
            actions.reclaim();
            storeBytes = actions.storeBytes();
            lastStoreBytes = storeBytes;
            if (storeBytes <= quotaBytes)
            {
                return 0;
            }
        }
        if (isAlarmActive.getAsBoolean())
        {
            return 0;
        }

        actions.raiseAlarm(storeBytes);
        return 1;
    }

    @Override
    public String roleName()
    {
        return "metastore-quota";
    }
}
