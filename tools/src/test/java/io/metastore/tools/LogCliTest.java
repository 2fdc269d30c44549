package io.metastore.tools;

import io.metastore.test.Tests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code log dump} prints what was sent, with what each request produced, and {@code log replay} rebuilds the state
 * the member held, which {@code get --data-dir} reads offline; a damaged recording is an error line with its position.
 */
@Timeout(120)
class LogCliTest
{
    private static final int BASE_PORT = 26075 + (int)(ProcessHandle.current().pid() % 50) * 100;
    private static final byte[] NO_STDIN = new byte[0];
    private static final Pattern GRANTED = Pattern.compile("lease (\\p{XDigit}{16}) granted");
    private static final Set<String> WRITES = Set.of("put", "delete", "txn", "lease-grant", "timer", "new-term");

    @TempDir
    File tempDir;

    @Test
    void shouldDumpWhatWasSentReplayToTheMembersDigestAndReportDamage() throws Exception
    {
        final File dataDir = new File(tempDir, "data");
        final long leaseId;
        try (CliNode node = CliNode.start(BASE_PORT, dataDir))
        {
            ok(node.client("put", "a", "1"));
            ok(node.client("put", "b", "hello"));
            ok(node.client("del", "b"));
            final Matcher granted = GRANTED.matcher(ok(node.client("lease", "grant", "1")).out());
            assertTrue(granted.find());
            leaseId = Long.parseUnsignedLong(granted.group(1), 16);
            ok(node.client("put", "l", "x", "--lease=" + granted.group(1)));
            ok(node.client("mod(\"a\") > \"0\"\n\nput c 3\n\n\n".getBytes(StandardCharsets.UTF_8), "txn"));
            assertNotEquals(0, node.client("put", "", "x").exitCode());
            Tests.await("the lease's key to expire", () -> ok(node.client("get", "l")).out().isEmpty());
            node.assertNoErrors();
        }

        final AtomicReference<String> digest = new AtomicReference<>();
        final AtomicLong position = new AtomicLong();
        try (CliNode node = CliNode.start(BASE_PORT, dataDir))
        {
            ok(node.client("put", "a", "after restart"));
            Tests.await("a committed state that holds still", () ->
            {
                final long before = node.committedPosition();
                digest.set(node.digest());
                position.set(node.committedPosition());
                return before == position.get() && digest.get().equals(node.digest());
            });
        }

        final List<Map<String, Object>> entries = dump(dataDir);
        // Each command closes its session as it exits (the client's driver sends the close before it stops), rather
        // than leave it to time out holding one of the cluster's sessions.
        final List<Object> closeReasons = entries.stream()
            .filter((entry) -> "session-close".equals(entry.get("kind"))).map((entry) -> entry.get("reason")).toList();
        assertTrue(closeReasons.stream().filter("CLIENT_ACTION"::equals).count() >= 6, closeReasons::toString);
        assertFalse(closeReasons.contains("TIMEOUT"), closeReasons::toString);
        final List<Map<String, Object>> writes = new ArrayList<>();
        for (final Map<String, Object> entry : entries)
        {
            if (WRITES.contains((String)entry.get("kind")))
            {
                writes.add(entry);
            }
        }
        assertEquals(11, writes.size(), writes::toString);
        assertEntry(writes.get(0), "new-term", 0L, null, null);
        assertEntry(writes.get(1), "put", 1L, "a", "1");
        assertEntry(writes.get(2), "put", 2L, "b", "hello");
        assertEntry(writes.get(3), "delete", 3L, "b", null);
        assertEntry(writes.get(4), "lease-grant", 3L, null, null);
        assertEquals(1L, writes.get(4).get("ttl"));
        assertEntry(writes.get(5), "put", 4L, "l", "x");
        assertEquals(leaseId, writes.get(5).get("lease"));
        assertEntry(writes.get(6), "txn", 5L, null, null);
        final Map<String, Object> compare = TinyJson.object(TinyJson.array(writes.get(6).get("compares")).get(0));
        assertEquals("a", compare.get("key"));
        assertEquals("MOD", compare.get("target"));
        final Map<String, Object> op = TinyJson.object(TinyJson.array(writes.get(6).get("success")).get(0));
        assertEquals("put", op.get("kind"));
        assertEquals("c", op.get("key"));
        assertEquals("put", writes.get(7).get("kind"));
        assertEquals("EMPTY_KEY", TinyJson.object(writes.get(7).get("error")).get("code"));
        assertEntry(writes.get(8), "timer", 6L, null, null);
        assertEquals("lease", writes.get(8).get("for"));
        assertEntry(writes.get(9), "new-term", 1L, null, null);
        assertEquals(1L, writes.get(9).get("term"));
        assertEntry(writes.get(10), "put", 7L, "a", "after restart");

        final File replayed = new File(tempDir, "replayed");
        final Map<String, Object> replay = TinyJson.object(TinyJson.parse(ok(CliRun.execute(NO_STDIN, "log",
            "replay", "--data-dir", dataDir.getPath(), "--out", replayed.getPath(), "--to-position",
            Long.toString(position.get()), "-w", "json")).out()));
        assertEquals(digest.get(), replay.get("digest"));
        assertEquals(position.get(), replay.get("position"));
        assertEquals(7L, replay.get("revision"));
        assertEquals("a\nafter restart\n", ok(CliRun.execute(NO_STDIN, "get", "--data-dir", replayed.getPath(),
            "a")).out());
        assertEquals("a\n1\n", ok(CliRun.execute(NO_STDIN, "get", "--data-dir", replayed.getPath(), "a", "--rev",
            "1")).out());

        final File atTwo = new File(tempDir, "at-two");
        ok(CliRun.execute(NO_STDIN, "log", "replay", "--data-dir", dataDir.getPath(), "--out", atTwo.getPath(),
            "--to-revision", "2"));
        assertEquals("b\nhello\n", ok(CliRun.execute(NO_STDIN, "get", "--data-dir", atTwo.getPath(), "b")).out());

        final CliRun misspelt = CliRun.execute(NO_STDIN, "log", "dump", "--data-dir", dataDir.getPath(), "--kind",
            "put,puts");
        assertNotEquals(0, misspelt.exitCode(), misspelt::toString);
        assertTrue(misspelt.err().contains("no entry is of kind puts; the kinds are "), misspelt::toString);
        final CliRun inverted = CliRun.execute(NO_STDIN, "log", "dump", "--data-dir", dataDir.getPath(),
            "--from-revision", "3", "--to-revision", "2");
        assertNotEquals(0, inverted.exitCode(), inverted::toString);
        assertTrue(inverted.err().contains("must not be above"), inverted::toString);

        assertDamageReported(dataDir, entries, writes.get(2));
    }

