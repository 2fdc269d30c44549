package io.metastore.tools.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a run: the effective workload first, then throughput, percentiles, a small histogram and CPU per op;
 * as text for people or JSON for scripts.
 */
final class BenchReport
{
    private static final double[] PERCENTILES = { 50, 90, 99, 99.9, 99.99 };

    private BenchReport()
    {
    }

    static void printText(final PrintWriter out, final String workload, final BenchResult result)
    {
        final Histogram histogram = result.histogram();
        out.println("Workload: " + workload);
        out.printf(Locale.ROOT, "Operations: %,d in %.2f s, %d errors%n",
            result.operations(), result.elapsedNs() / 1e9, result.errors());
        if (result.txnSucceeded() >= 0)
        {
            out.printf(Locale.ROOT, "Transactions: %,d succeeded, %,d failed%n",
                result.txnSucceeded(), result.txnFailed());
        }
        out.printf(Locale.ROOT, "Throughput: %,.0f ops/s%n", result.throughput());
        out.println("Latency (µs):");
        for (final double percentile : PERCENTILES)
        {
            out.printf(Locale.ROOT, "  p%-6s %,12.1f%n",
                format(percentile), micros(histogram.getValueAtPercentile(percentile)));
        }
        out.printf(Locale.ROOT, "  max     %,12.1f%n", micros(histogram.getMaxValue()));
        out.printf(Locale.ROOT, "  mean    %,12.1f%n", histogram.getMean() / 1000.0);
        out.println("Histogram (µs, upper bound: count):");
        printBuckets(out, histogram);
        if (result.cpuNsPerOp() >= 0)
        {
            out.printf(Locale.ROOT, "CPU per op: %.2f µs (%s)%n", result.cpuNsPerOp() / 1000.0, result.cpuSource());
        }
        printJit(out, result);
        if (null != result.compaction())
        {
            printCompaction(out, result.compaction());
        }
    }

    /**
     * The CPU the JIT's compiler threads took in the run: more than a hundredth of the run's time on one core says
     * the warm-up did not warm enough, as its compilations then compete with the path measured.
     */
    private static void printJit(final PrintWriter out, final BenchResult result)
    {
        if (result.nodeJitNs() < 0)
        {
            // Nodes apart and not named: the bench's own compilations are still worth telling.
            if (result.clientJitNs() >= 0)
            {
                out.printf(Locale.ROOT, "JIT compiler threads' CPU in the run: %,d ms in the bench's (the nodes' " +
                    "not read: --node-pids names them)%s%n", result.clientJitNs() / 1_000_000,
                    result.clientJitNs() * 100 > result.elapsedNs() ?
                    "; still compiling: a longer --warmup measures a warmer run" : "");
            }
            return;
        }
        final long jitNs = result.nodeJitNs() + Math.max(0, result.clientJitNs());
        out.printf(Locale.ROOT, "JIT compiler threads' CPU in the run: %,d ms%s%s%n", result.nodeJitNs() / 1_000_000,
            result.clientJitNs() < 0 ? " (this JVM)" : String.format(
            Locale.ROOT, " in the node processes, %,d ms in the bench's", result.clientJitNs() / 1_000_000),
            jitNs * 100 > result.elapsedNs() ? "; still compiling: a longer --warmup measures a warmer run" : "");
    }

    private static void printCompaction(final PrintWriter out, final BenchCompaction.Result compaction)
    {
        if (!compaction.isSent())
        {
            out.println("Compaction: not made, the run ended first");
            return;
        }
        out.printf(Locale.ROOT, "Compaction: at %.1f s, revision %,d, %s%n", compaction.atNs() / 1e9,
            compaction.revision(), null != compaction.error() ? "failed: " + compaction.error() :
            compaction.answeredNs() < 0 ? "not answered by the end of the run" :
            String.format(Locale.ROOT, "answered in %.1f ms", compaction.answeredNs() / 1e6));
        out.printf(Locale.ROOT, "Latency (µs)  %14s %14s%n", "sent before", "sent after");
        out.printf(Locale.ROOT, "  count  %,14d %,14d%n",
            compaction.before().getTotalCount(), compaction.after().getTotalCount());
        for (final double percentile : PERCENTILES)
        {
            out.printf(Locale.ROOT, "  p%-6s%,14.1f %,14.1f%n", format(percentile),
                micros(compaction.before().getValueAtPercentile(percentile)),
                micros(compaction.after().getValueAtPercentile(percentile)));
        }
        out.printf(Locale.ROOT, "  max    %,14.1f %,14.1f%n",
            micros(compaction.before().getMaxValue()), micros(compaction.after().getMaxValue()));
    }

    static void printJson(final PrintWriter out, final String workload, final BenchResult result)
    {
        printJson(out, workload, result, null);
    }

