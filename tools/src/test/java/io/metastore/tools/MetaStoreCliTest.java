package io.metastore.tools;

import io.metastore.codecs.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.Map;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client verbs against an in-process single node, run as the command line runs them.
 */
@Timeout(60)
class MetaStoreCliTest
{
    private static final int BASE_PORT = 26000 + (int)(ProcessHandle.current().pid() % 50) * 100;
    private static final byte[] NO_STDIN = new byte[0];

    @TempDir
    static File dataDir;

    private static CliNode node;

    @BeforeAll
    static void startNode()
    {
        node = CliNode.start(BASE_PORT, dataDir);
    }

    @AfterAll
    static void stopNode()
    {
        CloseHelper.close(node);
    }

    @AfterEach
    void assertNodeLoggedNoErrors()
    {
        node.assertNoErrors();
    }

    @Test
    void shouldPrintTheVersionAndTheProtocolVersionAsEtcdctlVersionDoes()
    {
        final CliRun version = CliRun.execute(NO_STDIN, "version");
        assertEquals(0, version.exitCode(), version::toString);
        assertEquals(2, version.outLines().size(), version::toString);
        assertTrue(version.outLines().get(0).startsWith("metastore version: "), version::toString);
        assertEquals("API version: " + MessageHeaderEncoder.SCHEMA_VERSION, version.outLines().get(1));
    }

    @Test
    void shouldPutThenGetKeyAndValue()
    {
        final CliRun put = node.client("put", "basic/greeting", "hello world");
        assertEquals(0, put.exitCode(), put::toString);
        assertEquals(List.of("OK"), put.outLines());
        assertEquals("", put.err());

        final CliRun get = node.client("get", "basic/greeting");
        assertEquals(0, get.exitCode(), get::toString);
        assertEquals(List.of("basic/greeting", "hello world"), get.outLines());
        assertEquals("", get.err());
    }

    @Test
    void shouldPrintNothingForAMissingKey()
    {
        final CliRun get = node.client("get", "missing/key");

        assertEquals(0, get.exitCode(), get::toString);
        assertEquals("", get.out());
    }

    @Test
    void shouldPrintPreviousKeyAndValueWithPrevKv()
    {
        node.client("put", "prev/k", "one");
        final CliRun put = node.client("put", "prev/k", "two", "--prev-kv");

        assertEquals(0, put.exitCode(), put::toString);
        assertEquals(List.of("OK", "prev/k", "one"), put.outLines());
        assertEquals(List.of("prev/k", "two"), node.client("get", "prev/k").outLines());
    }

    @Test
    void shouldReadValueFromStdinWhenNotGiven()
    {
        final CliRun put = node.client(bytes("line one\nline two\n"), "put", "stdin/k");
        assertEquals(0, put.exitCode(), put::toString);

        final Map<String, Object> kv = CliNode.onlyKv(node.client("get", "stdin/k", "-w", "jsontext"));
        assertEquals("line one\nline two\n", kv.get("value"));
    }

    @Test
    void shouldGetByPrefixFromKeyAndRange()
    {
        putAll("range/a", "range/b", "range/c", "rangeX");

        assertEquals(List.of("range/a", "1", "range/b", "2", "range/c", "3"),
            node.client("get", "range/", "--prefix").outLines());
        assertEquals(List.of("range/c", "", "rangeX", ""),
            node.client("get", "range/c", "--from-key", "--limit", "2", "--keys-only").outLines());
        assertEquals(List.of("range/a", "", "range/b", ""),
            node.client("get", "range/a", "range/c", "--keys-only").outLines());
    }

    @Test
    void shouldLimitOrderAndCount()
    {
        putAll("order/a", "order/b", "order/c");

        assertEquals(List.of("order/c", "", "order/b", ""),
            node.client("get", "order/", "--prefix", "--order", "DESCEND", "--limit", "2", "--keys-only").outLines());
        assertEquals(List.of("order/a", "", "order/b", "", "order/c", ""),
            node.client("get", "order/", "--prefix", "--order", "ascend", "--keys-only").outLines());
        assertEquals(List.of("3"), node.client("get", "order/", "--prefix", "--count-only").outLines());
        assertEquals(List.of("1", "2"), node.client("get", "order/", "--prefix", "--limit", "2", "--print-value-only")
            .outLines());
    }