    @Test
    void shouldDumpEveryKindOfRequestTheCommandLineSends()
    {
        final File dataDir = new File(tempDir, "kinds");
        try (CliNode node = CliNode.start(BASE_PORT, dataDir))
        {
            ok(node.client("put", "k", "v"));
            ok(node.client("get", "k", "--rev", "1"));
            final Matcher granted = GRANTED.matcher(ok(node.client("lease", "grant", "60")).out());
            assertTrue(granted.find());
            ok(node.client("lease", "keep-alive", "--once", granted.group(1)));
            ok(node.client("lease", "timetolive", granted.group(1), "--keys"));
            ok(node.client("lease", "list"));
            ok(node.client("lease", "revoke", granted.group(1)));
            ok(node.client("alarm", "list"));
            ok(node.client("compaction", "1"));
            ok(node.client("defrag"));
            ok(node.client("del", "k", "--prev-kv"));
            // Over this node's value limit (64 KiB), under the default one (1 MiB): the replay must refuse it too.
            assertNotEquals(0, node.client("put", "big", "v".repeat(70 * 1024)).exitCode());
            node.assertNoErrors();
        }

        final List<String> kinds = new ArrayList<>();
        final Set<String> sessionEntries = Set.of("new-term", "session-open", "session-close", "alarm");
        for (final Map<String, Object> entry : dump(dataDir))
        {
            // A starting member clears its own NOSPACE alarm through the log: an alarm request of its own.
            if (!sessionEntries.contains((String)entry.get("kind")) || "alarm".equals(entry.get("kind")) &&
                "GET".equals(entry.get("action")))
            {
                kinds.add((String)entry.get("kind"));
            }
        }
        assertEquals(List.of("put", "range", "lease-grant", "lease-keepalive", "lease-timetolive", "lease-list",
            "lease-revoke", "alarm", "compact", "defragment", "delete", "put"), kinds);
        final List<Map<String, Object>> entries = dump(dataDir);
        assertEquals("VALUE_TOO_LARGE", TinyJson.object(entries.get(entries.size() - 2).get("error")).get("code"),
            "the member's own limits replayed");
        final CliRun text = ok(CliRun.execute(NO_STDIN, "log", "dump", "--data-dir", dataDir.getPath(),
            "--kind", "range,delete"));
        final String[] lines = text.out().split("\n");
        assertEquals(2, lines.length, text::toString);
        assertTrue(lines[0].matches("\\d+ term=0 \\S+ range session=\\d+ client=\\p{XDigit}+ corr=\\d+ " +
            "limit=0 atRevision=1 sort=NONE key=\"k\" -> revision \\d+"), lines[0]);
        assertTrue(lines[1].matches("\\d+ term=0 \\S+ delete session=\\d+ client=\\p{XDigit}+ corr=\\d+ " +
            "flags=prevKv key=\"k\" -> revision 2"), lines[1]);
    }

