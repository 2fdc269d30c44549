package io.metastore.tools.process;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import io.metastore.test.Tests;
import io.metastore.tools.MetaStoreCli;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One {@code metastore server} in a process of its own, as an operator runs it: its own data directory, media driver
 * directory, JVM properties and flags, stdout and stderr captured to files (one pair per start). It can be killed
 * (SIGKILL), paused (SIGSTOP), resumed (SIGCONT), stopped (SIGTERM) and started again on the same directories.
 * {@link #close()} kills it if it still runs and removes its media driver directory.
 * <p>
 * It does another job than the command line tests' {@code CliNode}, a node in the test's own JVM: only a process of
 * its own can be killed, paused or stopped by a signal without taking the test with it, and shows what an operator
 * sees (exit status, stdout, stderr).
 */
public final class ServerProcess implements AutoCloseable
{
    /**
     * How long a start, a stop or an exit is awaited before the test fails.
     */
    public static final long AWAIT_TIMEOUT_MS = 30_000;

    private final int memberId;
    private final String members;
    private final int basePort;
    private final File dataDir;
    private final File logDir;
    private final String aeronDirectoryName;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> serverArgs = new ArrayList<>();
    private Process process;
    private int starts;
    private File stdout;
    private File stderr;

    /**
     * @param memberId of the server in the member list.
     * @param members  hosts of the members, comma separated.
     * @param basePort of the cluster.
     * @param dataDir  passed as {@code --data-dir}; the node's files are under {@code node-<memberId>}.
     * @param logDir   where each start's stdout and stderr are written.
     */
    public ServerProcess(
        final int memberId, final String members, final int basePort, final File dataDir, final File logDir)
    {
        this.memberId = memberId;
        this.members = members;
        this.basePort = basePort;
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.aeronDirectoryName = "/dev/shm/metastore-test-" + basePort + "-" + memberId;
        // The suite must not depend on the free space of the machine it runs on: disk tests set their own.
        properties.put("metastore.disk.alarm.bytes", "0");
        properties.put("metastore.disk.reserve.bytes", "0");
        // As the suite's own JVM: stderr holds warnings and errors only, so a test can assert there were none.
        properties.put("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /**
     * @param name  of a system property of the server's JVM, such as {@code metastore.liveness.timeout.ms}.
     * @param value of the property.
     * @return this for a fluent API.
     */
    public ServerProcess property(final String name, final String value)
    {
        properties.put(name, value);
        return this;
    }

    /**
     * @param args more flags of {@code metastore server}.
     * @return this for a fluent API.
     */
    public ServerProcess serverArgs(final String... args)
    {
        serverArgs.addAll(List.of(args));
        return this;
    }

    /**
     * Start the server; it may still be starting when this returns.
     *
     * @return this for a fluent API.
     */
    public ServerProcess start()
    {
        if (null != process && process.isAlive())
        {
            throw new IllegalStateException("member " + memberId + " is running");
        }

        starts++;
        stdout = new File(logDir, "member-" + memberId + "-" + starts + ".out");
        stderr = new File(logDir, "member-" + memberId + "-" + starts + ".err");
        final List<String> command = new ArrayList<>();
        command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-Dmetastore.aeron.dir=" + aeronDirectoryName);
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MetaStoreCli.class.getName());
        command.addAll(List.of("server",
            "--member-id", String.valueOf(memberId),
            "--members", members,
            "--base-port", String.valueOf(basePort),
            "--data-dir", dataDir.getPath(),
            "--log-term-length", "1m",
            "--max-value-bytes", "64k"));
        command.addAll(serverArgs);

        try
        {
            Files.createDirectories(logDir.toPath());
            process = new ProcessBuilder(command)
                .redirectOutput(stdout)
                .redirectError(stderr)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        return this;
    }

    /**
     * Wait until the server prints that it is listening.
     *
     * @return this for a fluent API.
     */
    public ServerProcess awaitListening()
    {
        Tests.await(() -> "member " + memberId + " to listen: " + this, AWAIT_TIMEOUT_MS, () ->
        {
            if (!process.isAlive())
            {
                fail("member " + memberId + " exited with " + process.exitValue() + " before listening: " + this);
            }
            return stdout().contains(" listening on ");
        });

        return this;
    }

    /**
     * Wait for the server to exit.
     *
     * @return its exit status.
     */
    public int awaitExit()
    {
        try
        {
            if (!process.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                fail("timed out awaiting member " + memberId + " to exit: " + this);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted awaiting member " + memberId + " to exit");
        }

        return process.exitValue();
    }

    /**
     * SIGKILL, then wait for the process to be gone.
     *
     * @return the exit status, 137.
     */
    public int kill()
    {
        process.destroyForcibly();
        return awaitExit();
    }

    /**
     * SIGTERM, a requested shutdown, then wait for the exit.
     *
     * @return the exit status.
     */
    public int stop()
    {
        requestStop();
        return awaitExit();
    }

    /**
     * SIGTERM without waiting; a paused server is resumed first so that it can act on it.
     */
    public void requestStop()
    {
        process.destroy();
        resume();
    }

    /**
     * SIGSTOP: every thread of the server stops until {@link #resume()}.
     */
    public void pause()
    {
        signal("STOP");
    }

    /**
     * SIGCONT after {@link #pause()}.
     */
    public void resume()
    {
        signal("CONT");
    }

    /**
     * The value of the first counter of a type in the running server's media driver, read through a short-lived
     * Aeron client, e.g. {@code AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID} (0 follower, 1 candidate, 2 leader) or
     * {@code AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID}.
     *
     * @param typeId of the counter.
     * @return its value, or -1 if there is no such counter or the server is not running.
     */
    public long counter(final int typeId)
    {
        if (!isAlive())
        {
            return -1;
        }
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName)))
        {
            final CountersReader counters = aeron.countersReader();
            final long[] value = { -1 };
            counters.forEach((counterId, counterTypeId, keyBuffer, label) ->
            {
                if (counterTypeId == typeId && -1 == value[0])
                {
                    value[0] = counters.getCounterValue(counterId);
                }
            });

            return value[0];
        }
    }

    /**
     * @return the consensus module's role: 0 follower, 1 candidate, 2 leader ({@code Cluster.Role}), -1 if unknown.
     */
    public long role()
    {
        return counter(AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID);
    }

    /**
     * @return true if the process has not exited.
     */
    public boolean isAlive()
    {
        return null != process && process.isAlive();
    }

    /**
     * @return the process id of the current start.
     */
    public long pid()
    {
        return process.pid();
    }

    /**
     * @return member id.
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * @return the ingress endpoint clients connect to.
     */
    public String endpoint()
    {
        return members.split(",")[memberId].trim() + ":" + (basePort + 10 * memberId);
    }

    /**
     * @return the node's directory.
     */
    public File nodeDir()
    {
        return new File(dataDir, "node-" + memberId);
    }

    /**
     * @return the media driver's directory.
     */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * @return what the current start printed on stdout so far.
     */
    public String stdout()
    {
        return read(stdout);
    }

    /**
     * @return what the current start printed on stderr so far: the node's error log.
     */
    public String stderr()
    {
        return read(stderr);
    }

    /**
     * The digest of the state the stopped server's RocksDB holds, opened offline.
     *
     * @return the digest, equal on members holding the same state.
     */
    public String digest()
    {
        if (isAlive())
        {
            throw new IllegalStateException("member " + memberId + " is running");
        }

        try (RocksDbStorage storage = RocksDbStorage.open(new File(nodeDir(), "rocksdb")))
        {
            return StateDigest.of(storage);
        }
    }

    /**
     * Kill the server if it runs (a paused one too) and remove its media driver directory and lock.
     */
    public void close()
    {
        if (isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        IoUtil.delete(new File(aeronDirectoryName), true);
        IoUtil.delete(new File(aeronDirectoryName + ".lock"), true);
    }

    @Override
    public String toString()
    {
        return "member " + memberId + " (" + (isAlive() ? "pid " + pid() : "not running") + ")\nstdout: " +
            stdout() + "\nstderr: " + stderr();
    }

    private void signal(final String name)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).inheritIO().start();
            if (!kill.waitFor(AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS) || 0 != kill.exitValue())
            {
                fail("kill -" + name + " " + pid() + " failed");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted signalling member " + memberId);
        }
    }

    private static String read(final File file)
    {
        try
        {
            return null == file || !file.exists() ? "" : Files.readString(file.toPath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
