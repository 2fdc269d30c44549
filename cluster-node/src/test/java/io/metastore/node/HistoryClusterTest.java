package io.metastore.node;

import io.metastore.client.Change;
import io.metastore.client.ChangesResult;
import io.metastore.client.CompactedException;
import io.metastore.client.KeyValue;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.Op;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.client.Txn;
import io.metastore.test.Tests;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.metastore.node.TestCluster.retry;
import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History on three members: reads at past revisions and reads of changes answer the same whoever leads, across a
 * compaction, a leader change, a snapshot, a restart and a member rebuilt from a snapshot; the state digests agree
 * at each step; automatic compaction runs on cluster time.
 */
@Timeout(300)
class HistoryClusterTest
{
    private static final String[] KEYS = { "h/a", "h/b", "h/c", "h/d", "i" };
    private static final int ROUNDS = 8;

    @TempDir
    File tempDir;

    private TestCluster cluster;

    @AfterEach
    void after()
    {
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldAgreeOnPastRevisionsAndDigestsAfterCompactionLeaderChangeSnapshotAndRestart()
    {
        cluster = TestCluster.start(tempDir, 3);
        final MetaStoreClient client = cluster.connectClient();
        final long written = writeHistory(client, ROUNDS);
        final Map<String, String> answersBefore = answers(client, 1, written);

        final long compactAt = written / 2;
        assertEquals(compactAt, client.compact(compactAt).compactRevision());
        final long revision = markConverged(client, "after a compaction");
        final Map<String, String> expected = answersFrom(answersBefore, compactAt);
        assertEquals(expected, answers(client, compactAt, written), "after a compaction");
        assertCompacted(client, compactAt);

        final int oldLeader = cluster.awaitLeader();
        cluster.stopNode(oldLeader);
        final int newLeader = cluster.awaitLeader();
        assertNotEquals(oldLeader, newLeader);
        assertEquals(expected, answers(client, compactAt, written), "from the new leader");
        assertEquals(newLeader, retry(() -> client.get("i")).header().memberId());
        assertCompacted(client, compactAt);
        cluster.startNode(oldLeader);
        cluster.awaitConverged(revision);

        takeSnapshotOnEveryMember();
        cluster.awaitConverged(revision);
        assertEquals(expected, answers(client, compactAt, written), "after a snapshot");

        cluster.stopAll();
        cluster.startAll();
        final MetaStoreClient restarted = cluster.connectClient();
        cluster.awaitConverged(revision);
        assertEquals(expected, answers(restarted, compactAt, written), "after a restart");
        assertCompacted(restarted, compactAt);
        cluster.assertNoErrors();
    }

    @Test
    void shouldAnswerHistoryFromAMemberRebuiltFromASnapshotAsTheOthersDo()
    {
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx.snapshotChunkBytes(512));
        final MetaStoreClient client = cluster.connectClient();
        final long compactAt = writeHistory(client, ROUNDS) / 2;
        client.compact(compactAt);
        markConverged(client, "before the snapshot");
        takeSnapshotOnEveryMember();

        // Writes after the snapshot: the rebuilt member replays them from the log on top of the snapshot.
        final long written = writeHistory(client, 2);
        final long revision = markConverged(client, "after the snapshot");
        final Map<String, String> expected = answers(client, compactAt, written);

        final int rebuilt = cluster.awaitLeader();
        final File rocksDir = new File(cluster.node(rebuilt).nodeDir(), "rocksdb");
        cluster.stopNode(rebuilt);
        IoUtil.delete(rocksDir, false);
        cluster.startNode(rebuilt);
        cluster.awaitConverged(revision);
        assertTrue(cluster.node(rebuilt).service().rebuiltFromSnapshot(), "member " + rebuilt + " loaded it");

        moveLeadershipTo(rebuilt);
        assertEquals(rebuilt, retry(() -> client.get("i")).header().memberId());
        assertEquals(expected, answers(client, compactAt, written), "from the member rebuilt from a snapshot");
        assertCompacted(client, compactAt);
        cluster.awaitConverged(revision);
        cluster.assertNoErrors();
    }

    @Test
    void shouldCompactAutomaticallyOnClusterTimeAlikeOnEveryMember()
    {
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx.autoCompaction("periodic", "2s"));
        final MetaStoreClient client = cluster.connectClient();
        final long written = writeHistory(client, 2);

        final long[] compactRevision = { 0 };
        Tests.await("a read at revision 1 refused as compacted", () ->
        {
            try
            {
                retry(() -> client.range(bytes("h/"), new RangeOptions().prefix().revision(1)));
                return false;
            }
            catch (final CompactedException ex)
            {
                compactRevision[0] = ex.compactRevision();
                return true;
            }
        });
        assertTrue(compactRevision[0] >= 1 && compactRevision[0] <= written, "compacted at " + compactRevision[0]);

