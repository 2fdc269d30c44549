package io.metastore.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of the processes running the nodes: this JVM when they are embedded (client included), or the given
 * process ids read from {@code /proc/<pid>/stat} when they run apart.
 */
final class CpuMeter
{
    private static final long NS_PER_TICK = 10_000_000L;

    private final List<Long> pids;

    CpuMeter(final List<Long> pids)
    {
        this.pids = pids;
    }

    /**
     * @return what the reading covers.
     */
    String source()
    {
        return pids.isEmpty() ? "this JVM (client and embedded nodes)" : "node processes " + pids;
    }

    /**
     * @return CPU nanoseconds used so far, or -1 when not readable.
     */
    long cpuNs()
    {
        if (pids.isEmpty())
        {
            final java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
            if (bean instanceof com.sun.management.OperatingSystemMXBean sunBean)
            {
                return sunBean.getProcessCpuTime();
            }
            return -1;
        }

        long total = 0;
        for (final long pid : pids)
        {
            try
            {
                final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NS_PER_TICK;
            }
            catch (final IOException | RuntimeException ex)
            {
                return -1;
            }
        }

        return total;
    }
}