    @Test
    void shouldWriteRangeAsJson()
    {
        putAll("json/a", "json/b");
        final CliRun get = node.client("get", "json/", "--prefix", "--limit", "1", "-w", "jsontext");
        assertEquals(0, get.exitCode(), get::toString);

        final Map<String, Object> json = TinyJson.object(TinyJson.parse(get.out()));
        final Map<String, Object> header = TinyJson.object(json.get("header"));
        assertEquals(List.of("cluster_id", "member_id", "revision", "raft_term"), List.copyOf(header.keySet()));
        assertEquals(0L, header.get("member_id"));
        assertTrue((Long)header.get("revision") >= 2, header::toString);
        assertEquals(2L, json.get("count"));
        assertEquals(true, json.get("more"));
        final List<Object> kvs = TinyJson.array(json.get("kvs"));
        assertEquals(1, kvs.size());
        final Map<String, Object> kv = TinyJson.object(kvs.get(0));
        assertEquals(List.of("key", "create_revision", "mod_revision", "version", "value", "lease"),
            List.copyOf(kv.keySet()));
        assertEquals("json/a", kv.get("key"));
        assertEquals("1", kv.get("value"));
        assertEquals(1L, kv.get("version"));
        assertEquals(kv.get("create_revision"), kv.get("mod_revision"));
    }

    @Test
    void shouldDeleteAndPrintPreviousPairs()
    {
        putAll("del/a", "del/b", "keep/c");

        final CliRun del = node.client("del", "del/", "--prefix", "--prev-kv");
        assertEquals(0, del.exitCode(), del::toString);
        assertEquals(List.of("2", "del/a", "1", "del/b", "2"), del.outLines());
        assertEquals(List.of("0"), node.client("get", "del/", "--prefix", "--count-only").outLines());
        assertEquals(List.of("keep/c", "3"), node.client("get", "keep/c").outLines());

        final CliRun delJson = node.client("del", "keep/c", "-w", "jsontext");
        final Map<String, Object> json = TinyJson.object(TinyJson.parse(delJson.out()));
        assertEquals(1L, json.get("deleted"));
        assertEquals(List.of(), json.get("prev_kvs"));
        assertTrue(json.containsKey("header"), json::toString);
    }

    @Test
    void shouldSortByAnyTargetInEitherOrderAsEtcdDoes()
    {
        final CliRun put3 = node.client("put", "sort/a", "3");
        final CliRun put1 = node.client("put", "sort/b", "1");
        final CliRun put2 = node.client("put", "sort/c", "2");
        assertEquals(0, put3.exitCode() + put1.exitCode() + put2.exitCode());

        assertEquals(List.of("1", "2", "3"),
            node.client("get", "sort/", "--prefix", "--sort-by=value", "--print-value-only").outLines());
        assertEquals(List.of("sort/a", "3", "sort/c", "2"),
            node.client("get", "sort/", "--prefix", "--sort-by=VALUE", "--order=descend", "--limit=2").outLines());
        assertEquals(List.of("sort/c", "", "sort/b", ""),
            node.client("get", "sort/", "--prefix", "--sort-by=modify", "--order=DESCEND", "--limit=2", "--keys-only")
                .outLines());
        final Map<String, Object> json = TinyJson.object(TinyJson.parse(
            node.client("get", "sort/", "--prefix", "--sort-by=create", "--limit=1", "-w", "json").out()));
        assertEquals(3L, json.get("count"));
        assertEquals(true, json.get("more"));
    }