        // The timers go on compacting up to the newest revision older than the retention: each member applies each
        // timer event at the same position, so the digests meet again once the compacted revision stops moving.
        assertEquals(written + 1, retry(() -> client.put("marker", "after")).header().revision());
        assertEquals(written + 1, cluster.awaitConverged());
        Tests.await("equal digests on every member", () ->
            cluster.node(0).digest().equals(cluster.node(1).digest()) &&
            cluster.node(0).digest().equals(cluster.node(2).digest()));
        cluster.assertNoErrors();
    }

    /**
     * Puts, overwrites, deletes, a transaction's several changes in one revision, each round the same.
     *
     * @return the revision reached.
     */
    private static long writeHistory(final MetaStoreClient client, final int rounds)
    {
        long revision = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < KEYS.length; i++)
            {
                final String key = KEYS[i];
                if ((round + i) % 3 == 2)
                {
                    // Deleted, then created again: a new create revision and version 1.
                    retry(() -> client.delete(key));
                }
                final String value = "v" + round + "-" + i;
                revision = retry(() -> client.put(key, value)).header().revision();
            }
            final String value = "txn" + round;
            revision = retry(() -> client.txn(Txn.txn().then(Op.put("h/b", value), Op.delete("h/c"),
                Op.put("h/e", value)))).header().revision();
        }

        return revision;
    }

    /**
     * Put a marker key and wait until every running member committed it, then require equal digests: what was
     * applied before it, a compaction too, is then committed on every member.
     *
     * @return the revision of the marker.
     */
    private long markConverged(final MetaStoreClient client, final String when)
    {
        final long revision = retry(() -> client.put("marker", when)).header().revision();
        cluster.awaitConverged(revision);

        return revision;
    }

    /**
     * What a read of each revision from {@code from} to {@code to} answers: the range of the prefix, one key, every
     * key, and the changes of spans starting at each revision.
     */
    private static Map<String, String> answers(final MetaStoreClient client, final long from, final long to)
    {
        final Map<String, String> answers = new LinkedHashMap<>();
        for (long revision = from; revision <= to; revision++)
        {
            final long at = revision;
            answers.put("prefix@" + at,
                describe(retry(() -> client.range(bytes("h/"), new RangeOptions().prefix().revision(at)))));
            answers.put("key@" + at,
                describe(retry(() -> client.range(bytes("h/a"), new RangeOptions().revision(at)))));
            answers.put("all@" + at,
                describe(retry(() -> client.range(bytes("\0"), new RangeOptions().fromKey().revision(at)))));
            if (at > from)
            {
                answers.put("changes[" + at + "," + to + "]",
                    describe(retry(() -> client.changes(bytes("h/"), new RangeOptions().prefix(), at, to))));
                answers.put("changes[" + at + "," + at + "]",
                    describe(retry(() -> client.changes(bytes("\0"), new RangeOptions().fromKey(), at, at))));
            }
        }

        return answers;
    }

    private static Map<String, String> answersFrom(final Map<String, String> answers, final long compactAt)
    {
        final Map<String, String> kept = new LinkedHashMap<>();
        answers.forEach((question, answer) ->
        {
            final int at = Math.max(question.indexOf('@'), question.indexOf('['));
            final int end = question.indexOf(',') > 0 ? question.indexOf(',') : question.length();
            final long revision = Long.parseLong(question.substring(at + 1, end));
            if (revision > compactAt || (revision == compactAt && question.indexOf('@') > 0))
            {
                kept.put(question, answer);
            }
        });

        return kept;
    }

    private static void assertCompacted(final MetaStoreClient client, final long compactAt)
    {
        final CompactedException range = assertThrows(CompactedException.class,
            () -> retry(() -> client.range(bytes("h/"), new RangeOptions().prefix().revision(compactAt - 1))));
        assertEquals(compactAt, range.compactRevision(), range.toString());
        final CompactedException changes = assertThrows(CompactedException.class,
            () -> retry(() -> client.changes(bytes("h/"), new RangeOptions().prefix(), compactAt, 0)));
        assertEquals(compactAt, changes.compactRevision(), changes.toString());
        final CompactedException compact = assertThrows(CompactedException.class,
            () -> retry(() -> client.compact(compactAt)));
        assertEquals(compactAt, compact.compactRevision(), compact.toString());
    }

    private static String describe(final RangeResult result)
    {
        return "count=" + result.count() + ", more=" + result.more() + ", kvs=" + describe(result.kvs());
    }

    private static String describe(final ChangesResult result)
    {
        final List<String> changes = new ArrayList<>();
        for (final Change change : result.changes())
        {
            changes.add(change.type() + "@" + change.timestampMs() + ":" + describe(List.of(change.kv())));
        }

        return "next=" + result.nextRevision() + ", changes=" + changes;
    }

    private static String describe(final List<KeyValue> kvs)
    {
        final List<String> described = new ArrayList<>();
        for (final KeyValue kv : kvs)
        {
            described.add(kv + "=" + kv.valueUtf8());
        }

        return described.toString();
    }

    /**
     * Stop whichever member leads, then start it again, until the member wanted leads: elections among equally
     * up-to-date members pick one at random.
     */
    private void moveLeadershipTo(final int memberId)
    {
        Tests.await("member " + memberId + " to lead", () ->
        {
            final int leader = cluster.awaitLeader();
            if (leader == memberId)
            {
                return true;
            }
            cluster.stopNode(leader);
            cluster.awaitLeader();
            cluster.startNode(leader);
            Tests.await("member " + leader + " to rejoin", () -> cluster.node(leader).isReady());
            return false;
        });
    }

    private void takeSnapshotOnEveryMember()
    {
        final long[] before = new long[3];
        for (int i = 0; i < 3; i++)
        {
            before[i] = cluster.node(i).snapshotCount();
        }
        final MetaStoreNode leader = cluster.node(cluster.awaitLeader());
        Tests.await("snapshot request accepted", leader::takeSnapshot);
        for (int i = 0; i < 3; i++)
        {
            final MetaStoreNode node = cluster.node(i);
            final long count = before[i];
            Tests.await("snapshot taken by member " + i, () -> node.snapshotCount() > count);
        }
    }

    /**
     * Retry what a leader change interrupted: the client follows the new leader, the caller sends again.
     */
}
