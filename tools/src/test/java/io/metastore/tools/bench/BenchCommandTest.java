package io.metastore.tools.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the bench against an embedded node, briefly: checks what it reports, not how fast.
 */
@Timeout(120)
class BenchCommandTest
{
    private static final int BASE_PORT = 28000 + (int)(ProcessHandle.current().pid() % 50) * 40;

    @TempDir
    File tempDir;

    @Test
    void shouldReportPutWorkloadAsJson()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "put", "--clients", "10", "--total", "2000", "--warmup", "200",
            "--base-port", Integer.toString(BASE_PORT), "--no-progress", "-w", "json");

        assertEquals(0, exitCode, out.toString());
        final String json = out.toString().trim();
        assertTrue(json.startsWith("{\"workload\":\"put, 10 in flight, 2000 requests"), json);
        assertTrue(json.contains("\"operations\":2000,"), json);
        assertTrue(json.contains("\"errors\":0,"), json);
        for (final String field : new String[]{ "\"p50\":", "\"p90\":", "\"p99\":", "\"p99.9\":", "\"p99.99\":",
            "\"max\":", "\"throughput_ops_s\":", "\"cpu_us_per_op\":", "\"jit_ms\":" })
        {
            assertTrue(json.contains(field), field + " in " + json);
        }
    }

    @Test
    void shouldRunPutOverIpcThroughTheEmbeddedLeadersDriver()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "put", "--clients", "10", "--total", "1000", "--warmup", "100", "--ipc",
            "--base-port", Integer.toString(BASE_PORT + 5), "--no-progress");

        assertEquals(0, exitCode, out.toString());
        final String text = out.toString();
        assertTrue(text.contains(", IPC through the leader's driver, embedded 1-node cluster"), text);
        assertTrue(text.contains("Operations: 1,000 in"), text);
        assertTrue(text.contains(", 0 errors"), text);
    }

    @Test
    void shouldReportRangeWorkloadAsTextWithHistogramAndHgrmFile() throws IOException
    {
        final File hgrm = new File(tempDir, "range.hgrm");
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "range", "--clients", "4", "--total", "1000", "--warmup", "100",
            "--key-space-size", "200", "--sequential-keys", "--base-port", Integer.toString(BASE_PORT + 10),
            "--no-progress", "--hgrm", hgrm.getPath());

        assertEquals(0, exitCode, out.toString());
        final String text = out.toString();
        assertTrue(text.startsWith("Workload: range, 4 in flight, 1000 requests"), text);
        assertTrue(text.contains("Operations: 1,000 in"), text);
        assertTrue(text.contains("p99.99"), text);
        assertTrue(text.contains("Histogram (µs, upper bound: count):"), text);
        assertTrue(Files.readString(hgrm.toPath()).contains("Value     Percentile TotalCount"), "hgrm written");
    }

    @Test
    void shouldReportSerializableRangeWorkloadServedByTheReadPort()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "range", "--consistency", "S", "--clients", "8", "--total", "2000", "--warmup",
            "200", "--key-space-size", "200", "--base-port", Integer.toString(BASE_PORT + 35), "--no-progress");

        assertEquals(0, exitCode, out.toString());
        final String text = out.toString();
        assertTrue(text.startsWith("Workload: range, 8 in flight, 2000 requests"), text);
        assertTrue(text.contains("x 1 revisions, serializable (served by the leader) reads at the current revision"),
            text);
        assertTrue(text.contains("Operations: 2,000 in"), text);
        assertTrue(text.contains(", 0 errors"), text);
    }

    @Test
    void shouldRefuseUnknownConsistency()
    {
        final StringWriter err = new StringWriter();
        final int exitCode = run(new StringWriter(), err, "range", "--consistency", "x", "--total", "10");

        assertTrue(exitCode != 0);
        assertTrue(err.toString().contains("unknown consistency flag \"x\""), err.toString());
    }

    @Test
    void shouldReportLeasePutWorkloadWithoutErrors()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "lease-put", "--leases", "3", "--clients", "4", "--total", "500", "--warmup",
            "50", "--base-port", Integer.toString(BASE_PORT + 20), "--no-progress", "-w", "json");

        assertEquals(0, exitCode, out.toString());
        final String json = out.toString().trim();
        assertTrue(json.startsWith("{\"workload\":\"lease-put (3 leases, TTL 3600 s), 4 in flight, 500 requests"),
            json);
        assertTrue(json.contains("\"operations\":500,"), json);
        assertTrue(json.contains("\"errors\":0,"), json);
    }

    @Test
    void shouldReportTxnPutWorkloadWithEveryTxnSucceeded()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "txn-put", "--clients", "4", "--total", "500", "--warmup", "50",
            "--base-port", Integer.toString(BASE_PORT + 30), "--no-progress");

        assertEquals(0, exitCode, out.toString());
        final String text = out.toString();
        assertTrue(text.startsWith("Workload: txn-put, 4 in flight, 500 requests"), text);
        assertTrue(text.contains("Operations: 500 in"), text);
        assertTrue(text.contains(", 0 errors"), text);
        assertTrue(text.contains("Transactions: 500 succeeded, 0 failed"), text);
    }

    @Test
    void shouldRefuseUnknownWorkload()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "scan", "--total", "10");

        assertTrue(exitCode != 0);
    }

    @Test
    void shouldRefuseIpcToARunningClusterWithoutItsAeronDirectory()
    {
        final StringWriter err = new StringWriter();
        final int exitCode = run(
            new StringWriter(), err, "put", "--ipc", "--endpoints", "localhost:1", "--total", "10");

        assertTrue(exitCode != 0);
        assertTrue(err.toString().contains("--ipc with --endpoints needs --aeron-dir"), err.toString());
    }

    @Test
    void shouldRefuseAeronDirectoryForEmbeddedNodes()
    {
        final StringWriter err = new StringWriter();
        final int exitCode = run(new StringWriter(), err, "put", "--aeron-dir", "/dev/shm/none", "--total", "10");

        assertTrue(exitCode != 0);
        assertTrue(err.toString().contains("--aeron-dir is for --endpoints"), err.toString());
    }

    @Test
    void shouldCompactDuringThePutRunAndReportLatencyOnEitherSideOfIt()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "put", "--clients", "10", "--duration", "2", "--warmup", "1000",
            "--compact-at", "0.5", "--compact-retain", "100", "--base-port", Integer.toString(BASE_PORT + 25),
            "--no-progress", "-w", "json");

        assertEquals(0, exitCode, out.toString());
        final String json = out.toString().trim();
        final Matcher compaction = Pattern.compile(
            "\"compaction\":\\{\"at_s\":([0-9.]+),\"revision\":(\\d+),\"answered_ms\":([0-9.]+)," +
            "\"before_us\":\\{\"count\":(\\d+),.*\"after_us\":\\{\"count\":(\\d+),").matcher(json);
        assertTrue(compaction.find(), json);
        assertTrue(Double.parseDouble(compaction.group(1)) >= 0.5, json);
        // The warm-up's 1,000 puts came first, so any put of the run is answered with a revision above 1,000.
        assertTrue(Long.parseLong(compaction.group(2)) >= 900, json);
        assertTrue(Long.parseLong(compaction.group(4)) > 0, json);
        assertTrue(Long.parseLong(compaction.group(5)) > 0, json);
        assertFalse(json.contains("\"error\""), json);
    }

    @Test
    void shouldWatchThroughTheWarmUpAndReportOnlyTheMeasuredRevisions()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "watch", "--watchers", "2", "--clients", "10", "--total", "2000", "--warmup",
            "500", "--base-port", Integer.toString(BASE_PORT + 15), "--no-progress");

        assertEquals(0, exitCode, out.toString());
        final String text = out.toString();
        final Matcher watch = Pattern.compile(
            "Watch: 2 watchers on the client that puts, revisions (\\d+) to (\\d+) \\(watching from revision (\\d+), " +
            "before the warm-up\\)").matcher(text);
        assertTrue(watch.find(), text);
        final long first = Long.parseLong(watch.group(1));
        final long last = Long.parseLong(watch.group(2));
        final long watchingFrom = Long.parseLong(watch.group(3));
        assertEquals(2000, last - first + 1, text);
        assertEquals(watchingFrom + 500, first, text);
        // Each watcher got the warm-up's 500 revisions too; only the measured ones are counted.
        assertTrue(text.contains("Events: 4,000 delivered"), text);
        assertTrue(text.contains(", 0 lost, 0 duplicated, 0 watches ended"), text);

        final StringWriter jsonOut = new StringWriter();
        assertEquals(0, run(jsonOut, "watch", "--watchers", "2", "--clients", "10", "--total", "2000", "--warmup",
            "500", "--base-port", Integer.toString(BASE_PORT + 15), "--no-progress", "-w", "json"), jsonOut.toString());
        final String json = jsonOut.toString().trim();
        assertEquals(1, json.lines().count(), json);
        assertTrue(json.startsWith("{\"workload\":\"watch (2 watchers") && json.endsWith("}}}"), json);
        // Every revision delivered to both watchers, and timed at one of them.
        final Matcher watchJson = Pattern.compile("\"watch\":\\{\"watchers\":2,\"own_clients\":0," +
            "\"start_revision\":(\\d+),\"first_revision\":(\\d+),\"last_revision\":(\\d+),\"delivered\":4000," +
            "\"events_s\":[0-9.]+,\"lost\":0,\"duplicated\":0,\"ended\":0," +
            "\"latency_us\":\\{\"count\":2000,\"p50\":").matcher(json);
        assertTrue(watchJson.find(), json);
        assertEquals(Long.parseLong(watchJson.group(1)) + 500, Long.parseLong(watchJson.group(2)), json);
        assertEquals(2000, Long.parseLong(watchJson.group(3)) - Long.parseLong(watchJson.group(2)) + 1, json);
    }

    @Test
    void shouldRefuseANegativeWarmUp()
    {
        final StringWriter err = new StringWriter();
        final int exitCode = run(new StringWriter(), err, "put", "--warmup", "-1", "--total", "10");

        assertTrue(exitCode != 0);
        assertTrue(err.toString().contains("--warmup and --paced-warmup must be at least 0"), err.toString());

        final StringWriter pacedErr = new StringWriter();
        assertTrue(run(new StringWriter(), pacedErr, "put", "--paced-warmup", "-1", "--total", "10") != 0);
        assertTrue(pacedErr.toString().contains("--warmup and --paced-warmup must be at least 0"), pacedErr.toString());
    }

    @Test
    void shouldWarmUpAtTheRateBeforeMeasuringAPacedRun()
    {
        final StringWriter out = new StringWriter();
        final int exitCode = run(out, "watch", "--watchers", "1", "--rate", "500", "--total", "200", "--warmup", "100",
            "--paced-warmup", "1", "--base-port", Integer.toString(BASE_PORT + 40), "--no-progress");

        assertEquals(0, exitCode, out.toString());
        final String text = out.toString();
        assertTrue(text.contains("after 100 warm-up and 1.0 s at the rate, "), text);
        final Matcher watch = Pattern.compile(
            "revisions (\\d+) to (\\d+) \\(watching from revision (\\d+), before the warm-up\\)").matcher(text);
        assertTrue(watch.find(), text);
        // The 100 unpaced puts, then the 500 due in a second at 500/s, then the 200 measured.
        assertEquals(Long.parseLong(watch.group(3)) + 600, Long.parseLong(watch.group(1)), text);
        assertEquals(200, Long.parseLong(watch.group(2)) - Long.parseLong(watch.group(1)) + 1, text);

        // No warm-up asked for, none at the rate either: a cold start.
        final StringWriter coldOut = new StringWriter();
        assertEquals(0, run(coldOut, "watch", "--watchers", "1", "--rate", "500", "--total", "50", "--warmup", "0",
            "--base-port", Integer.toString(BASE_PORT + 45), "--no-progress"), coldOut.toString());
        final String cold = coldOut.toString();
        assertTrue(cold.contains("after 0 warm-up, "), cold);
        // A fresh node's first write is revision 1: nothing was sent before the measured puts.
        assertTrue(cold.contains("Watch: 1 watcher on the client that puts, revisions 1 to 50\n"), cold);
    }

    @Test
    void shouldRefuseCompactionDuringARangeRun()
    {
        final StringWriter err = new StringWriter();
        final int exitCode = run(new StringWriter(), err, "range", "--compact-at", "1", "--total", "10");

        assertTrue(exitCode != 0);
        assertTrue(err.toString().contains("--compact-at is for put, lease-put and watch"), err.toString());
    }

    private static int run(final StringWriter out, final String... args)
    {
        return run(out, new StringWriter(), args);
    }

    private static int run(final StringWriter out, final StringWriter err, final String... args)
    {
        return new CommandLine(new BenchCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }
}
