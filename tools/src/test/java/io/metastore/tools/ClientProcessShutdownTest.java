package io.metastore.tools;

import io.metastore.test.Tests;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A command-line client in a process of its own, stopped by SIGTERM or SIGINT as a user stops it, removes its
 * embedded media driver's directory on the way out.
 */
@Timeout(120)
class ClientProcessShutdownTest
{
    private static final int BASE_PORT = 12500;
    private static final String UNUSED_ENDPOINT = "localhost:33790";
    private static final long AWAIT_TIMEOUT_MS = 30_000;
    private static final String CLIENT_DIR_MARKER = "-metastore-client-";

    @TempDir
    static File nodeDir;

    @TempDir
    File tempDir;

    private static CliNode node;
    private Process process;

    @BeforeAll
    static void startNode()
    {
        node = CliNode.start(BASE_PORT, nodeDir);
    }

    @AfterAll
    static void stopNode()
    {
        CloseHelper.close(node);
    }

    @AfterEach
    void after()
    {
        if (null != process)
        {
            process.destroyForcibly();
        }
        node.assertNoErrors();
    }

    @Test
    void shouldRemoveTheDriverDirectoryOfAKeepAliveStoppedBySigterm()
    {
        shouldRemoveTheDriverDirectoryOfAKeepAliveStoppedBy("TERM");
    }

    @Test
    void shouldRemoveTheDriverDirectoryOfAKeepAliveStoppedBySigint() throws IOException
    {
        // A shell without job control starts its background commands with SIGINT ignored, and a child inherits that:
        // the JVM then installs no handler for it, and there is no Ctrl-C to observe (a build run with `&`).
        assumeFalse(isSigintIgnored(), "SIGINT is ignored by this test's process, and so by the client it starts");
        shouldRemoveTheDriverDirectoryOfAKeepAliveStoppedBy("INT");
    }

    private static boolean isSigintIgnored() throws IOException
    {
        final File status = new File("/proc/self/status");
        if (!status.isFile())
        {
            return false;
        }
        for (final String line : Files.readAllLines(status.toPath(), StandardCharsets.US_ASCII))
        {
            if (line.startsWith("SigIgn:"))
            {
                final long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return 0 != (ignored & (1L << (2 - 1)));
            }
        }

        return false;
    }

    @Test
    void shouldRemoveTheDriverDirectoryOfACommandStoppedBySigtermWhileConnecting()
    {
        final File stdout = new File(tempDir, "client.out");
        process = startClient(stdout, "get", "k", "--endpoints", UNUSED_ENDPOINT, "--connect-timeout", "60s");
        Tests.await(() -> "driver directory of the client " + output(), AWAIT_TIMEOUT_MS,
            () -> 1 == clientDirectories().size());

        signal("TERM");

        awaitExit();
        assertEquals(List.of(), clientDirectories());
        assertEquals("", read(new File(tempDir, "client.err")), "nothing failed to close, no error for the stop");
    }

    private void shouldRemoveTheDriverDirectoryOfAKeepAliveStoppedBy(final String signal)
    {
        final CliRun grant = node.client("lease", "grant", "60");
        assertEquals(0, grant.exitCode(), grant::toString);
        final String leaseId = grant.outLines().get(0).split(" ")[1];
        final File stdout = new File(tempDir, "client.out");
        process = startClient(stdout, node.withEndpoints("lease", "keep-alive", leaseId));
        Tests.await(() -> "a renewal " + output(), AWAIT_TIMEOUT_MS, () -> read(stdout).contains("keepalived"));
        assertEquals(1, clientDirectories().size(), this::output);

        signal(signal);

        awaitExit();
        assertEquals(List.of(), clientDirectories());
        assertEquals("", read(new File(tempDir, "client.err")), "nothing failed to close, no error for the stop");
    }

    private Process startClient(final File stdout, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("-Xmx128m");
        // The client's driver directory is this prefix and a random suffix: under the test's own directory.
        command.add("-Daeron.dir=" + new File(tempDir, "aeron").getPath());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MetaStoreCli.class.getName());
        command.addAll(Arrays.asList(args));
        try
        {
            return new ProcessBuilder(command)
                .redirectOutput(stdout)
                .redirectError(new File(tempDir, "client.err"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private List<String> clientDirectories()
    {
        final String[] names = tempDir.list((dir, name) -> name.contains(CLIENT_DIR_MARKER));
        return null == names ? List.of() : List.of(names);
    }

    private void signal(final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            assertTrue(kill.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "kill -" + signal);
            assertEquals(0, kill.exitValue(), "kill -" + signal);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private void awaitExit()
    {
        try
        {
            assertTrue(process.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), this::output);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    private String output()
    {
        return "\n--- stdout\n" + read(new File(tempDir, "client.out")) +
            "--- stderr\n" + read(new File(tempDir, "client.err")) + "--- directories " + clientDirectories();
    }

    private static String read(final File file)
    {
        try
        {
            return file.exists() ? Files.readString(file.toPath(), StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
