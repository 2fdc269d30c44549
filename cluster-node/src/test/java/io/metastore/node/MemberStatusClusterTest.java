package io.metastore.node;

import io.metastore.client.CompactedException;
import io.metastore.client.HashKvResult;
import io.metastore.client.MemberStatus;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.MetaStoreTimeoutException;
import io.metastore.codecs.ErrorCode;
import io.metastore.node.storage.RocksDbStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static io.metastore.test.Tests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every member's status and history hash, asked of its read port: the leader named alike by every member before and
 * after a leader change, hashes equal on equal state and different on a member whose store was altered behind the
 * cluster's back, and bad questions refused with a code.
 */
@Timeout(120)
class MemberStatusClusterTest
{
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
    void shouldNameTheLeaderOnEveryMemberBeforeAndAfterALeaderChange()
    {
        cluster = TestCluster.start(tempDir, 3);
        final int leader = cluster.awaitLeader();
        final MetaStoreClient client = client();
        TestCluster.retry(() -> client.put("k", "v"));
        final long revision = cluster.awaitConverged();

        final long term = awaitStatusNaming(client, leader, new int[]{ 0, 1, 2 });
        for (int i = 0; i < 3; i++)
        {
            final MemberStatus status = client.memberStatus(i);
            assertEquals(i, status.memberId());
            assertEquals(i == leader, status.isLeader(), "member " + i + " is " + status.roleName());
            assertEquals(revision, status.appliedRevision());
            assertTrue(status.appliedPosition() > 0 && status.commitPosition() >= status.appliedPosition(),
                "commit " + status.commitPosition() + ", applied " + status.appliedPosition());
            assertTrue(status.storeBytes() > 0, "store size " + status.storeBytes());
            assertTrue(status.logStartPosition() >= 0 && status.logBytes() > 0,
                "log from " + status.logStartPosition() + ", " + status.logBytes() + " bytes");
            assertEquals(0, status.errorCount());
            assertFalse(status.version().isEmpty());
        }

        cluster.stopNode(leader);
        final int newLeader = cluster.awaitLeader();
        assertNotEquals(leader, newLeader);
        TestCluster.retry(() -> client.put("k", "v2"));
        final int[] running = leader == 0 ? new int[]{ 1, 2 } : leader == 1 ? new int[]{ 0, 2 } : new int[]{ 0, 1 };
        final long newTerm = awaitStatusNaming(client, newLeader, running);
        assertTrue(newTerm > term, "term " + newTerm + " after " + term);
        assertEquals(newLeader, client.memberStatus(newLeader).memberId());
        assertTrue(client.memberStatus(newLeader).isLeader());

        final MetaStoreTimeoutException stopped =
            assertThrows(MetaStoreTimeoutException.class, () -> client.memberStatus(leader));
        assertTrue(stopped.getMessage().contains("no response"), stopped.getMessage());
    }

