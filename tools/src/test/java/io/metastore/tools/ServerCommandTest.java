package io.metastore.tools;

import io.metastore.node.MetaStoreNode;
import io.metastore.test.Tests;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code metastore server} runs a node that the client verbs can use, and stops on a shutdown signal.
 */
@Timeout(60)
class ServerCommandTest
{
    private static final int BASE_PORT = 26050 + (int)(ProcessHandle.current().pid() % 50) * 100;
    private static final byte[] NO_STDIN = new byte[0];
    private static final long SERVER_START_TIMEOUT_MS = 20_000;
    private static final int METRICS_PORT_OFFSET = 9;

    @TempDir
    File dataDir;

    @Test
    void shouldServeClientsUntilSignalled()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() ->
            new CommandLine(new MetaStoreCli())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("server", "--base-port", String.valueOf(BASE_PORT), "--data-dir", dataDir.getPath(),
                    "--log-term-length", "1m", "--max-value-bytes", "64k",
                    "--metrics-port", String.valueOf(BASE_PORT + METRICS_PORT_OFFSET)));

        final String started = "metastore member 0 of 1 listening on localhost:" + BASE_PORT +
            " (data " + new File(dataDir, "node-0").getPath() + ")";
        try
        {
            Tests.await(() -> "the server to start, stderr: " + err, SERVER_START_TIMEOUT_MS,
                () -> out.toString().contains(started));

            final String endpoints = "localhost:" + BASE_PORT;
            final CliRun put = CliRun.execute(NO_STDIN, "put", "served", "yes", "--endpoints", endpoints);
            assertEquals(0, put.exitCode(), put::toString);
            final CliRun get = CliRun.execute(NO_STDIN, "get", "served", "--endpoints", endpoints);
            assertEquals(List.of("served", "yes"), get.outLines(), get::toString);
            final String metrics = scrape("http://127.0.0.1:" + (BASE_PORT + METRICS_PORT_OFFSET) + "/metrics");
            assertTrue(metrics.contains("\nmetastore_requests_applied_total{kind=\"put\"} 1\n"), metrics);
            assertTrue(metrics.contains("\nmetastore_requests_applied_total{kind=\"range\"} 1\n"), metrics);
        }
        finally
        {
            // As SIGINT or SIGTERM would: wakes every barrier in this JVM, and only the server has one.
            try (ShutdownSignalBarrier signaller = new ShutdownSignalBarrier())
            {
                signaller.signalAll();
            }
        }

        assertEquals(0, exitCode.join(), () -> "stdout: " + out + "\nstderr: " + err);
        assertEquals(List.of(started), out.toString().lines().toList());
        assertEquals("", err.toString());
    }

    private static String scrape(final String uri)
    {
        try
        {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response::body);
            return response.body();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void shouldPrintErrorAndExitWithOneForAnInvalidConfiguration()
    {
        final CliRun run = CliRun.execute(NO_STDIN,
            "server", "--members", "a,b", "--base-port", String.valueOf(BASE_PORT), "--data-dir", dataDir.getPath());

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("Error: metastore.members: must name 1, 3 or 5 members"), run::toString);
    }

    @Test
    void shouldLetAFlagOverrideItsSystemPropertyEitherWay()
    {
        final String fsyncProperty = MetaStoreNode.Configuration.FSYNC_PROP_NAME;
        final String archiveProperty = MetaStoreNode.Configuration.ARCHIVE_ON_CONSENSUS_THREAD_PROP_NAME;
        try
        {
            System.setProperty(fsyncProperty, "true");
            System.setProperty(archiveProperty, "false");
            assertTrue(context().fsync(), "the property, no flag");
            assertFalse(context().archiveOnConsensusThread(), "the property, no flag");
            assertTrue(context("--fsync").fsync());
            assertFalse(context("--no-fsync").fsync());
            assertTrue(context("--archive-on-consensus-thread").archiveOnConsensusThread());
            assertFalse(context("--no-archive-on-consensus-thread").archiveOnConsensusThread());

            System.setProperty(fsyncProperty, "false");
            System.setProperty(archiveProperty, "true");
            assertTrue(context("--fsync").fsync());
            assertFalse(context("--no-fsync").fsync());
            assertFalse(context("--no-archive-on-consensus-thread").archiveOnConsensusThread());

            System.clearProperty(fsyncProperty);
            System.clearProperty(archiveProperty);
            assertEquals(MetaStoreNode.Configuration.FSYNC_DEFAULT, context().fsync());
            assertEquals(
                MetaStoreNode.Configuration.ARCHIVE_ON_CONSENSUS_THREAD_DEFAULT, context().archiveOnConsensusThread());
        }
        finally
        {
            System.clearProperty(fsyncProperty);
            System.clearProperty(archiveProperty);
        }
    }

    private static MetaStoreNode.Context context(final String... args)
    {
        final ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.context();
    }

    @Test
    void shouldExitWithTwoForAMalformedFlag()
    {
        final CliRun run = CliRun.execute(NO_STDIN, "server", "--log-term-length", "huge");

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("'huge' is not a size"), run::toString);
    }
}
