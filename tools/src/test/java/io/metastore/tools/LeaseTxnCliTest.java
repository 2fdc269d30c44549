package io.metastore.tools;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lease and txn verbs against an in-process single node, run as the command line runs them.
 */
@Timeout(60)
class LeaseTxnCliTest
{
    private static final int BASE_PORT = 26025 + (int)(ProcessHandle.current().pid() % 50) * 100;
    private static final byte[] NO_STDIN = new byte[0];
    private static final Pattern GRANTED = Pattern.compile("lease (\\p{XDigit}{16}) granted with TTL\\((\\d+)s\\)");

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
    void shouldGrantAttachInspectRenewAndRevokeALease()
    {
        final String id = grant(60);
        final long numericId = Long.parseUnsignedLong(id, 16);

        final CliRun put = node.client("put", "--lease", id, "leased/k", "v");
        assertEquals(0, put.exitCode(), put::toString);
        assertEquals(List.of("OK"), put.outLines());

        final CliRun timeToLive = node.client("lease", "timetolive", id, "--keys");
        assertEquals(0, timeToLive.exitCode(), timeToLive::toString);
        assertEquals(1, timeToLive.outLines().size(), timeToLive::toString);
        assertTrue(timeToLive.outLines().get(0).matches(
            "lease " + id + " granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[leased/k]\\)"),
            timeToLive::toString);

        final CliRun list = node.client("lease", "list");
        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(list.outLines().get(0).matches("found \\d+ leases"), list::toString);
        assertTrue(list.outLines().contains(id), list::toString);

        final Map<String, Object> kv = CliNode.onlyKv(node.client("get", "leased/k", "-w", "jsontext"));
        assertEquals(numericId, kv.get("lease"));
        assertEquals("v", kv.get("value"));

        final CliRun keepAlive = node.client("lease", "keep-alive", id, "--once");
        assertEquals(0, keepAlive.exitCode(), keepAlive::toString);
        assertEquals(List.of("lease " + id + " keepalived with TTL(60)"), keepAlive.outLines());

        final CliRun revoke = node.client("lease", "revoke", id);
        assertEquals(0, revoke.exitCode(), revoke::toString);
        assertEquals(List.of("lease " + id + " revoked"), revoke.outLines());

        final CliRun get = node.client("get", "leased/k");
        assertEquals(0, get.exitCode(), get::toString);
        assertEquals("", get.out());

        final CliRun expired = node.client("lease", "timetolive", id);
        assertEquals(0, expired.exitCode(), expired::toString);
        assertEquals(List.of("lease " + id + " already expired"), expired.outLines());
        assertTrue(node.client("lease", "list").outLines().stream().noneMatch(id::equals));
    }

    @Test
    void shouldFailToRevokeALeaseTwice()
    {
        final String id = grant(60);
        assertEquals(0, node.client("lease", "revoke", id).exitCode());

        final CliRun again = node.client("lease", "revoke", id);
        assertEquals(1, again.exitCode(), again::toString);
        assertEquals("", again.out());
        assertTrue(again.err().startsWith("Error: LEASE_NOT_FOUND: etcdserver: requested lease not found"),
            again::toString);

        final CliRun once = node.client("lease", "keep-alive", "--once", id);
        assertEquals(2, once.exitCode(), once::toString);
        assertEquals("", once.out());
        assertTrue(once.err().startsWith("Error: LEASE_NOT_FOUND: etcdserver: requested lease not found"),
            once::toString);
    }

    @Test
    void shouldGrantTheMinimumTtlForATtlOfZeroAsEtcdDoes()
    {
        final CliRun grant = node.client("lease", "grant", "0");

        assertEquals(0, grant.exitCode(), grant::toString);
        final Matcher matcher = GRANTED.matcher(grant.outLines().get(0));
        assertTrue(matcher.matches(), grant::toString);
        assertEquals("2", matcher.group(2), grant::toString);
        assertEquals(0, node.client("lease", "revoke", matcher.group(1)).exitCode());
    }

    @Test
    void shouldReportLossAndExitWithZeroAsEtcdctlWhenAKeptAliveLeaseIsRevoked() throws Exception
    {
        final String id = grant(3);
        final LineQueueOutput out = new LineQueueOutput();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> MetaStoreCli.commandLine(
                new MetaStoreCli(new ByteArrayInputStream(NO_STDIN), out, Map.of()),
                new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(err, true))
            .execute(node.withEndpoints("lease", "keep-alive", id)));