    @Test
    void shouldPrintValueThatIsNotUtf8ByteForByteOrAsHex()
    {
        final byte[] value = { (byte)0xFF, (byte)0xFE, 0, 'z' };
        final CliRun put = node.client(value, "put", "binary/k");
        assertEquals(0, put.exitCode(), put::toString);

        final CliRun get = node.client("get", "binary/k");
        assertArrayEquals(
            new byte[]{ 'b', 'i', 'n', 'a', 'r', 'y', '/', 'k', '\n', (byte)0xFF, (byte)0xFE, 0, 'z', '\n' },
            get.outBytes(), get::toString);
        assertEquals(List.of("\\x62\\x69\\x6e\\x61\\x72\\x79\\x2f\\x6b", "\\xff\\xfe\\x00\\x7a"),
            node.client("--hex", "get", "binary/k").outLines());
        final Map<String, Object> etcdJson = CliNode.onlyKv(node.client("get", "binary/k", "-w", "json"));
        assertEquals("//4Aeg==", etcdJson.get("value"));
        assertEquals("YmluYXJ5L2s=", etcdJson.get("key"));
        final Map<String, Object> kv = CliNode.onlyKv(node.client("get", "binary/k", "-w", "jsontext"));
        assertEquals("//4Aeg==", kv.get("value_base64"));
        assertEquals("binary/k", kv.get("key"));
    }

    @Test
    void shouldPrintErrorAndExitWithOneWhenRequestFails()
    {
        final CliRun emptyKey = node.client("get", "");
        assertEquals(1, emptyKey.exitCode(), emptyKey::toString);
        assertEquals("", emptyKey.out());
        assertTrue(emptyKey.err().startsWith("Error: EMPTY_KEY: etcdserver: key is not provided"), emptyKey::toString);

        final CliRun future = node.client("get", "k", "--rev", "1000000");
        assertEquals(1, future.exitCode(), future::toString);
        assertTrue(future.err().startsWith(
            "Error: FUTURE_REVISION: etcdserver: mvcc: required revision is a future revision"), future::toString);

        final CliRun missing = node.client("put", "no/such/k", "--ignore-value");
        assertEquals(1, missing.exitCode(), missing::toString);
        assertEquals("Error: KEY_NOT_FOUND: etcdserver: key not found", missing.err().strip(), missing::toString);

        final CliRun inverted = node.client("get", "b", "a");
        assertEquals(1, inverted.exitCode(), inverted::toString);
        assertTrue(inverted.err().startsWith("Error: INVALID_RANGE"), inverted::toString);
    }

    @Test
    void shouldReadPastRevisionsAndCompactAsEtcdctlDoes()
    {
        final long first = putRevision("rev/k", "one");
        final long second = putRevision("rev/k", "two");
        final CliRun del = node.client("del", "rev/k", "-w", "json");
        final long deleted = (Long)TinyJson.object(TinyJson.object(TinyJson.parse(del.out())).get("header"))
            .get("revision");
        final long other = putRevision("rev/other", "three");

        assertEquals(List.of("rev/k", "one"), node.client("get", "rev/k", "--rev", String.valueOf(first)).outLines());
        assertEquals(List.of("rev/k", "two"), node.client("get", "rev/k", "--rev", String.valueOf(second)).outLines());
        assertEquals("", node.client("get", "rev/k", "--rev", String.valueOf(deleted)).out());
        assertEquals(List.of("rev/other", "three"),
            node.client("get", "rev/", "--prefix", "--rev", String.valueOf(other)).outLines());
        assertEquals(List.of("rev/k", "two"),
            node.client("get", "rev/", "--prefix", "--rev", String.valueOf(second)).outLines());

        final CliRun json = node.client("get", "rev/k", "--rev", String.valueOf(first), "-w", "json");
        final Map<String, Object> kv = CliNode.onlyKv(json);
        assertEquals("b25l", kv.get("value"), json::toString);
        assertEquals(first, kv.get("mod_revision"), json::toString);
        assertEquals(first, kv.get("create_revision"), json::toString);
        assertEquals(1L, kv.get("version"), json::toString);
        final Map<String, Object> header = TinyJson.object(TinyJson.object(TinyJson.parse(json.out())).get("header"));
        assertTrue((Long)header.get("revision") >= other, "the header has the current revision: " + header);

        final CliRun compaction = node.client("compaction", String.valueOf(second));
        assertEquals(0, compaction.exitCode(), compaction::toString);
        assertEquals(List.of("compacted revision " + second), compaction.outLines());
        assertEquals(List.of("compacted revision " + deleted),
            node.client("compaction", String.valueOf(deleted), "--physical", "-w", "json").outLines());

        final String compacted = "etcdserver: mvcc: required revision has been compacted";
        assertError(compacted, node.client("get", "rev/k", "--rev", String.valueOf(first)));
        assertError(compacted, node.client("get", "rev/k", "--rev", String.valueOf(second)));
        assertEquals("", node.client("get", "rev/k", "--rev", String.valueOf(deleted)).out());
        assertError(compacted, node.client("compaction", String.valueOf(deleted)));
        assertError(compacted, node.client("compaction", String.valueOf(first)));
        assertError("etcdserver: mvcc: required revision is a future revision",
            node.client("compaction", "1000000"));
        assertEquals(List.of("rev/other", "three"), node.client("get", "rev/", "--prefix").outLines());
    }

