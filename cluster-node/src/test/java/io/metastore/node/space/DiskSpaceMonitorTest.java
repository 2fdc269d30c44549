package io.metastore.node.space;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskSpaceMonitorTest
{
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private boolean acceptReports = true;
    private long nowMs;

    @Test
    void shouldRaiseOnceBelowTheThresholdAndClearOnlyAboveTheMargin()
    {
        final DiskSpaceMonitor monitor = monitor();

        monitor.check(2000 * MIB);
        monitor.check(999 * MIB);
        monitor.check(500 * MIB);
        monitor.check(1050 * MIB);
        monitor.check(1100 * MIB);
        monitor.check(1200 * MIB);

        assertEquals(List.of("restored 2000", "low 999", "restored 1100"), events);
        assertFalse(monitor.isLow());
    }

    @Test
    void shouldAskAgainWhenAReportCouldNotBeDelivered()
    {
        final DiskSpaceMonitor monitor = monitor();

        monitor.check(2000 * MIB);
        events.clear();
        acceptReports = false;
        monitor.check(900 * MIB);
        monitor.check(900 * MIB);
        acceptReports = true;
        monitor.check(900 * MIB);
        monitor.check(900 * MIB);

        assertEquals(List.of("low 900", "low 900", "low 900"), events);
        assertTrue(monitor.isLow());
    }

    @Test
    void shouldReportRestoredAtTheFirstReadingSoThatAnAlarmRaisedBeforeARestartIsCleared()
    {
        final DiskSpaceMonitor monitor = monitor();
        assertTrue(monitor.isLow());

        acceptReports = false;
        monitor.check(2000 * MIB);
        acceptReports = true;
        monitor.check(2000 * MIB);
        monitor.check(2000 * MIB);

        assertEquals(List.of("restored 2000", "restored 2000"), events);
        assertFalse(monitor.isLow());
    }

    @Test
    void shouldNeverReportLowOrRestoredWhenTheAlarmIsOff()
    {
        final DiskSpaceMonitor monitor = new DiskSpaceMonitor(dir, 0, 100 * MIB, 100, () -> nowMs, listener());

        monitor.check(2000 * MIB);
        monitor.check(150 * MIB);
        monitor.check(50 * MIB);

        assertEquals(List.of("exhausted 50"), events);
    }

    @Test
    void shouldRaiseTheAlarmAndReportAnExhaustedReserveOnceWhenSpaceDropsStraightBelowIt()
    {
        final DiskSpaceMonitor monitor = monitor();

        monitor.check(2000 * MIB);
        monitor.check(99 * MIB);
        monitor.check(10 * MIB);
        monitor.check(0);

        assertEquals(List.of("restored 2000", "low 99", "exhausted 99"), events);
    }

    @Test
    void shouldCheckTheRealFileSystemOncePerInterval()
    {
        final DiskSpaceMonitor monitor = new DiskSpaceMonitor(dir, 1, 0, 100, () -> nowMs, listener());
        acceptReports = false;

        assertEquals(-1, monitor.lastUsableBytes());
        monitor.doWork();
        nowMs = 99;
        monitor.doWork();
        nowMs = 100;
        monitor.doWork();

        assertEquals(2, events.size(), events.toString());
        assertTrue(monitor.lastUsableBytes() > 0, "usable bytes " + monitor.lastUsableBytes());
    }

    private DiskSpaceMonitor monitor()
    {
        return new DiskSpaceMonitor(dir, 1000 * MIB, 100 * MIB, 100, () -> nowMs, listener());
    }

    private DiskSpaceMonitor.Listener listener()
    {
        return new DiskSpaceMonitor.Listener()
        {
            public boolean onLowSpace(final long usableBytes)
            {
                events.add("low " + usableBytes / MIB);
                return acceptReports;
            }

            public boolean onSpaceRestored(final long usableBytes)
            {
                events.add("restored " + usableBytes / MIB);
                return acceptReports;
            }

            public void onReserveExhausted(final long usableBytes)
            {
                events.add("exhausted " + usableBytes / MIB);
            }
        };
    }
}