    /**
     * Flip a byte in the body of an entry's frame: the dump prints every entry before it, then an error line that
     * names where it is, and exits 1.
     */
    private static void assertDamageReported(
        final File dataDir, final List<Map<String, Object>> entries, final Map<String, Object> damaged)
        throws Exception
    {
        final long frameStart = (Long)entries.get(entries.indexOf(damaged) - 1).get("position");
        final File segment = new File(new File(new File(dataDir, "node-0"), "archive"), "0-0.rec");
        try (RandomAccessFile file = new RandomAccessFile(segment, "rw"))
        {
            file.seek(frameStart + 40);
            final int b = file.read();
            file.seek(frameStart + 40);
            file.write(b ^ 0xFF);
        }

        final CliRun dump = CliRun.execute(NO_STDIN, "log", "dump", "--data-dir", dataDir.getPath(), "-w", "json");
        assertEquals(1, dump.exitCode(), dump::toString);
        assertTrue(dump.err().startsWith("Error: the recorded log is damaged at position " + frameStart + ":"),
            dump::toString);
        final String[] lines = dump.out().split("\n");
        assertEquals(frameStart, TinyJson.object(TinyJson.parse(lines[lines.length - 1])).get("position"));
    }

    private static List<Map<String, Object>> dump(final File dataDir)
    {
        final CliRun dump = ok(CliRun.execute(
            NO_STDIN, "log", "dump", "--data-dir", dataDir.getPath(), "-w", "json"));
        final List<Map<String, Object>> entries = new ArrayList<>();
        for (final String line : dump.out().split("\n"))
        {
            entries.add(TinyJson.object(TinyJson.parse(line)));
        }

        return entries;
    }

    private static void assertEntry(
        final Map<String, Object> entry, final String kind, final Long revisionOrTerm, final String key,
        final String value)
    {
        assertEquals(kind, entry.get("kind"), entry::toString);
        assertEquals(revisionOrTerm, entry.get("new-term".equals(kind) ? "term" : "revision"), entry::toString);
        if (null != key)
        {
            assertEquals(key, entry.get("key"), entry::toString);
        }
        if (null != value)
        {
            assertEquals(value, entry.get("value"), entry::toString);
        }
    }

    private static CliRun ok(final CliRun run)
    {
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }
}
