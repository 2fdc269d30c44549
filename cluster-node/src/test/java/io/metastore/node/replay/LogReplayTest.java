package io.metastore.node.replay;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.Op;
import io.metastore.client.PutOptions;
import io.metastore.client.Txn;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.TestCluster;
import io.metastore.node.service.ServiceSettings;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log replayed offline through the node's own service rebuilds exactly the state the member held: the digest of a
 * replay to position P equals the digest the live member had at P, for positions before and after a snapshot (the
 * replay then starts from it), a lease's expiry, a compaction and a restart's new term. A damaged recording is
 * reported with its position, after every entry before it.
 */
@Timeout(120)
class LogReplayTest
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

    private record Checkpoint(long position, long revision, String digest)
    {
    }

    @Test
    void shouldRebuildTheDigestTheMemberHadAtEveryRecordedPosition()
    {
        cluster = TestCluster.start(new File(tempDir, "data"), 1);
        cluster.awaitLeader();
        final List<Checkpoint> checkpoints = new ArrayList<>();
        final MetaStoreClient client = cluster.connectClient();
        final ServiceSettings settings = cluster.node(0).context().serviceSettings();

        client.put(bytes("a"), bytes("1"));
        client.put(bytes("b"), bytes("hello"));
        checkpoints.add(checkpoint(cluster.node(0)));
        client.delete(bytes("b"));
        final long lease = client.leaseGrant(1).id();
        client.put(bytes("l"), bytes("x"), new PutOptions().lease(lease));
        client.txn(Txn.txn().then(Op.put(bytes("c"), bytes("3")), Op.put(bytes("d"), bytes("4"))));
        Tests.await("the lease's key to expire", () -> client.get(bytes("l")).kvs().isEmpty());
        checkpoints.add(checkpoint(cluster.node(0)));

        final long snapshots = cluster.node(0).snapshotCount();
        Tests.await("a snapshot to be asked for", () -> cluster.node(0).takeSnapshot());
        Tests.await("the snapshot to be taken", () -> cluster.node(0).snapshotCount() > snapshots);
        client.compact(3);
        client.put(bytes("a"), bytes("2"));
        checkpoints.add(checkpoint(cluster.node(0)));

        cluster.stopNode(0);
        cluster.startNode(0);
        cluster.awaitLeader();
        TestCluster.retry(() -> client.put(bytes("e"), bytes("after a new term")));
        checkpoints.add(checkpoint(cluster.node(0)));
        cluster.stopNode(0);

        try (RecordedLog log = RecordedLog.open(cluster.nodeDir(0), 0, cluster.members()))
        {
            assertEquals(1, log.snapshots().size(), "snapshots recorded");
            assertEquals(2, log.terms().size(), "terms recorded");
            final long snapshotPosition = log.snapshots().get(0).logPosition;
            for (int i = 0; i < checkpoints.size(); i++)
            {
                final Checkpoint checkpoint = checkpoints.get(i);
                try (StateReplay replay = new StateReplay(new File(tempDir, "replay-" + i), settings, 0, null))
                {
                    final long reached = replay.replay(log, checkpoint.position(), (position) -> {});
                    assertEquals(checkpoint.position(), reached, "position of checkpoint " + i);
                    assertEquals(checkpoint.revision(), replay.revision(), "revision of checkpoint " + i);
                    assertEquals(checkpoint.digest(), replay.digest(), "digest of checkpoint " + i);
                    assertEquals(checkpoint.position() >= snapshotPosition ? snapshotPosition : -1,
                        replay.snapshotPosition(), "snapshot replay " + i + " started from");
                }
            }

            // A position inside an entry: the entry is not applied, though the archive replays its frame whole.
            final Checkpoint first = checkpoints.get(0);
            try (StateReplay replay = new StateReplay(new File(tempDir, "inside"), settings, 0, null))
            {
                final long reached = replay.replay(log, first.position() - 1, (position) -> {});
                assertTrue(reached < first.position(), "reached " + reached);
                assertEquals(first.revision() - 1, replay.revision());
            }
        }
    }

    @Test
    void shouldStopAtARevisionAndReportADamagedRecordingWithItsPosition() throws Exception
    {
        cluster = TestCluster.start(new File(tempDir, "data"), 1);
        cluster.awaitLeader();
        final MetaStoreClient client = cluster.connectClient();
        final ServiceSettings settings = cluster.node(0).context().serviceSettings();
        for (int i = 1; i <= 5; i++)
        {
            client.put(bytes("k" + i), bytes("v" + i));
        }
        final Checkpoint atEnd = checkpoint(cluster.node(0));
        cluster.stopNode(0);

        final long secondPutEnd = replayTo(2, settings, "to-revision-2");
        final long thirdPutEnd = replayTo(3, settings, "to-revision-3");
        assertTrue(thirdPutEnd > secondPutEnd);

        // Flip a byte in the body of the third put's frame, which starts where the second put's ends: its CRC no
        // longer matches.
        final File segment = new File(new File(cluster.nodeDir(0), "archive"), "0-0.rec");
        final long damagedAt = secondPutEnd + 40;
        try (RandomAccessFile file = new RandomAccessFile(segment, "rw"))
        {
            file.seek(damagedAt);
            final int b = file.read();
            file.seek(damagedAt);
            file.write(b ^ 0xFF);
        }

        try (RecordedLog log = RecordedLog.open(cluster.nodeDir(0), 0, cluster.members());
            StateReplay replay = new StateReplay(new File(tempDir, "damaged"), settings, 0, null))
        {
            final DamagedLogException ex = assertThrows(
                DamagedLogException.class, () -> replay.replay(log, Long.MAX_VALUE, (position) -> {}));
            assertEquals(secondPutEnd, ex.position(), ex.getMessage());
            assertTrue(ex.getMessage().contains("CRC"), ex.getMessage());
            assertEquals(2, replay.revision(), "every entry before the damage is applied");
            assertNotEquals(atEnd.digest(), replay.digest());
        }
    }

    private long replayTo(final long revision, final ServiceSettings settings, final String dirName)
    {
        try (RecordedLog log = RecordedLog.open(cluster.nodeDir(0), 0, cluster.members());
            StateReplay replay = new StateReplay(new File(tempDir, dirName), settings, 0, null))
        {
            final long position = replay.toRevision(revision).replay(log, Long.MAX_VALUE, (p) -> {});
            assertEquals(revision, replay.revision());
            assertTrue(replay.entries() > 0);
            return position;
        }
    }

    /**
     * The member's committed position and digest, once they hold still: read twice around the digest.
     */
    private static Checkpoint checkpoint(final MetaStoreNode node)
    {
        final AtomicReference<Checkpoint> checkpoint = new AtomicReference<>();
        Tests.await("a committed state that holds still", () ->
        {
            final long before = node.service().committedPosition();
            final String digest = node.digest();
            final long revision = node.service().committedRevision();
            final String again = node.digest();
            final long after = node.service().committedPosition();
            if (before == after && digest.equals(again))
            {
                checkpoint.set(new Checkpoint(after, revision, digest));
                return true;
            }
            return false;
        });

        return checkpoint.get();
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