    /**
     * @param out      to print one line of JSON onto.
     * @param workload described.
     * @param result   of the run.
     * @param field    another field of the object, {@code "name":value}, or null.
     */
    static void printJson(final PrintWriter out, final String workload, final BenchResult result, final String field)
    {
        final Histogram histogram = result.histogram();
        final StringBuilder sb = new StringBuilder();
        sb.append("{\"workload\":\"").append(workload.replace("\"", "\\\"")).append('"')
            .append(",\"operations\":").append(result.operations())
            .append(",\"errors\":").append(result.errors());
        if (result.txnSucceeded() >= 0)
        {
            sb.append(",\"txn_succeeded\":").append(result.txnSucceeded())
                .append(",\"txn_failed\":").append(result.txnFailed());
        }
        sb.append(",\"elapsed_s\":").append(String.format(Locale.ROOT, "%.3f", result.elapsedNs() / 1e9))
            .append(",\"throughput_ops_s\":").append(String.format(Locale.ROOT, "%.1f", result.throughput()))
            .append(",\"latency_us\":{");
        for (final double percentile : PERCENTILES)
        {
            sb.append("\"p").append(format(percentile)).append("\":")
                .append(String.format(Locale.ROOT, "%.1f", micros(histogram.getValueAtPercentile(percentile))))
                .append(',');
        }
        sb.append("\"max\":").append(String.format(Locale.ROOT, "%.1f", micros(histogram.getMaxValue())))
            .append(",\"mean\":").append(String.format(Locale.ROOT, "%.1f", histogram.getMean() / 1000.0))
            .append('}');
        if (result.cpuNsPerOp() >= 0)
        {
            sb.append(",\"cpu_us_per_op\":").append(String.format(Locale.ROOT, "%.2f", result.cpuNsPerOp() / 1000.0))
                .append(",\"cpu_source\":\"").append(result.cpuSource()).append('"');
        }
        if (result.nodeJitNs() >= 0)
        {
            sb.append(",\"jit_ms\":").append(result.nodeJitNs() / 1_000_000);
        }
        if (result.clientJitNs() >= 0)
        {
            sb.append(",\"client_jit_ms\":").append(result.clientJitNs() / 1_000_000);
        }
        final BenchCompaction.Result compaction = result.compaction();
        if (null != compaction && !compaction.isSent())
        {
            sb.append(",\"compaction\":null");
        }
        else if (null != compaction)
        {
            sb.append(",\"compaction\":{\"at_s\":").append(String.format(Locale.ROOT, "%.3f", compaction.atNs() / 1e9))
                .append(",\"revision\":").append(compaction.revision())
                .append(",\"answered_ms\":").append(compaction.answeredNs() < 0 ? "null" :
                String.format(Locale.ROOT, "%.3f", compaction.answeredNs() / 1e6));
            if (null != compaction.error())
            {
                sb.append(",\"error\":\"").append(compaction.error().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
            }
            appendLatency(sb.append(",\"before_us\":"), compaction.before());
            appendLatency(sb.append(",\"after_us\":"), compaction.after());
            sb.append('}');
        }
        if (null != field)
        {
            sb.append(',').append(field);
        }
        sb.append('}');
        out.println(sb);
    }

    /**
     * @param sb        to append a JSON object onto: the count, the percentiles and the max, in µs.
     * @param histogram of latencies in nanoseconds.
     */
    static void appendLatency(final StringBuilder sb, final Histogram histogram)
    {
        sb.append("{\"count\":").append(histogram.getTotalCount());
        for (final double percentile : PERCENTILES)
        {
            sb.append(",\"p").append(format(percentile)).append("\":")
                .append(String.format(Locale.ROOT, "%.1f", micros(histogram.getValueAtPercentile(percentile))));
        }
        sb.append(",\"max\":").append(String.format(Locale.ROOT, "%.1f", micros(histogram.getMaxValue()))).append('}');
    }

    private static void printBuckets(final PrintWriter out, final Histogram histogram)
    {
        long lowerNs = 0;
        for (long upperNs = 16_000; lowerNs <= histogram.getMaxValue(); upperNs *= 4)
        {
            final long count = histogram.getCountBetweenValues(lowerNs, upperNs) -
                (lowerNs == 0 ? 0 : histogram.getCountAtValue(lowerNs));
            final int bar = (int)Math.round(40.0 * count / Math.max(1, histogram.getTotalCount()));
            out.printf(Locale.ROOT, "  %,12.0f: %,10d %s%n", upperNs / 1000.0, count, "#".repeat(bar));
            lowerNs = upperNs;
        }
    }

    static String format(final double percentile)
    {
        return percentile == Math.rint(percentile) ? Long.toString((long)percentile) : Double.toString(percentile);
    }

    private static double micros(final long nanos)
    {
        return nanos / 1000.0;
    }
}
