package io.metastore.node;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.SnapshotTakeResult;
import io.metastore.node.replay.RecordedLog;
import io.metastore.node.replay.StateReplay;
import io.metastore.node.service.ServiceSettings;
import io.metastore.test.Tests;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Log older than the newest snapshot, past the retention, is purged whole segments at a time; never what a restart
 * replays.
 */
@Timeout(180)
class LogRetentionTest
{
    private static final int TERM_BYTES = 64 * 1024;
    private static final int SEGMENT_BYTES = 64 * 1024;
    private static final long RETENTION_BYTES = 100 * 1024;
    private static final long RETENTION_PERIOD_MS = 500;
    /**
     * More than a round of {@link #writeLog}, about 420 KiB: the follower stopped a round before the snapshot is
     * within it. With less, the leader purges what the follower needs and it cannot catch up (Aeron's archive refuses
     * the replay: "requested replay start position ... is less than recording start position").
     */
    private static final long FOLLOWER_RETENTION_BYTES = 8 * SEGMENT_BYTES;

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
    void shouldPurgeSegmentsOlderThanTheRetentionBeforeTheNewestSnapshotAndStillRecover()
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx
            .snapshotLogBytes(0)
            .logTermLength(TERM_BYTES)
            .maxValueBytes(1024)
            .snapshotChunkBytes(4 * 1024)
            .logSegmentBytes(SEGMENT_BYTES)
            .logRetentionBytes(RETENTION_BYTES));
        final MetaStoreClient client = cluster.connectClient();
        final File archiveDir = new File(cluster.nodeDir(0), "archive");
        writeLog(client, 0);
        assertEquals(0, lowestSegmentBase(archiveDir), "nothing purged without a snapshot");

        final SnapshotTakeResult first = client.snapshotTake();
        writeLog(client, 1);
        final SnapshotTakeResult snapshot = client.snapshotTake();
        final long expectedStart = (snapshot.logPosition() - RETENTION_BYTES) / SEGMENT_BYTES * SEGMENT_BYTES;
        assertTrue(expectedStart > 0, "enough log for a purge: " + snapshot);
        Tests.await("the log recording to start at " + expectedStart,
            () -> cluster.node(0).logStartPosition() == expectedStart);

        final long lowest = lowestSegmentBase(archiveDir);
        assertEquals(expectedStart, lowest, "the lowest segment file left");
        assertTrue(lowest <= snapshot.logPosition() - RETENTION_BYTES, "kept the retention before the snapshot");
        assertTrue(lowest > first.logPosition() - RETENTION_BYTES, "purged past the older snapshot's retention");

        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();
        cluster.stopAll();
        cluster.startAll();
        final MetaStoreClient restarted = cluster.connectClient();
        assertEquals(revision, cluster.awaitConverged());
        assertEquals(digest, cluster.node(0).digest());
        assertEquals("value-1-99", restarted.get("key/1/99").kvs().get(0).valueUtf8());
        assertEquals(revision + 1, restarted.put("after", "restart").header().revision());
        assertEquals(lowest, lowestSegmentBase(archiveDir), "a restart purges nothing the snapshot still needs");

        // Without its store, the member rebuilds from the newest snapshot and the log after it: all still there.
        final long lastRevision = cluster.awaitConverged();
        final String lastDigest = cluster.node(0).digest();
        cluster.stopAll();
        IoUtil.delete(new File(cluster.nodeDir(0), "rocksdb"), false);
        cluster.startAll();
        cluster.connectClient();
        assertEquals(lastRevision, cluster.awaitConverged());
        assertTrue(cluster.node(0).service().rebuiltFromSnapshot(), "rebuilt from the snapshot");
        assertEquals(lastDigest, cluster.node(0).digest());

        assertReplaySaysWhatWasPurged(lowest);
    }

    /**
     * Offline, the log replays from the oldest snapshot still replayable to the member's digest; a point before what
     * is still recorded is refused, saying it was purged.
     *
     * @param purgedUpTo the least position the recording must start at by now.
     */
    private void assertReplaySaysWhatWasPurged(final long purgedUpTo)
    {
        final ServiceSettings settings = cluster.node(0).context().serviceSettings();
        final long revision = cluster.awaitConverged();
        final String digest = cluster.node(0).digest();
        cluster.stopAll();
        try (RecordedLog log = RecordedLog.open(cluster.nodeDir(0), 0, cluster.members()))
        {
            final long logStartPosition = log.startPosition();
            assertTrue(logStartPosition >= purgedUpTo, "log start " + logStartPosition);
            try (StateReplay replay = new StateReplay(new File(tempDir, "before-start"), settings, 0, null))
            {
                final IllegalArgumentException ex = assertThrows(
                    IllegalArgumentException.class, () -> replay.replay(log, logStartPosition - 1, (p) -> {}));
                assertTrue(ex.getMessage().contains("was purged"), ex.getMessage());
            }
            try (StateReplay replay = new StateReplay(new File(tempDir, "whole"), settings, 0, null))
            {
                replay.replay(log, Long.MAX_VALUE, (p) -> {});
                assertTrue(replay.snapshotPosition() >= logStartPosition, "from a snapshot still replayable");
                assertEquals(revision, replay.revision());
                assertEquals(digest, replay.digest());
            }
        }
    }

    @Test
    void shouldPurgeByAgeTheLogBeforeTheNewestSnapshotTakenAPeriodAgo()
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx
            .snapshotLogBytes(0)
            .logTermLength(TERM_BYTES)
            .maxValueBytes(1024)
            .snapshotChunkBytes(4 * 1024)
            .logSegmentBytes(SEGMENT_BYTES)
            .logRetentionPeriodMs(RETENTION_PERIOD_MS));
        final MetaStoreClient client = cluster.connectClient();
        final File archiveDir = new File(cluster.nodeDir(0), "archive");
        writeLog(client, 0);
        final SnapshotTakeResult older = client.snapshotTake();
        writeLog(client, 1);
        final SnapshotTakeResult newest = client.snapshotTake();
        final long olderSegment = older.logPosition() / SEGMENT_BYTES * SEGMENT_BYTES;
        assertTrue(olderSegment > 0, "enough log for a purge: " + older);

        // Once the older snapshot is a period old, the log before its segment is older than the period throughout.
        Tests.await("the log before the older snapshot's segment to be purged",
            () -> cluster.node(0).logStartPosition() >= olderSegment);
        final long start = cluster.node(0).logStartPosition();
        assertTrue(start <= newest.logPosition(), "never past the newest snapshot: " + start);
        assertTrue(lowestSegmentBase(archiveDir) >= olderSegment, "the segment files before it are gone");
        assertReplaySaysWhatWasPurged(olderSegment);
    }

    @Test
    void shouldLetAFollowerBehindWithinTheRetentionCatchUpFromTheLeaderAfterItPurged()
    {
        cluster = TestCluster.start(tempDir, 3, ctx -> ctx
            .snapshotLogBytes(0)
            .logTermLength(TERM_BYTES)
            .maxValueBytes(1024)
            .snapshotChunkBytes(4 * 1024)
            .logSegmentBytes(SEGMENT_BYTES)
            .logRetentionBytes(FOLLOWER_RETENTION_BYTES));
        final MetaStoreClient client = cluster.connectClient();
        writeLog(client, 0);
        final int leader = cluster.awaitLeader();
        final int follower = (leader + 1) % 3;
        cluster.awaitConverged();
        cluster.stopNode(follower);

        writeLog(client, 1);
        final SnapshotTakeResult snapshot = client.snapshotTake();
        final File leaderArchive = new File(cluster.nodeDir(leader), "archive");
        Tests.await("the leader to purge its log", () -> lowestSegmentBase(leaderArchive) > 0);
        assertTrue(lowestSegmentBase(leaderArchive) <= snapshot.logPosition() - FOLLOWER_RETENTION_BYTES);

        cluster.startNode(follower);
        final long revision = cluster.awaitConverged();
        assertEquals("value-1-99", client.get("key/1/99").kvs().get(0).valueUtf8());
        assertEquals(revision + 1, client.put("after", "catch-up").header().revision());
        cluster.awaitConverged(revision + 1);
    }

    private static void writeLog(final MetaStoreClient client, final int round)
    {
        final String padding = "p".repeat(900);
        for (int i = 0; i < 400; i++)
        {
            client.put("key/" + round + "/" + (i % 100), padding);
        }
        for (int i = 0; i < 100; i++)
        {
            client.put("key/" + round + "/" + i, "value-" + round + "-" + i);
        }
    }

    /**
     * @return the base position of the lowest segment file of the log's recording: segment files are named
     *         {@code <recordingId>-<segmentBasePosition>.rec}, and the log is the recording reaching furthest (the
     *         snapshots are recordings of their own, each from 0).
     */
    private static long lowestSegmentBase(final File archiveDir)
    {
        final File[] segments = archiveDir.listFiles((dir, name) -> name.endsWith(".rec"));
        assertTrue(null != segments && segments.length > 0, "segment files in " + archiveDir);
        final Map<Long, List<Long>> basesByRecording = new TreeMap<>();
        for (final File segment : segments)
        {
            final String name = segment.getName();
            final int dash = name.indexOf('-');
            basesByRecording.computeIfAbsent(Long.parseLong(name.substring(0, dash)), id -> new ArrayList<>())
                .add(Long.parseLong(name.substring(dash + 1, name.length() - ".rec".length())));
        }
        final List<Long> log = basesByRecording.values().stream()
            .max(Comparator.comparingLong(bases -> Collections.max(bases)))
            .orElseThrow();
        return Collections.min(log);
    }
}
