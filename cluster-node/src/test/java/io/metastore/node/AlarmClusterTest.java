package io.metastore.node;

import io.metastore.client.AlarmMember;
import io.metastore.client.Compare;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.NoSpaceException;
import io.metastore.client.Op;
import io.metastore.client.Txn;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.ErrorCode;
import io.metastore.test.Tests;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd's NOSPACE alarm on three members: raised through the log, refusing writes on the leader while reads and
 * deletes go on, the same on every member, kept across a snapshot and a restart, and cleared.
 */
@Timeout(180)
class AlarmClusterTest
{
    private static final List<AlarmMember> NO_SPACE_ON_1 = List.of(new AlarmMember(1, AlarmType.NOSPACE));

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
    void shouldRefuseWritesWhileNoSpaceIsActiveOnEveryMemberAcrossSnapshotAndRestart()
    {
        cluster = TestCluster.start(tempDir, 3);
        final MetaStoreClient client = cluster.connectClient();
        client.put("a", "1");
        client.put("b", "2");
        final long lease = client.leaseGrant(60).id();

        assertEquals(NO_SPACE_ON_1, client.alarmActivate(1, AlarmType.NOSPACE).alarms());
        assertEquals(2, client.get("a").header().revision(), "an alarm consumes no revision");

        assertWritesRefused(client);
        assertEquals("1", client.get("a").kvs().get(0).valueUtf8());
        assertEquals(1, client.delete("b").deleted());
        assertTrue(client.txn(Txn.txn().when(Compare.version("a", CompareResult.GREATER, 0)).then(Op.get("a")))
            .succeeded());
        client.leaseKeepAliveOnce(lease);
        assertEquals(NO_SPACE_ON_1, client.alarmList().alarms());

        assertEquals(3, cluster.awaitConverged());
        assertDigestsEqual();

        takeSnapshotOnEveryMember();
        final File[] rocksDirs = new File[3];
        for (int i = 0; i < 3; i++)
        {
            rocksDirs[i] = new File(cluster.node(i).nodeDir(), "rocksdb");
        }
        cluster.stopAll();
        for (final File rocksDir : rocksDirs)
        {
            IoUtil.delete(rocksDir, false);
        }
        cluster.startAll();
        final MetaStoreClient restarted = cluster.connectClient();
        for (int i = 0; i < 3; i++)
        {
            assertTrue(cluster.node(i).service().rebuiltFromSnapshot(), "member " + i + " loaded the snapshot");
        }

        assertEquals(NO_SPACE_ON_1, restarted.alarmList().alarms());
        assertWritesRefused(restarted);

        assertEquals(NO_SPACE_ON_1, restarted.alarmDisarm().alarms());
        assertEquals(List.of(), restarted.alarmList().alarms());
        assertEquals(4, restarted.put("c", "3").header().revision());
        assertEquals(5, restarted.txn(Txn.txn().then(Op.put("d", "4"))).header().revision());
        restarted.leaseGrant(60);
        assertEquals(5, cluster.awaitConverged());
        assertDigestsEqual();
        cluster.assertNoErrors();
    }

    private void assertWritesRefused(final MetaStoreClient client)
    {
        assertNoSpace(() -> client.put("c", "3"));
        // As etcd: refused for the put in the branch that would not run.
        assertNoSpace(() -> client.txn(Txn.txn().when(Compare.version("a", CompareResult.GREATER, 0))
            .then(Op.get("a")).otherwise(Op.put("c", "3"))));
        assertNoSpace(() -> client.leaseGrant(60));
        assertEquals(0, client.get("c").count(), "a refused write changes nothing");
    }

    private static void assertNoSpace(final Executable write)
    {
        final MetaStoreException ex = assertThrows(NoSpaceException.class, write);
        assertEquals(ErrorCode.NO_SPACE, ex.code());
        assertEquals("NO_SPACE: etcdserver: mvcc: database space exceeded", ex.getMessage());
        assertFalse(ex.isRetryable());
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
     * Alarms, lease grants and keep-alives move no revision, so converging on the revision does not mean every
     * member has applied them yet: wait for the digests too.
     */
    private void assertDigestsEqual()
    {
        Tests.await("equal digests on every member", () ->
            cluster.node(0).digest().equals(cluster.node(1).digest()) &&
            cluster.node(0).digest().equals(cluster.node(2).digest()));
    }
}