        try
        {
            assertEquals("lease " + id + " keepalived with TTL(3)", out.awaitLine("the first renewal, stderr: " + err));
            assertEquals(0, node.client("lease", "revoke", id).exitCode());

            assertEquals(0, exitCode.get(30, TimeUnit.SECONDS), () -> "stderr: " + err);
        }
        finally
        {
            if (!exitCode.isDone())
            {
                // The verb only ends once the lease is gone: do not leave it renewing after a failed assertion.
                node.client("lease", "revoke", id);
            }
        }
        final List<String> rest = out.printedSoFar();
        assertEquals("lease " + id + " expired or revoked.", rest.get(rest.size() - 1), rest::toString);
        assertTrue(rest.subList(0, rest.size() - 1).stream()
            .allMatch(("lease " + id + " keepalived with TTL(3)")::equals), rest::toString);
        assertEquals("", err.toString());
    }

    @Test
    void shouldRunSuccessBranchWhenComparesHold()
    {
        node.client("put", "txn/ok", "before");

        final CliRun txn = txn("""
            value("txn/ok") = "before"

            put txn/ok after
            get txn/ok

            put txn/ok failed
            """);

        assertEquals(0, txn.exitCode(), txn::toString);
        assertEquals(List.of("SUCCESS", "", "OK", "", "txn/ok", "after"), txn.outLines());
        assertEquals(List.of("txn/ok", "after"), node.client("get", "txn/ok").outLines());
    }

    @Test
    void shouldRunFailureBranchWhenACompareDoesNotHold()
    {
        node.client("put", "txn/fail", "before");

        final CliRun txn = txn("""
            value("txn/fail") = "something else"

            put txn/fail succeeded

            put txn/fail failed
            get txn/fail --print-value-only
            """);

        assertEquals(0, txn.exitCode(), txn::toString);
        assertEquals(List.of("FAILURE", "", "OK", "", "failed"), txn.outLines());
        assertEquals(List.of("txn/fail", "failed"), node.client("get", "txn/fail").outLines());
    }

    @Test
    void shouldWriteTxnResultAsJson()
    {
        final CliRun txn = txn("""
            version("txn/json") = "0"

            put txn/json created
            get txn/json

            """, "-w", "jsontext");

        assertEquals(0, txn.exitCode(), txn::toString);
        final Map<String, Object> json = TinyJson.object(TinyJson.parse(txn.out()));
        assertEquals(true, json.get("succeeded"));
        assertTrue(json.containsKey("header"), json::toString);
        final List<Object> responses = TinyJson.array(json.get("responses"));
        assertEquals(2, responses.size(), json::toString);
        assertTrue(TinyJson.object(responses.get(0)).containsKey("response_put"), json::toString);
        final Map<String, Object> range = TinyJson.object(TinyJson.object(responses.get(1)).get("response_range"));
        final Map<String, Object> kv = TinyJson.object(TinyJson.array(range.get("kvs")).get(0));
        assertEquals("txn/json", kv.get("key"));
        assertEquals("created", kv.get("value"));
    }

    @Test
    void shouldAttachKeyToLeaseInTxnAndCompareOnTheLease()
    {
        final String id = grant(60);
        final CliRun attach = txn("\nput txn-lease/k v --lease=" + id + "\n");
        assertEquals(0, attach.exitCode(), attach::toString);
        assertEquals(List.of("SUCCESS", "", "OK"), attach.outLines());

        final CliRun compare = txn("lease(\"txn-lease/k\") = \"" + id + "\"\n\nget txn-lease/k --keys-only\n");
        assertEquals(0, compare.exitCode(), compare::toString);
        assertEquals(List.of("SUCCESS", "", "txn-lease/k", ""), compare.outLines());

        assertEquals(0, node.client("lease", "revoke", id).exitCode());
        assertEquals("", node.client("get", "txn-lease/k").out());
    }

    @Test
    void shouldRefuseTxnThatPutsTheSameKeyTwiceAndChangeNothing()
    {
        final CliRun txn = txn("""

            put dup/a one
            put dup/b two
            put dup/a three
            """);

        assertEquals(1, txn.exitCode(), txn::toString);
        assertEquals("", txn.out());
        assertTrue(txn.err().startsWith("Error: DUPLICATE_KEY"), txn::toString);
        assertEquals(List.of("0"), node.client("get", "dup/", "--prefix", "--count-only").outLines());
    }

    private static String grant(final long ttlSeconds)
    {
        final CliRun grant = node.client("lease", "grant", Long.toString(ttlSeconds));
        assertEquals(0, grant.exitCode(), grant::toString);
        assertEquals(1, grant.outLines().size(), grant::toString);
        final Matcher matcher = GRANTED.matcher(grant.outLines().get(0));
        assertTrue(matcher.matches(), grant::toString);
        assertEquals(Long.toString(ttlSeconds), matcher.group(2), grant::toString);

        return matcher.group(1);
    }

    private static CliRun txn(final String stdin, final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("txn"));
        all.addAll(Arrays.asList(args));

        return node.client(stdin.getBytes(StandardCharsets.UTF_8), all.toArray(new String[0]));
    }
}
