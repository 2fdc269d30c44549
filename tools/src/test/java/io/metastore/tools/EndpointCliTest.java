package io.metastore.tools;

import io.metastore.node.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code endpoint status|health|hashkv} and {@code member list} against three in-process members, in etcdctl's
 * simple, json and table output; a stopped member named unhealthy; bad input refused with an error line. The last
 * test stops a member: the others run first.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndpointCliTest
{
    private static final String HEALTHY =
        "localhost:\\d+ is healthy: successfully committed proposal: took = [0-9.]+(ns|µs|ms|s)";

    @TempDir
    static File dataDir;

    private static TestCluster cluster;
    private static int leader;

    @BeforeAll
    static void startCluster()
    {
        cluster = TestCluster.start(dataDir, 3);
        leader = cluster.awaitLeader();
        TestCluster.retry(() -> run("put", "k", "v").exitCode() == 0 ? Boolean.TRUE : null);
        cluster.awaitConverged();
    }

    @AfterAll
    static void stopCluster()
    {
        cluster.close();
    }

    @Test
    @Order(1)
    void shouldPrintEveryMembersStatusWithTheLeaderNamed()
    {
        final CliRun json = run("endpoint", "status", "-w", "json");
        assertEquals(0, json.exitCode(), json::toString);
        final List<Object> statuses = TinyJson.array(TinyJson.parse(json.out()));
        assertEquals(3, statuses.size(), json::toString);
        for (int i = 0; i < 3; i++)
        {
            final Map<String, Object> entry = TinyJson.object(statuses.get(i));
            final Map<String, Object> status = TinyJson.object(entry.get("Status"));
            final Map<String, Object> header = TinyJson.object(status.get("header"));
            assertEquals(endpoint(i), entry.get("Endpoint"));
            assertEquals((long)i, ((Number)header.get("member_id")).longValue());
            assertEquals((long)leader, ((Number)status.get("leader")).longValue(), json::toString);
            assertEquals(i == leader ? "leader" : "follower", status.get("role"), json::toString);
            assertTrue(((Number)status.get("dbSize")).longValue() > 0, json::toString);
            assertTrue(status.get("counters") instanceof List, json::toString);
        }

        final CliRun simple = run("endpoint", "status", "--cluster");
        assertEquals(0, simple.exitCode(), simple::toString);
        assertEquals(3, simple.outLines().size(), simple::toString);
        for (int i = 0; i < 3; i++)
        {
            final List<String> fields = Arrays.asList(simple.outLines().get(i).split(", ", -1));
            assertEquals(ClusterPrinting.STATUS_HEADER.size(), fields.size(), simple::toString);
            assertEquals(endpoint(i), fields.get(0));
            assertEquals(String.valueOf(i == leader), fields.get(4), simple::toString);
            assertEquals(String.valueOf(leader), fields.get(10), simple::toString);
        }

        final CliRun table = run("endpoint", "status", "-w", "table");
        assertEquals(0, table.exitCode(), table::toString);
        final List<String> lines = table.outLines();
        assertEquals(7, lines.size(), table::toString);
        assertTrue(lines.get(1).startsWith("|    ENDPOINT     | ID |"), table::toString);
        assertTrue(lines.get(1).contains("| DB SIZE | IS LEADER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | " +
            "ERRORS |"), table::toString);
        assertTrue(lines.get(3 + leader).matches("\\| " + endpoint(leader) + " \\|  " + leader +
            " \\| .* \\| true      \\| .*"), table::toString);
    }

    @Test
    @Order(2)
    void shouldPrintEveryMemberHealthy()
    {
        final CliRun health = run("endpoint", "health");
        assertEquals(0, health.exitCode(), health::toString);
        assertEquals(3, health.outLines().size(), health::toString);
        health.outLines().forEach(line -> assertTrue(line.matches(HEALTHY), health::toString));

        final CliRun json = run("endpoint", "health", "-w", "json");
        final List<Object> healths = TinyJson.array(TinyJson.parse(json.out()));
        assertEquals(3, healths.size(), json::toString);
        assertEquals(Boolean.TRUE, TinyJson.object(healths.get(0)).get("health"), json::toString);
    }

    @Test
    @Order(3)
    void shouldPrintEqualHashesAndAPastRevisionsHashUnchangedByLaterWrites()
    {
        final CliRun before = run("endpoint", "hashkv", "-w", "json");
        assertEquals(0, before.exitCode(), before::toString);
        final long revision = hashRevision(before);
        final long hash = sameHash(before);

        TestCluster.retry(() -> run("put", "k", "v2").exitCode() == 0 ? Boolean.TRUE : null);
        cluster.awaitConverged();
        final CliRun past = run("endpoint", "hashkv", "--rev", String.valueOf(revision), "-w", "json");
        assertEquals(hash, sameHash(past), past::toString);
        assertEquals(revision, hashRevision(past));
        final CliRun now = run("endpoint", "hashkv", "-w", "json");
        assertTrue(sameHash(now) != hash, now::toString);

        final CliRun simple = run("endpoint", "hashkv", "--rev", String.valueOf(revision));
        assertEquals(List.of(endpoint(0) + ", " + hash + ", " + revision + ", 0",
            endpoint(1) + ", " + hash + ", " + revision + ", 0", endpoint(2) + ", " + hash + ", " + revision + ", 0"),
            simple.outLines());
    }

    @Test
    @Order(4)
    void shouldListTheMembersWithTheirEndpointsAndTheLeader()
    {
        final CliRun json = run("member", "list", "-w", "json");
        assertEquals(0, json.exitCode(), json::toString);
        final List<Object> members = TinyJson.array(TinyJson.object(TinyJson.parse(json.out())).get("members"));
        assertEquals(3, members.size(), json::toString);
        for (int i = 0; i < 3; i++)
        {
            final Map<String, Object> member = TinyJson.object(members.get(i));
            final int ingress = Integer.parseInt(endpoint(i).substring(endpoint(i).indexOf(':') + 1));
            assertEquals(endpoint(i), member.get("ingress"));
            assertEquals("localhost:" + (ingress + 1), member.get("consensus"));
            assertEquals("localhost:" + (ingress + 4), member.get("archive"));
            assertEquals(i == leader, member.get("isLeader"), json::toString);
            assertEquals(Boolean.TRUE, member.get("started"), json::toString);
        }

        // Plain endpoints in another order, the leader's in its place and the others swapped (so the client has no
        // cause to renumber them at its connect): each member still says which it is.
        final String[] endpoints = cluster.endpoints().split(",");
        final String first = endpoints[(leader + 1) % 3];
        endpoints[(leader + 1) % 3] = endpoints[(leader + 2) % 3];
        endpoints[(leader + 2) % 3] = first;
        final CliRun reversed = CliRun.execute(new byte[0], "member", "list", "-w", "json", "--endpoints",
            String.join(",", endpoints));
        assertEquals(0, reversed.exitCode(), reversed::toString);
        for (final Object listed : TinyJson.array(TinyJson.object(TinyJson.parse(reversed.out())).get("members")))
        {
            final Map<String, Object> member = TinyJson.object(listed);
            final int id = ((Number)member.get("ID")).intValue();
            assertEquals(endpoint(id), member.get("ingress"), reversed::toString);
            assertEquals(id == leader, member.get("isLeader"), reversed::toString);
        }

        final CliRun table = run("member", "list", "-w", "table");
        assertEquals(0, table.exitCode(), table::toString);
        assertTrue(table.outLines().get(1).matches(
            "\\| ID \\| STATUS  \\|   NAME   \\| +PEER ADDRS +\\| +CLIENT ADDRS +\\| IS LEARNER \\| IS LEADER \\|"),
            table::toString);
    }

    @Test
    @Order(5)
    void shouldRefuseBadInputWithAnErrorLine()
    {
        final CliRun unknownMember = run("endpoint", "status", "--member", "7");
        assertEquals(ExitCodes.BAD_ARGS, unknownMember.exitCode(), unknownMember::toString);
        assertTrue(unknownMember.err().startsWith("Error: no member 7 among the endpoints"), unknownMember::toString);

        final CliRun negative = run("endpoint", "hashkv", "--rev", "-1");
        assertEquals(ExitCodes.BAD_ARGS, negative.exitCode(), negative::toString);
        assertTrue(negative.err().startsWith("Error: --rev -1 is negative"), negative::toString);

        final CliRun future = run("endpoint", "hashkv", "--rev", "1000000", "--member", "0");
        assertEquals(ExitCodes.ERROR, future.exitCode(), future::toString);
        assertTrue(future.err().startsWith("Failed to get the hash of endpoint " + endpoint(0) +
            " (FUTURE_REVISION: etcdserver: mvcc: required revision is a future revision"), future::toString);

        final CliRun table = run("get", "k", "-w", "table");
        assertEquals(ExitCodes.BAD_FEATURE, table.exitCode(), table::toString);
        assertEquals("Error: table is not supported as output format\n", table.err());
        final CliRun watchTable = run("watch", "k", "-w", "table");
        assertEquals(ExitCodes.BAD_FEATURE, watchTable.exitCode(), watchTable::toString);
        assertEquals("Error: table is not supported as output format\n", watchTable.err());
    }

    @Test
    @Order(6)
    void shouldNameAStoppedMemberUnhealthyAndExitWithOne()
    {
        final int stopped = (leader + 1) % 3;
        cluster.stopNode(stopped);

        final CliRun health = run("endpoint", "health", "--command-timeout", "2s");
        assertEquals(ExitCodes.ERROR, health.exitCode(), health::toString);
        assertEquals(2, health.outLines().size(), health::toString);
        health.outLines().forEach(line -> assertTrue(line.matches(HEALTHY), health::toString));
        assertTrue(health.err().startsWith(endpoint(stopped) + " is unhealthy: failed to commit proposal: " +
            "context deadline exceeded (no response from member " + stopped), health::toString);
        assertTrue(health.err().endsWith("Error: unhealthy cluster\n"), health::toString);

        final CliRun status = run("endpoint", "status", "--command-timeout", "2s");
        assertEquals(ExitCodes.ERROR, status.exitCode(), status::toString);
        assertEquals(2, status.outLines().size(), status::toString);
        assertTrue(status.err().startsWith("Failed to get the status of endpoint " + endpoint(stopped)),
            status::toString);

        final CliRun members = run("member", "list", "--command-timeout", "2s");
        assertEquals(0, members.exitCode(), members::toString);
        assertTrue(members.outLines().get(stopped).startsWith(stopped + ", unreachable, member-" + stopped),
            members::toString);
    }

    private static CliRun run(final String... args)
    {
        final List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--endpoints");
        all.add(cluster.endpoints());
        return CliRun.execute(new byte[0], all.toArray(new String[0]));
    }

    private static String endpoint(final int memberId)
    {
        return cluster.endpoints().split(",")[memberId];
    }

    private static long sameHash(final CliRun run)
    {
        final List<Object> hashes = TinyJson.array(TinyJson.parse(run.out()));
        assertEquals(3, hashes.size(), run::toString);
        final Object first = TinyJson.object(TinyJson.object(hashes.get(0)).get("HashKV")).get("hash");
        for (final Object hash : hashes)
        {
            assertEquals(first, TinyJson.object(TinyJson.object(hash).get("HashKV")).get("hash"), run::toString);
        }
        return ((Number)first).longValue();
    }

    private static long hashRevision(final CliRun run)
    {
        final List<Object> hashes = TinyJson.array(TinyJson.parse(run.out()));
        return ((Number)TinyJson.object(TinyJson.object(hashes.get(0)).get("HashKV")).get("hash_revision"))
            .longValue();
    }
}