    @Test
    void shouldAgreeOnHashesAndTellAMemberWhoseStoreWasAlteredBehindTheClustersBack()
    {
        cluster = TestCluster.start(tempDir, 3);
        cluster.awaitLeader();
        final MetaStoreClient client = client();
        for (int i = 0; i < 50; i++)
        {
            TestCluster.retry(() -> client.put("h/" + (System.nanoTime() % 7), "v"));
        }
        final long past = cluster.awaitConverged();
        final long pastHash = assertHashesEqual(client, 0, past);

        for (int i = 0; i < 20; i++)
        {
            TestCluster.retry(() -> client.put("h/more", "v"));
        }
        final long current = cluster.awaitConverged();
        assertTrue(current > past);
        assertEquals(pastHash, assertHashesEqual(client, past, past), "the past revision hashes as it did");
        assertNotEquals(pastHash, assertHashesEqual(client, 0, current));

        // Compaction changes what is kept, alike on every member, whatever each one's removal has reached.
        client.compact(past - 10);
        // A compaction moves no revision, so converged revisions do not say every member has applied it: ask each.
        await("every member to apply the compaction", () ->
        {
            for (int i = 0; i < 3; i++)
            {
                if (client.memberStatus(i).compactRevision() != past - 10)
                {
                    return false;
                }
            }
            return true;
        });
        final long currentHash = assertHashesEqual(client, 0, current);
        assertNotEquals(pastHash, currentHash);

        cluster.stopNode(2);
        try (RocksDbStorage storage = RocksDbStorage.open(new File(cluster.nodeDir(2), "rocksdb")))
        {
            // A change the log never held: the store says it is at the same position and revision as before.
            storage.putHistory(bytes("h/more"), storage.appliedRevision(), 1000, 0, storage.get(bytes("h/more")));
            storage.commit(storage.appliedPosition(), storage.appliedRevision());
        }
        cluster.startNode(2);
        cluster.awaitLeader();
        await("member 2 to answer", () -> client.hashKvAsync(2, 0).handle((result, error) -> null == error).join());

        final HashKvResult altered = client.hashKv(2, 0);
        assertEquals(current, altered.hashRevision());
        assertNotEquals(currentHash, altered.hash(), "member 2's altered history");
        assertEquals(currentHash, client.hashKv(0, 0).hash());
        assertEquals(currentHash, client.hashKv(1, 0).hash());
    }

    @Test
    void shouldRefuseBadQuestionsWithACode()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        for (int i = 0; i < 10; i++)
        {
            client.put("b/" + i, "v");
        }
        final long current = client.get("b/0").header().revision();
        client.compact(current - 3);

        assertEquals(ErrorCode.FUTURE_REVISION,
            assertThrows(MetaStoreException.class, () -> client.hashKv(0, current + 100)).code());
        final CompactedException compacted =
            assertThrows(CompactedException.class, () -> client.hashKv(0, current - 5));
        assertEquals(current - 3, compacted.compactRevision());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(MetaStoreException.class, () -> client.hashKv(0, -1)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(MetaStoreException.class, () -> client.memberStatus(7)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
            assertThrows(MetaStoreException.class, () -> client.hashKv(7, 0)).code());

        // The member still answers, at the compacted revision itself too.
        assertEquals(current - 3, client.hashKv(0, current - 3).hashRevision());
        assertEquals(current, client.hashKv(0, 0).hashRevision());
        assertTrue(client.memberStatus(0).isLeader());
    }

    private MetaStoreClient client()
    {
        final MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .requestTimeout(3, TimeUnit.SECONDS));
        cluster.adopt(client);
        return client;
    }

    /**
     * Wait until every member named says the leader is the one given, and all are in one term; return it.
     */
    private static long awaitStatusNaming(final MetaStoreClient client, final int leader, final int[] members)
    {
        final long[] term = { -1 };
        await("members " + java.util.Arrays.toString(members) + " to name leader " + leader, () ->
        {
            long seenTerm = -1;
            for (final int member : members)
            {
                final MemberStatus status = client.memberStatus(member);
                if (status.leaderMemberId() != leader || (member == leader) != status.isLeader() ||
                    (seenTerm >= 0 && seenTerm != status.header().leadershipTermId()))
                {
                    return false;
                }
                seenTerm = status.header().leadershipTermId();
            }
            term[0] = seenTerm;
            return true;
        });

        return term[0];
    }

    /**
     * Require every member's hash at a revision to be equal, of that revision; return it.
     */
    private static long assertHashesEqual(final MetaStoreClient client, final long revision, final long expected)
    {
        final HashKvResult first = client.hashKv(0, revision);
        assertEquals(expected, first.hashRevision());
        for (int i = 1; i < 3; i++)
        {
            final HashKvResult other = client.hashKv(i, revision);
            assertEquals(expected, other.hashRevision(), "member " + i);
            assertEquals(first.hash(), other.hash(), "hash of member " + i + " at " + revision);
            assertEquals(first.compactRevision(), other.compactRevision(), "member " + i);
        }

        return first.hash();
    }
}
