package io.metastore.dist;

import io.metastore.test.Tests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tarball {@code mvn package} builds, unpacked into an empty directory, runs with a JRE alone: its launcher prints
 * the version, runs a server that logs as conf/ says, and the client verbs talk to that server.
 */
@Timeout(120)
class DistributionTest
{
    /**
     * Ports of this test's server: 16000-16159, apart from every other test's.
     */
    private static final int BASE_PORT = 16000 + (int)(ProcessHandle.current().pid() % 8) * 20;
    private static final long AWAIT_TIMEOUT_MS = 60_000;

    @TempDir
    File dir;

    @Test
    void shouldRunTheServerAndTheClientVerbsFromTheUnpackedTarball() throws Exception
    {
        final File home = unpack();
        final String version = System.getProperty("metastore.dist.version");
        assertEquals(List.of("metastore " + version), run(home, "--version"));
        // The first verb run from a writable lib/ leaves the class-data archive the later ones start from.
        assertTrue(new File(home, "lib/metastore-cli.jsa").isFile(), "a class-data archive in lib/");
        final List<String> lib = List.of(new File(home, "lib").list());
        assertTrue(lib.contains("metastore-tools-" + version + ".jar"), lib::toString);
        assertFalse(lib.stream().anyMatch((name) -> name.startsWith("sbe-tool")), lib::toString);

        final String aeronDir = "/dev/shm/metastore-dist-test-" + BASE_PORT;
        final File out = new File(dir, "server.out");
        final File err = new File(dir, "server.err");
        final ProcessBuilder builder = launcher(home, "server", "--base-port", String.valueOf(BASE_PORT),
            "--data-dir", new File(dir, "data").getPath(), "--log-term-length", "1m", "--max-value-bytes", "64k")
            .redirectOutput(out)
            .redirectError(err);
        builder.environment().put("METASTORE_JAVA_OPTS", "-Dmetastore.aeron.dir=" + aeronDir +
            " -Dmetastore.disk.alarm.bytes=0 -Dmetastore.disk.reserve.bytes=0 -Xmx256m");
        final Process server = builder.start();
        try
        {
            Tests.await(() -> "a listening line: " + read(out) + read(err), AWAIT_TIMEOUT_MS, () ->
            {
                assertTrue(server.isAlive(), () -> "the server exited: " + read(out) + read(err));
                return read(out).contains(" listening on ");
            });

            final String endpoints = "--endpoints=localhost:" + BASE_PORT;
            assertEquals(List.of("OK"), run(home, "put", "greeting", "hello", endpoints));
            assertEquals(List.of("greeting", "hello"), run(home, "get", "greeting", endpoints));

            server.destroy();
            assertTrue(server.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the server to stop");
            assertEquals(0, server.exitValue(), () -> read(out) + read(err));
            assertEquals(List.of("metastore member 0 of 1 listening on localhost:" + BASE_PORT + " (data " +
                new File(dir, "data/node-0").getPath() + ")"), read(out).lines().toList());
            // conf/simplelogger.properties: a date-time, the thread, the level and the logger on every line.
            assertTrue(read(err).lines().anyMatch((line) -> line.matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* \\[metastore-node-monitor] " +
                "INFO MetaStoreNode - ready: leader in leadership term \\d+ .*")), () -> read(err));
        }
        finally
        {
            server.destroyForcibly();
            server.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            delete(new File(aeronDir));
            delete(new File(aeronDir + ".lock"));
        }
    }

    /**
     * The unit names the launcher at /opt/metastore, where the README installs it; systemd checks that the command
     * exists, so it is checked here pointing at this unpacked tarball.
     */
    @Test
    void shouldShipASystemdUnitThatSystemdAcceptsWithoutAWarning() throws Exception
    {
        final File home = unpack();
        final File unit = new File(home, "systemd/metastore@.service");
        assertTrue(unit.isFile() && new File(home, "systemd/metastore.env").isFile(), "systemd/ in the tarball");
        final String text = Files.readString(unit.toPath(), StandardCharsets.UTF_8);
        assertTrue(text.contains("ExecStart=/opt/metastore/bin/metastore server --member-id %i"), text);
        assertTrue(text.contains("Restart=on-failure"), text);

        final File checked = new File(dir, "units/metastore@.service");
        assertTrue(checked.getParentFile().mkdirs());
        Files.writeString(checked.toPath(), text.replace("/opt/metastore/", home.getPath() + "/"));
        final Process verify;
        try
        {
            verify = new ProcessBuilder("systemd-analyze", "verify", new File(checked.getParentFile(),
                "metastore@0.service").getPath()).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            assumeTrue(false, "systemd-analyze is not installed: " + ex.getMessage());
            return;
        }
        final String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "systemd-analyze to exit");
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output);
    }

    private File unpack() throws Exception
    {
        final File tarball = new File(System.getProperty("metastore.dist.tarball").trim());
        assertTrue(tarball.isFile(), () -> "no tarball at " + tarball);
        final Process tar = new ProcessBuilder("tar", "-xzf", tarball.getPath(), "-C", dir.getPath())
            .inheritIO()
            .start();
        assertTrue(tar.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "tar to unpack");
        assertEquals(0, tar.exitValue(), "tar's exit status");
        final File home = new File(dir, "metastore-" + System.getProperty("metastore.dist.version"));
        assertTrue(new File(home, "bin/metastore").canExecute(), () -> "no bin/metastore in " + home);

        return home;
    }

    private ProcessBuilder launcher(final File home, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(new File(home, "bin/metastore").getPath());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir);
        final Map<String, String> env = builder.environment();
        // Only a Java runtime: the one running this test, named by JAVA_HOME; nothing from the checkout.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("METASTORE_JAVA_OPTS");
        env.remove("CLASSPATH");

        return builder;
    }

    private List<String> run(final File home, final String... args) throws Exception
    {
        final File out = new File(dir, "run.out");
        final File err = new File(dir, "run.err");
        final Process process = launcher(home, args).redirectOutput(out).redirectError(err).start();
        if (!process.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            fail("metastore " + String.join(" ", args) + " did not exit: " + read(out) + read(err));
        }
        assertEquals(0, process.exitValue(),
            () -> "metastore " + String.join(" ", args) + ": " + read(out) + read(err));

        return read(out).lines().toList();
    }

    private static String read(final File file)
    {
        try
        {
            return file.exists() ? Files.readString(file.toPath(), StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void delete(final File file)
    {
        final File[] children = file.listFiles();
        if (null != children)
        {
            for (final File child : children)
            {
                delete(child);
            }
        }
        if (file.exists() && !file.delete())
        {
            throw new IllegalStateException("cannot delete " + file);
        }
    }
}
