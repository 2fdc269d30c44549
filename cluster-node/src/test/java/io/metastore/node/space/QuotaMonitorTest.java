package io.metastore.node.space;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The backend quota as etcd's: the alarm raised over the quota unless active, never cleared by the monitor, and the
 * space of removed history reclaimed once per removal, whether the alarm is active or not.
 */
class QuotaMonitorTest
{
    private static final long QUOTA = 1000;

    private final List<String> events = new ArrayList<>();
    private long storeBytes;
    private long bytesAfterReclaim = -1;
    private long removedRevision;
    private boolean isAlarmActive;

    @Test
    void shouldRaiseTheAlarmOverTheQuotaOnlyAfterReclaimingOnceAndOnlyWhenNotActive()
    {
        final QuotaMonitor monitor = monitor();

        storeBytes = 900;
        assertEquals(0, monitor.check());
        storeBytes = 1500;
        assertEquals(1, monitor.check());
        assertEquals(List.of("reclaim", "raise 1500"), events);

        isAlarmActive = true;
        events.clear();
        assertEquals(0, monitor.check());
        assertEquals(List.of(), events, "nothing to reclaim, the alarm is active");
        assertEquals(1500, monitor.lastStoreBytes());
    }

    @Test
    void shouldReclaimWhileTheAlarmIsActiveOnceTheRemovalOfACompactionEndsAndNeverClearIt()
    {
        final QuotaMonitor monitor = monitor();
        storeBytes = 1500;
        monitor.check();
        isAlarmActive = true;
        events.clear();

        // Compacted, but the history is not removed yet: reclaiming now would free little, and not again later.
        monitor.check();
        assertEquals(List.of(), events);

        removedRevision = 40;
        bytesAfterReclaim = 300;
        assertEquals(0, monitor.check());
        assertEquals(List.of("reclaim"), events, "the alarm stays for the operator to disarm");
        assertEquals(300, monitor.lastStoreBytes());

        isAlarmActive = false;
        events.clear();
        monitor.check();
        assertEquals(List.of(), events, "under the quota once disarmed: not raised again");
    }

    @Test
    void shouldRaiseAgainAfterDisarmWhenReclaimingLeftTheStoreOverTheQuota()
    {
        final QuotaMonitor monitor = monitor();
        storeBytes = 1500;
        monitor.check();
        isAlarmActive = true;
        removedRevision = 40;
        bytesAfterReclaim = 1200;
        monitor.check();
        events.clear();

        isAlarmActive = false;
        assertEquals(1, monitor.check());
        assertEquals(List.of("raise 1200"), events, "reclaimed once for revision 40 already");
    }

    private QuotaMonitor monitor()
    {
        return new QuotaMonitor(QUOTA, 1, () -> 0, () -> isAlarmActive, new QuotaMonitor.Actions()
        {
            public long storeBytes()
            {
                return storeBytes;
            }

            public long removedRevision()
            {
                return removedRevision;
            }

            public void reclaim()
            {
                events.add("reclaim");
                if (bytesAfterReclaim >= 0)
                {
                    storeBytes = bytesAfterReclaim;
                }
            }

            public boolean takeReclaimRequest()
            {
                return false;
            }

            public void raiseAlarm(final long storeBytes)
            {
                events.add("raise " + storeBytes);
            }
        });
    }
}
