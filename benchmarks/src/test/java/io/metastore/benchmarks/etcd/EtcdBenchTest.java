package io.metastore.benchmarks.etcd;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * EtcdBench against a real etcd 3.4 ({@code apt-get install etcd-server}, which {@code .ci/run} does): its watchers
 * see every put exactly once, and its reads and puts complete without errors.
 */
class EtcdBenchTest
{
    private static final int CLIENT_PORT = 17_500 + (int)(ProcessHandle.current().pid() % 50) * 2;
    private static final int PEER_PORT = CLIENT_PORT + 1;
    private static final String ENDPOINT = "http://127.0.0.1:" + CLIENT_PORT;

    @TempDir
    static File tempDir;

    private static Process etcd;

    @BeforeAll
    static void startEtcd() throws Exception
    {
        final String clientUrl = ENDPOINT;
        final String peerUrl = "http://127.0.0.1:" + PEER_PORT;
        etcd = new ProcessBuilder(onPath("etcd"), "--name", "bench", "--data-dir", new File(tempDir, "etcd").getPath(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "bench=" + peerUrl)
            .redirectErrorStream(true)
            .redirectOutput(new File(tempDir, "etcd.log"))
            .start();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!isListening())
        {
            assertTrue(etcd.isAlive(), "etcd ended; see its log in " + tempDir);
            assertTrue(System.nanoTime() < deadlineNs, "etcd did not listen within 30 s");
            Thread.sleep(50);
        }
        assertTrue(etcd.isAlive(), "etcd ended once listening: another process has port " + CLIENT_PORT);
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException
    {
        if (null != etcd)
        {
            etcd.destroy();
            if (!etcd.waitFor(10, TimeUnit.SECONDS))
            {
                etcd.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void shouldDeliverEveryPutToEveryWatcherOnceAndTimeEachRevisionAtOneWatcher()
    {
        final String report = run("watch", "--clients", "10", "--watchers", "2", "--duration", "1", "--warmup", "300",
            "--key-space-size", "50");

        final long operations = number(report, "Operations: ([\\d,]+) in");
        assertTrue(operations > 0, report);
        assertTrue(report.contains(", 0 errors (0 in the warm-up)"), report);
        assertTrue(report.contains(", 0 lost, 0 duplicated, 0 watches ended"), report);
        // The revision before the run, the warm-up's 300 and the measured puts, each one to each watcher.
        final long first = number(report, "revisions ([\\d,]+) to");
        final long last = number(report, "revisions [\\d,]+ to ([\\d,]+)");
        assertEquals(1 + 300 + operations, last - first + 1, report);
        assertEquals(2 * operations, number(report, "Events: ([\\d,]+) delivered"), report);
        final String eventLatency = report.substring(report.indexOf("Put to event latency"));
        assertEquals(operations, number(eventLatency, "count +([\\d,]+)"), report);
    }

    @Test
    void shouldReadThePreloadedKeysSerializablyWithoutErrors()
    {
        final String report = run("range", "--consistency", "s", "--clients", "10", "--duration", "1", "--warmup",
            "100", "--key-space-size", "100");

        assertTrue(number(report, "Operations: ([\\d,]+) in") > 0, report);
        assertTrue(report.contains(", 0 errors"), report);
        assertTrue(report.contains("Range: serializable gets"), report);
    }

    @Test
    void shouldRefuseAValueTooSmallToCarryItsSequence()
    {
        final StringWriter err = new StringWriter();
        final int exitCode = new CommandLine(new EtcdBench(new PrintWriter(new StringWriter())))
            .setErr(new PrintWriter(err))
            .execute("put", "--endpoints", ENDPOINT, "--val-size", "8");

        assertNotEquals(0, exitCode);
        assertTrue(err.toString().contains("--val-size must be at least 16"), err.toString());
    }

    private static String run(final String... args)
    {
        final StringWriter report = new StringWriter();
        final String[] withEndpoint = new String[args.length + 1];
        withEndpoint[0] = args[0];
        withEndpoint[1] = "--endpoints=" + ENDPOINT;
        System.arraycopy(args, 1, withEndpoint, 2, args.length - 1);
        final int exitCode = new CommandLine(new EtcdBench(new PrintWriter(report, true))).execute(withEndpoint);
        assertEquals(0, exitCode, report.toString());
        return report.toString();
    }

    private static long number(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), () -> regex + " not in " + text);
        return Long.parseLong(matcher.group(1).replace(",", ""));
    }

    private static boolean isListening()
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", CLIENT_PORT), 200);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static String onPath(final String command)
    {
        final String path = System.getenv("PATH");
        assertNotNull(path, "no PATH");
        for (final String dir : path.split(File.pathSeparator))
        {
            final File file = new File(dir, command);
            if (file.canExecute())
            {
                return file.getPath();
            }
        }
        return fail(command + " is not on the PATH: 'apt-get install -y etcd-server etcd-client' (.ci/run does so)");
    }
}