    /**
     * A request that fails exits 1, as etcdctl, printing etcd's words for the error.
     */
    private static void assertError(final String etcdWording, final CliRun run)
    {
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().startsWith("Error: ") && run.err().contains(etcdWording), run::toString);
    }

    private static long putRevision(final String key, final String value)
    {
        final CliRun put = node.client("put", key, value, "-w", "json");
        assertEquals(0, put.exitCode(), put::toString);

        return (Long)TinyJson.object(TinyJson.object(TinyJson.parse(put.out())).get("header")).get("revision");
    }

    @Test
    void shouldPrintErrorAndExitWithOneWhenNoClusterAnswers()
    {
        final CliRun get = CliRun.execute(NO_STDIN,
            "get", "k", "--endpoints", "localhost:" + (BASE_PORT + 90), "--connect-timeout", "300ms");

        assertEquals(1, get.exitCode(), get::toString);
        assertEquals(List.of("Error: context deadline exceeded: no leader at localhost:" + (BASE_PORT + 90) +
            " answered within the connect timeout of 300 ms (--connect-timeout)"), get.err().lines().toList());
    }

    @Test
    void shouldExitWithEtcdctlCodesOnBadUsageAfterOneLineAndAHint()
    {
        assertUsageError(128, "metastore", CliRun.execute(NO_STDIN));
        assertUsageError(1, "metastore", CliRun.execute(NO_STDIN, "frobnicate"));
        assertUsageError(128, "metastore get", CliRun.execute(NO_STDIN, "get"));
        assertUsageError(1, "metastore get", CliRun.execute(NO_STDIN, "get", "a", "--no-such-flag"));
        assertUsageError(1, "metastore get", CliRun.execute(NO_STDIN, "get", "a", "--limit", "many"));
        assertUsageError(128, "metastore get", CliRun.execute(NO_STDIN, "get", "a", "z", "--prefix"));
        assertUsageError(128, "metastore del", CliRun.execute(NO_STDIN, "del", "a", "--prefix", "--from-key"));
        assertUsageError(128, "metastore put", CliRun.execute(NO_STDIN, "put", "a", "b", "--ignore-value"));
        assertUsageError(128, "metastore put", CliRun.execute(NO_STDIN, "put", "a", "b", "--lease", "xyz"));
        assertUsageError(128, "metastore put", CliRun.execute(NO_STDIN, "put", "a"));
    }

    @Test
    void shouldExitWithFourForAFeatureThatIsNotThere()
    {
        assertFailure(4, "Error: unsupported output format yaml (one of simple, json, table, jsontext)",
            CliRun.execute(NO_STDIN, "get", "a", "-w", "yaml"));
        assertFailure(4, "Error: unsupported output format yaml (one of simple, json, table, jsontext)",
            CliRun.execute(NO_STDIN, Map.of("METASTORE_WRITE_OUT", "yaml"), "get", "a"));
        assertFailure(4, "Error: bad sort order sideways", CliRun.execute(NO_STDIN, "get", "a", "--order=sideways"));
        assertFailure(4, "Error: bad sort target colour", CliRun.execute(NO_STDIN, "get", "a", "--sort-by=colour"));
        assertFailure(4, "Error: unknown consistency flag \"x\"",
            CliRun.execute(NO_STDIN, "get", "a", "--consistency", "x"));
    }

    @Test
    void shouldGetSerializablyOrLinearizablyAsConsistencySaysInAnyCase()
    {
        final CliRun put = node.client("put", "consistency/k", "v1");
        assertEquals(0, put.exitCode(), put::toString);

        for (final String consistency : new String[]{ "s", "S", "l", "L" })
        {
            final CliRun get = node.client("get", "consistency/", "--prefix", "--consistency", consistency);
            assertEquals(0, get.exitCode(), get::toString);
            assertEquals(List.of("consistency/k", "v1"), get.outLines(), consistency);
        }
        final CliRun count = node.client("get", "consistency/", "--prefix", "--count-only", "--consistency=s",
            "-w", "json");
        assertEquals(1L, TinyJson.object(TinyJson.parse(count.out())).get("count"), count::toString);
    }

    @Test
    void shouldTakeClientFlagsBeforeTheVerbAndFromTheEnvironmentTheVerbsOwnWinning()
    {
        final CliRun put = node.client("put", "env/k", "v");
        assertEquals(0, put.exitCode(), put::toString);
        final String endpoints = node.withEndpoints()[1];
        final String nowhere = "localhost:" + (BASE_PORT + 90);

        final CliRun before = CliRun.execute(NO_STDIN, "--endpoints=" + endpoints, "-w", "json", "get", "env/k");
        assertEquals("dg==", CliNode.onlyKv(before).get("value"), before::toString);

        final CliRun fromEnv = CliRun.execute(NO_STDIN,
            Map.of("METASTORE_ENDPOINTS", endpoints, "METASTORE_WRITE_OUT", "jsontext"), "get", "env/k");
        assertEquals("v", CliNode.onlyKv(fromEnv).get("value"), fromEnv::toString);

        final CliRun flagWins = CliRun.execute(NO_STDIN,
            Map.of("METASTORE_ENDPOINTS", nowhere, "METASTORE_HEX", "true", "METASTORE_CONNECT_TIMEOUT", "1ms"),
            "--endpoints", endpoints, "--connect-timeout=20s", "get", "env/k");
        assertEquals(List.of("\\x65\\x6e\\x76\\x2f\\x6b", "\\x76"), flagWins.outLines(), flagWins::toString);

        final CliRun verbWins = CliRun.execute(NO_STDIN, "-w", "json", "--hex", "get", "env/k", "-w", "simple",
            "--hex=false", "--endpoints", endpoints);
        assertEquals(List.of("env/k", "v"), verbWins.outLines(), verbWins::toString);
    }

    private static void assertUsageError(final int exitCode, final String command, final CliRun run)
    {
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        // Picocli may add its "Did you mean" line between them for a verb or flag close to a known one.
        final List<String> lines = run.err().lines().filter((line) -> !line.startsWith("Did you mean")).toList();
        assertEquals(2, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("Error: "), run::toString);
        assertEquals("Run '" + command + " --help' for usage.", lines.get(1), run::toString);
    }

    private static void assertFailure(final int exitCode, final String error, final CliRun run)
    {
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(List.of(error), run.err().lines().toList(), run::toString);
    }

    private static void putAll(final String... keys)
    {
        for (int i = 0; i < keys.length; i++)
        {
            final CliRun put = node.client("put", keys[i], String.valueOf(i + 1));
            assertEquals(0, put.exitCode(), put::toString);
        }
    }
}
