package io.metastore.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of the processes running the nodes: this JVM when they are embedded (client included), or the given
 * process ids read from {@code /proc/<pid>/stat} when they run apart. Also the CPU time of the JVM's JIT compiler
 * threads, from {@code /proc/<pid>/task}: compilations in a measured run take a core from it, a sign of a warm-up too
 * short.
 */
final class CpuMeter
{
    private static final long NS_PER_TICK = 10_000_000L;

    private final boolean isEmbedded;
    private final List<Long> pids;

    /**
     * @param isEmbedded true if the nodes run in this JVM.
     * @param pids       of the node processes when they run apart; none, nothing is read of the nodes.
     */
    CpuMeter(final boolean isEmbedded, final List<Long> pids)
    {
        this.isEmbedded = isEmbedded;
        this.pids = isEmbedded ? List.of() : pids;
    }

    /**
     * @return what the reading covers.
     */
    String source()
    {
        return isEmbedded ? "this JVM: client and embedded nodes" : "node processes " + pids;
    }

    /**
     * CPU nanoseconds used, so far or between two readings; each -1 when not readable.
     *
     * @param cpuNs       of the node processes (this JVM's when the nodes are embedded).
     * @param nodeJitNs   of the node processes' JIT compiler threads (this JVM's when the nodes are embedded).
     * @param clientJitNs of this JVM's JIT compiler threads when the nodes run apart, else -1.
     */
    record Reading(long cpuNs, long nodeJitNs, long clientJitNs)
    {
        static final Reading NONE = new Reading(-1, -1, -1);

        /**
         * @param start an earlier reading.
         * @return what was used since it.
         */
        Reading since(final Reading start)
        {
            return new Reading(
                difference(start.cpuNs, cpuNs), difference(start.nodeJitNs, nodeJitNs),
                difference(start.clientJitNs, clientJitNs));
        }

        private static long difference(final long startNs, final long endNs)
        {
            return startNs < 0 || endNs < 0 ? -1 : endNs - startNs;
        }
    }

    /**
     * @return the CPU used so far.
     */
    Reading read()
    {
        return new Reading(cpuNs(), nodeJitNs(), clientJitNs());
    }

    /**
     * @return CPU nanoseconds used so far, or -1 when not readable.
     */
    long cpuNs()
    {
        if (!isEmbedded && pids.isEmpty())
        {
            return -1;
        }
        if (isEmbedded)
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
                total += statCpuNs(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            }
            catch (final IOException | RuntimeException ex)
            {
                return -1;
            }
        }

        return total;
    }

    /**
     * @return CPU nanoseconds the JIT compiler threads of the node processes have used so far (this JVM's when the
     * nodes are embedded), or -1 when not readable (not Linux, or no node process ids given).
     */
    long nodeJitNs()
    {
        if (isEmbedded)
        {
            return jitNs(ProcessHandle.current().pid());
        }
        if (pids.isEmpty())
        {
            return -1;
        }
        long total = 0;
        for (final long pid : pids)
        {
            final long jitNs = jitNs(pid);
            if (jitNs < 0)
            {
                return -1;
            }
            total += jitNs;
        }

        return total;
    }

    /**
     * @return CPU nanoseconds this JVM's JIT compiler threads have used so far when the nodes run apart, else -1: it
     * is then counted by {@link #nodeJitNs()}.
     */
    long clientJitNs()
    {
        return isEmbedded ? -1 : jitNs(ProcessHandle.current().pid());
    }

    /**
     * @param pid of a JVM.
     * @return CPU nanoseconds of its threads named as HotSpot's compiler threads ("C1 CompilerThread0", "C2 ...",
     * cut to 15 characters by Linux), or -1 when not readable.
     */
    static long jitNs(final long pid)
    {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                final String stat;
                try
                {
                    stat = Files.readString(task.resolve("stat"));
                }
                catch (final IOException ex)
                {
                    continue; // the thread ended since the listing
                }
                final int nameStart = stat.indexOf('(') + 1;
                if (stat.startsWith("C1 Compiler", nameStart) || stat.startsWith("C2 Compiler", nameStart))
                {
                    total += statCpuNs(stat);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }

        return total;
    }

    private static long statCpuNs(final String stat)
    {
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NS_PER_TICK;
    }
}
