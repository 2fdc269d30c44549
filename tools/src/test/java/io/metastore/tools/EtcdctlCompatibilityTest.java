package io.metastore.tools;

import io.metastore.test.Tests;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The same commands against a real etcd, through the real etcdctl 3.4, and against a MetaStore node, through the
 * command line: the JSON each prints must have the same field names, nesting, order and types, with the same keys
 * and values (ids, revisions and terms, which differ between the two, are compared by type only), and each must
 * exit with the same code. {@code etcd} and {@code etcdctl} are taken from the PATH; {@code .ci/run} installs them
 * ({@code apt-get install etcd-server etcd-client}), so their absence fails the test rather than skipping it.
 */
@Timeout(180)
class EtcdctlCompatibilityTest
{
    private static final int BASE_PORT = 15500 + (int)(ProcessHandle.current().pid() % 9) * 20;
    private static final int ETCD_CLIENT_PORT = BASE_PORT + 12;
    private static final int ETCD_PEER_PORT = BASE_PORT + 13;
    private static final byte[] NO_STDIN = new byte[0];
    private static final long ETCD_START_TIMEOUT_MS = 30_000;

    /**
     * Fields whose values differ between two clusters by nature; compared by type only.
     */
    private static final Set<String> NUMBERED_FIELDS = Set.of(
        "cluster_id", "member_id", "revision", "raft_term", "create_revision", "mod_revision", "lease", "ID", "id",
        "TTL", "ttl");

    @TempDir
    static File tempDir;

    private static String etcdctl;
    private static Process etcd;
    private static CliNode node;

    @BeforeAll
    static void startEtcdAndMetaStore() throws IOException
    {
        final String etcdPath = onPath("etcd");
        etcdctl = onPath("etcdctl");
        final File etcdData = new File(tempDir, "etcd");
        final String clientUrl = "http://127.0.0.1:" + ETCD_CLIENT_PORT;
        final String peerUrl = "http://127.0.0.1:" + ETCD_PEER_PORT;
        etcd = new ProcessBuilder(etcdPath, "--name", "compat", "--data-dir", etcdData.getPath(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "compat=" + peerUrl)
            .redirectErrorStream(true)
            .redirectOutput(new File(tempDir, "etcd.log"))
            .start();
        node = CliNode.start(BASE_PORT, new File(tempDir, "metastore"));
        awaitEtcd();
    }

    @AfterAll
    static void stopEtcdAndMetaStore() throws InterruptedException
    {
        CloseHelper.close(node);
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
    void shouldPrintKeyValueVerbsAsEtcdctlDoes()
    {
        assertSame("put", "kv/a", "1");
        assertSame("put", "kv/a", "2", "--prev-kv");
        assertSame("put", "kv/b", "");
        assertSame("put", "kv/c", "3");
        assertSame("get", "kv/a");
        assertSame("get", "kv/", "--prefix");
        assertSame("get", "kv/", "--prefix", "--keys-only");
        assertSame("get", "kv/", "--prefix", "--limit", "1");
        assertSame("get", "kv/", "--prefix", "--order=descend", "--limit=2");
        assertSame("get", "kv/", "--prefix", "--sort-by=value", "--order=DESCEND");
        assertSame("get", "kv/", "--prefix", "--sort-by=MODIFY", "--limit=1");
        assertSame("get", "kv/a", "kv/c");
        assertSame("get", "no/such/key");
        assertSame("del", "no/such/key");
        assertSame("del", "kv/c", "--prev-kv");
        assertSame("del", "kv/", "--prefix");
    }

    @Test
    void shouldPrintTxnAsEtcdctlDoes()
    {
        assertSame("put", "txn/a", "1");
        assertSameTxn("value(\"txn/a\") = \"1\"\n\nput txn/a 2\nput txn/b x --prev-kv\nget txn/a\ndel txn/none\n\n" +
            "get txn/a\n\n");
        assertSameTxn("value(\"txn/a\") = \"1\"\n\nput txn/a 3\n\nget txn/a --keys-only\ndel txn/b --prev-kv\n\n");
        assertSameTxn("mod(\"txn/a\") > \"0\"\n\n\n\n");
    }

    @Test
    void shouldPrintLeaseVerbsAsEtcdctlDoes()
    {
        final Runs grant = assertSame("lease", "grant", "60");
        final String etcdId = Long.toHexString((Long)json(grant.etcd).get("ID"));
        final String metaStoreId = Long.toHexString((Long)json(grant.metaStore).get("ID"));

        assertSame(List.of("put", "lease/k", "v", "--lease=" + etcdId),
            List.of("put", "lease/k", "v", "--lease=" + metaStoreId));
        assertSame(List.of("get", "lease/k"), List.of("get", "lease/k"));
        assertSame(List.of("lease", "timetolive", etcdId), List.of("lease", "timetolive", metaStoreId));
        assertSame(List.of("lease", "timetolive", etcdId, "--keys"),
            List.of("lease", "timetolive", metaStoreId, "--keys"));
        assertSame(List.of("lease", "keep-alive", "--once", etcdId),
            List.of("lease", "keep-alive", "--once", metaStoreId));
        assertSame(List.of("lease", "list"), List.of("lease", "list"));
        assertSame(List.of("lease", "revoke", etcdId), List.of("lease", "revoke", metaStoreId));
        assertSame(List.of("lease", "timetolive", etcdId), List.of("lease", "timetolive", metaStoreId));
        assertSame(List.of("lease", "list"), List.of("lease", "list"));

        final Runs revokeAgain = assertSame(
            List.of("lease", "revoke", etcdId), List.of("lease", "revoke", metaStoreId));
        assertSameError(revokeAgain, "etcdserver: requested lease not found");
        final Runs keepAliveGone = assertSame(
            List.of("lease", "keep-alive", "--once", etcdId), List.of("lease", "keep-alive", "--once", metaStoreId));
        assertEquals(2, keepAliveGone.metaStore.exitCode(), keepAliveGone::toString);
        assertSameError(keepAliveGone, "etcdserver: requested lease not found");
        final Runs keepAliveEnds = assertSameSimple(
            List.of("lease", "keep-alive", etcdId), List.of("lease", "keep-alive", metaStoreId));
        assertEquals(List.of("lease " + metaStoreId + " expired or revoked."), keepAliveEnds.metaStore.outLines());

        final Runs minimum = assertSame("lease", "grant", "0");
        assertEquals(json(minimum.etcd).get("TTL"), json(minimum.metaStore).get("TTL"), minimum::toString);
    }

    @Test
    void shouldReadPastRevisionsAndCompactAsEtcdctlDoes()
    {
        final Revisions first = revisions(assertSame("put", "hist/k", "1"));
        final Revisions second = revisions(assertSame("put", "hist/k", "2"));
        final Revisions deleted = revisions(assertSame("del", "hist/k"));
        final Revisions other = revisions(assertSame("put", "hist/j", "3"));

        assertSameAt(first, "get", "hist/k", "--rev");
        assertSameAt(second, "get", "hist/", "--prefix", "--rev");
        assertSameAt(deleted, "get", "hist/k", "--rev");
        assertSameAt(other, "get", "hist/", "--prefix", "--rev");
        assertSameText(first, "get", "hist/k", "--rev");
        assertSameText(other, "get", "hist/", "--prefix", "--rev");

        final Runs compaction = assertSameText(second, "compaction");
        assertEquals(List.of("compacted revision " + second.metaStore), compaction.metaStore.outLines());
        final Runs json = assertSameSimple(
            List.of("compaction", String.valueOf(deleted.etcd), "-w", "json"),
            List.of("compaction", String.valueOf(deleted.metaStore), "-w", "json"));
        assertEquals(List.of("compacted revision " + deleted.etcd), json.etcd.outLines(), json::toString);
        assertEquals(List.of("compacted revision " + deleted.metaStore), json.metaStore.outLines(), json::toString);

        final String compacted = "etcdserver: mvcc: required revision has been compacted";
        assertSameError(assertSameAt(first, "get", "hist/k", "--rev"), compacted);
        assertSameError(assertSameText(second, "get", "hist/k", "--rev"), compacted);
        assertSameAt(deleted, "get", "hist/", "--prefix", "--rev");
        assertSameError(assertSameText(deleted, "compaction"), compacted);
        assertSameError(assertSameText(first, "compaction"), compacted);
        assertSameError(assertSameExitCode(NO_STDIN, "compaction", "1000000"),
            "etcdserver: mvcc: required revision is a future revision");

        // A watch from a compacted revision is canceled: the same lines on stderr, the same exit status (5).
        final Runs canceled = assertSameSimple(withRevision(new String[] { "watch", "hist/k", "--rev" }, first.etcd),
            withRevision(new String[] { "watch", "hist/k", "--rev" }, first.metaStore));
        assertEquals(ExitCodes.INTERRUPTED, canceled.metaStore.exitCode(), canceled::toString);
        assertEquals(canceled.etcd.err().lines().toList(), canceled.metaStore.err().lines().toList(),
            canceled::toString);
    }

    @Test
    void shouldPrintWatchEventsAsEtcdctlDoes() throws Exception
    {
        final Revisions first = revisions(assertSame("put", "watch/a", "1"));
        assertSame("put", "watch/a", "2");
        assertSame("put", "watch/b", "x");
        assertSame("del", "watch/", "--prefix");
        final int lines = 3 + 5 + 3 + 5 + 5;

        final String watch = "watch watch/ --prefix --prev-kv --rev ";
        final List<String> etcd = etcdctlWatch(watch + first.etcd, lines);
        final List<String> metaStore = metaStoreWatch(watch + first.metaStore, lines);

        assertEquals(List.of(
            "PUT", "watch/a", "1",
            "PUT", "watch/a", "1", "watch/a", "2",
            "PUT", "watch/b", "x",
            "DELETE", "watch/a", "2", "watch/a", "",
            "DELETE", "watch/b", "x", "watch/b", ""), etcd, "etcdctl, as this test reads it");
        assertEquals(etcd, metaStore);
    }

    /**
     * The first lines {@code etcdctl watch -i} prints for one command on its stdin; then its stdin is closed.
     */
    private static List<String> etcdctlWatch(final String command, final int lineCount) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(
            etcdctl, "--endpoints=127.0.0.1:" + ETCD_CLIENT_PORT, "watch", "-i").redirectErrorStream(false);
        builder.environment().put("ETCDCTL_API", "3");
        final Process process = builder.start();
        try
        {
            process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            final BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            final List<String> printed = new ArrayList<>();
            for (int i = 0; i < lineCount; i++)
            {
                final String line = out.readLine();
                assertNotNull(line, () -> "etcdctl ended after " + printed);
                printed.add(line);
            }
            return printed;
        }
        finally
        {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The first lines {@code metastore watch -i} prints for one command on its stdin; then its stdin is closed.
     */
    private static List<String> metaStoreWatch(final String command, final int lineCount) throws Exception
    {
        final InteractiveWatch watch = new InteractiveWatch(node);
        try
        {
            watch.send(command);
            return watch.awaitLines(lineCount);
        }
        finally
        {
            assertEquals(0, watch.end(), watch::err);
        }
    }

    @Test
    void shouldExitWithEtcdctlsCodes()
    {
        assertSameExitCode(NO_STDIN, "get");
        assertSameExitCode(NO_STDIN, "put");
        assertSameExitCode(NO_STDIN, "del");
        assertSameExitCode(NO_STDIN, "put", "k", "v", "--ignore-value");
        assertSameExitCode(NO_STDIN, "put", "k", "v", "--lease=zz");
        assertSameExitCode(NO_STDIN, "lease", "grant");
        assertSameExitCode(NO_STDIN, "lease", "grant", "ten");
        assertSameExitCode(NO_STDIN, "lease", "revoke", "zz");
        assertSameExitCode(NO_STDIN, "get", "k", "--no-such-flag");
        assertSameExitCode(NO_STDIN, "get", "k", "--limit", "many");
        assertSameExitCode(NO_STDIN, "get", "k", "-w", "yaml");
        assertSameExitCode(NO_STDIN, "get", "k", "--order", "sideways");
        assertSameExitCode(NO_STDIN, "get", "k", "--sort-by", "colour");
        assertSameExitCode(NO_STDIN, "get", "k", "--consistency", "x");
        assertSameExitCode(NO_STDIN, "frobnicate");
        assertSameExitCode("bogus\n\n\n\n".getBytes(StandardCharsets.UTF_8), "txn");

        assertSameError(assertSameExitCode(NO_STDIN, "put", "no/such/key", "--ignore-value"),
            "etcdserver: key not found");
        assertSameError(assertSameExitCode(NO_STDIN, "put", "k", "v", "--lease=123"),
            "etcdserver: requested lease not found");
        assertSameError(assertSameExitCode(NO_STDIN, "get", "k", "--rev", "1000000"),
            "etcdserver: mvcc: required revision is a future revision");
    }

    private static Runs assertSame(final String... args)
    {
        return assertSame(Arrays.asList(args), Arrays.asList(args));
    }

    /**
     * Run the commands with {@code -w json} on each side, and compare exit codes and JSON structure.
     */
    private static Runs assertSame(final List<String> etcdArgs, final List<String> metaStoreArgs)
    {
        final Runs runs = run(NO_STDIN, withJson(etcdArgs), withJson(metaStoreArgs));
        assertEquals(runs.etcd.exitCode(), runs.metaStore.exitCode(), runs::toString);
        if (0 == runs.etcd.exitCode())
        {
            assertEquals(structure(TinyJson.parse(runs.etcd.out())), structure(TinyJson.parse(runs.metaStore.out())),
                runs::toString);
        }

        return runs;
    }

    /**
     * The revision one write reached on each side: etcd's and MetaStore's first revisions differ.
     */
    private record Revisions(long etcd, long metaStore)
    {
    }

    private static Revisions revisions(final Runs runs)
    {
        return new Revisions(revision(runs.etcd), revision(runs.metaStore));
    }

    private static long revision(final Run run)
    {
        return (Long)TinyJson.object(json(run).get("header")).get("revision");
    }

    /**
     * The command with each side's revision last, in JSON, compared as {@link #assertSame(List, List)} does.
     */
    private static Runs assertSameAt(final Revisions revisions, final String... args)
    {
        return assertSame(withRevision(args, revisions.etcd), withRevision(args, revisions.metaStore));
    }

    /**
     * The command with each side's revision last, in etcdctl's simple output: the same exit code and lines.
     */
    private static Runs assertSameText(final Revisions revisions, final String... args)
    {
        final Runs runs = assertSameSimple(withRevision(args, revisions.etcd), withRevision(args, revisions.metaStore));
        if (!runs.etcd.out().startsWith("compacted revision"))
        {
            assertEquals(runs.etcd.outLines(), runs.metaStore.outLines(), runs::toString);
        }

        return runs;
    }

    private static List<String> withRevision(final String[] args, final long revision)
    {
        final List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add(String.valueOf(revision));

        return all;
    }

    private static Runs assertSameSimple(final List<String> etcdArgs, final List<String> metaStoreArgs)
    {
        final Runs runs = run(NO_STDIN, etcdArgs, metaStoreArgs);
        assertEquals(runs.etcd.exitCode(), runs.metaStore.exitCode(), runs::toString);

        return runs;
    }

    private static void assertSameTxn(final String input)
    {
        final List<String> txn = withJson(List.of("txn"));
        final Runs runs = run(input.getBytes(StandardCharsets.UTF_8), txn, txn);
        assertEquals(runs.etcd.exitCode(), runs.metaStore.exitCode(), runs::toString);
        assertEquals(structure(TinyJson.parse(runs.etcd.out())), structure(TinyJson.parse(runs.metaStore.out())),
            runs::toString);
    }

    private static Runs assertSameExitCode(final byte[] stdin, final String... args)
    {
        final Runs runs = run(stdin, Arrays.asList(args), Arrays.asList(args));
        assertEquals(runs.etcd.exitCode(), runs.metaStore.exitCode(), runs::toString);

        return runs;
    }

    private static void assertSameError(final Runs runs, final String etcdWording)
    {
        assertTrue(runs.etcd.err().contains(etcdWording), runs::toString);
        assertTrue(runs.metaStore.err().startsWith("Error: ") && runs.metaStore.err().contains(etcdWording),
            runs::toString);
    }

    private static List<String> withJson(final List<String> args)
    {
        final List<String> all = new ArrayList<>(args);
        all.add("-w");
        all.add("json");

        return all;
    }

    /**
     * A parsed JSON value with what legitimately differs between two clusters replaced by its type.
     */
    private static Object structure(final Object json)
    {
        return structure(null, json);
    }

    private static Object structure(final String name, final Object json)
    {
        if (json instanceof Map<?, ?> map)
        {
            final Map<String, Object> fields = new LinkedHashMap<>();
            map.forEach((key, value) -> fields.put((String)key, structure((String)key, value)));
            return List.copyOf(fields.entrySet());
        }
        if (json instanceof List<?> list)
        {
            return list.stream().map((value) -> structure(name, value)).toList();
        }
        if ((json instanceof Long || json instanceof BigInteger) && NUMBERED_FIELDS.contains(name))
        {
            return "<number>";
        }

        return json;
    }

    private static Map<String, Object> json(final Run run)
    {
        return TinyJson.object(TinyJson.parse(run.out()));
    }

    private static Runs run(final byte[] stdin, final List<String> etcdArgs, final List<String> metaStoreArgs)
    {
        return new Runs(etcdctl(stdin, etcdArgs), metaStore(stdin, metaStoreArgs));
    }

    private static Run metaStore(final byte[] stdin, final List<String> args)
    {
        final CliRun run = node.client(stdin, args.toArray(new String[0]));
        return new Run(run.exitCode(), run.out(), run.err());
    }

    private static Run etcdctl(final byte[] stdin, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(etcdctl);
        command.add("--endpoints=127.0.0.1:" + ETCD_CLIENT_PORT);
        command.addAll(args);
        try
        {
            final Path out = Files.createTempFile(tempDir.toPath(), "etcdctl", ".out");
            final Path err = Files.createTempFile(tempDir.toPath(), "etcdctl", ".err");
            final Path in = Files.write(Files.createTempFile(tempDir.toPath(), "etcdctl", ".in"), stdin);
            final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
            builder.environment().put("ETCDCTL_API", "3");
            final Process process = builder.start();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
                fail("etcdctl did not end within 30 s: " + command);
            }

            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        }
        catch (final IOException ex)
        {
            throw new AssertionError("running " + command, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, ex);
        }
    }

    private static void awaitEtcd()
    {
        final Run[] health = { null };
        Tests.await(() -> "etcd to become healthy on port " + ETCD_CLIENT_PORT + ": " + health[0] + "; see " +
            new File(tempDir, "etcd.log"), ETCD_START_TIMEOUT_MS, () ->
            {
                assertTrue(etcd.isAlive(), () -> "etcd exited; see " + new File(tempDir, "etcd.log"));
                health[0] = etcdctl(NO_STDIN, List.of("endpoint", "health"));
                return 0 == health[0].exitCode();
            });
    }

    private static String onPath(final String program)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            final File file = new File(dir, program);
            if (file.canExecute())
            {
                return file.getPath();
            }
        }
        fail(program + " is not on the PATH: this test compares with the real etcd 3.4; install it with " +
            "'apt-get install -y etcd-server etcd-client' (.ci/run does so)");
        return null;
    }

    /**
     * What one command line printed and how it exited.
     */
    private record Run(int exitCode, String out, String err)
    {
        List<String> outLines()
        {
            return out.lines().toList();
        }
    }

    /**
     * The same command run by etcdctl against etcd and by the command line against MetaStore.
     */
    private record Runs(Run etcd, Run metaStore)
    {
        @Override
        public String toString()
        {
            return "\n--- etcdctl " + etcd + "\n--- metastore " + metaStore;
        }
    }
}
