package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.RangeOptions;
import io.metastore.node.TestCluster;
import io.metastore.node.log.LogTailCheck;
import io.metastore.node.log.SegmentScanner;
import io.metastore.node.log.SegmentTail;
import io.metastore.node.log.TornLogException;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A follower of a three-node cluster stops without stopping its log recording, as a kill or a full disk leaves it,
 * and its last log frame is torn at a page boundary: it refuses to start, {@code metastore repair} ends its log at
 * the last whole frame, and it rejoins, fetches the rest from the leader and converges. {@code repair --discard}
 * makes a follower rejoin empty.
 */
@Timeout(240)
class RepairEndToEndTest
{
    @TempDir
    File tempDir;

    private TestCluster cluster;
    private final List<String> acknowledged = new ArrayList<>();
    private long revision;

    @AfterEach
    void after()
    {
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldRefuseTornFollowerThenRepairItSoItConvergesWithEveryAcknowledgedKey() throws IOException
    {
        cluster = TestCluster.start(tempDir, 3);
        final int leader = cluster.awaitLeader();
        final int follower = (leader + 1) % 3;
        putAll("before-", 100, 64);
        final SegmentTail tail = putUntilLastFrameStraddlesAPage(leader, follower);

        stopWithoutStoppingTheRecording(follower);
        final File archiveDir = new File(cluster.nodeDir(follower), LogTailCheck.ARCHIVE_DIR_NAME);
        assertEquals(List.of(tail.toString()), tailsOf(archiveDir), "the log recording is left unstopped");
        final int tornPage = tear(tail);

        final TornLogException refusal = assertThrows(TornLogException.class, () -> cluster.startNode(follower));
        final String message = refusal.getMessage();
        assertTrue(message.contains("recording " + tail.recordingId()), message);
        assertTrue(message.contains(tail.segmentFile().getAbsolutePath()), message);
        assertTrue(message.contains("log position " + tail.framePosition()), message);
        assertTrue(message.contains("page at file offset " + tornPage), message);
        assertTrue(message.contains("a full disk or a crash"), message);

        putAll("while-down-", 50, 64);
        final CliRun repair = CliRun.execute(new byte[0], repairCommand(message));
        assertEquals(0, repair.exitCode(), repair::toString);
        assertTrue(repair.out().contains("now ends at log position " + tail.framePosition()), repair::toString);
        assertEquals(List.of(), LogTailCheck.damagedTails(archiveDir));

        cluster.startNode(follower);
        putAll("after-", 50, 64);
        cluster.awaitConverged(revision);
        assertEquals(acknowledged.stream().sorted().toList(), allKeys(), "every acknowledged key, once");
        cluster.assertNoErrors();
    }

    @Test
    void shouldDiscardFollowerSoItRejoinsEmptyAndConverges() throws IOException
    {
        cluster = TestCluster.start(tempDir, 3);
        final int leader = cluster.awaitLeader();
        final int follower = (leader + 2) % 3;
        putAll("before-", 100, 256);
        cluster.awaitConverged(revision);
        cluster.stopNode(follower);
        final File nodeDir = cluster.nodeDir(follower);
        final File keep = new File(nodeDir, "operator-notes.txt");
        Files.writeString(keep.toPath(), "not MetaStore's");
        final String[] discard = {
            "repair", "--discard", "--member-id", String.valueOf(follower), "--members", cluster.members(),
            "--data-dir", tempDir.getAbsolutePath() };

        final CliRun declined = CliRun.execute("no\n".getBytes(StandardCharsets.UTF_8), discard);
        assertEquals(1, declined.exitCode(), declined::toString);
        assertTrue(new File(nodeDir, "rocksdb").isDirectory(), "nothing removed when not confirmed");

        final CliRun confirmed = CliRun.execute("yes\n".getBytes(StandardCharsets.UTF_8), discard);
        assertEquals(0, confirmed.exitCode(), confirmed::toString);
        for (final String name : List.of("archive", "cluster", "rocksdb"))
        {
            assertFalse(new File(nodeDir, name).exists(), name + " removed");
        }
        assertTrue(keep.isFile(), "other files stay");

        putAll("while-down-", 50, 256);
        cluster.startNode(follower);
        cluster.awaitConverged(revision);
        assertEquals(acknowledged.stream().sorted().toList(), allKeys());
        cluster.assertNoErrors();
    }

    private void putAll(final String prefix, final int count, final int valueLength)
    {
        final MetaStoreClient client = cluster.client();
        final byte[] value = new byte[valueLength];
        Arrays.fill(value, (byte)'v');
        for (int i = 0; i < count; i++)
        {
            final String key = prefix + i;
            revision = client.put(key.getBytes(StandardCharsets.UTF_8), value).header().revision();
            acknowledged.add(key);
        }
    }

    /**
     * Put single-frame requests of varied size until the follower's last log frame crosses a page boundary, so that
     * a write cut short at that boundary tears it.
     */
    private SegmentTail putUntilLastFrameStraddlesAPage(final int leader, final int follower)
    {
        final File leaderArchive = new File(cluster.nodeDir(leader), LogTailCheck.ARCHIVE_DIR_NAME);
        final File followerArchive = new File(cluster.nodeDir(follower), LogTailCheck.ARCHIVE_DIR_NAME);
        for (int i = 0; i < 64; i++)
        {
            putAll("filler-" + i + "-", 1, 600 + 37 * i);
            cluster.awaitConverged(revision);
            final int leaderEnd = onlyTail(leaderArchive).endOffset();
            Tests.await("the follower to record the log up to " + leaderEnd,
                () -> onlyTail(followerArchive).endOffset() == leaderEnd);

            final SegmentTail tail = onlyTail(followerArchive);
            final int frameEnd = tail.frameOffset() + tail.frameLength() - 1;
            if (tail.frameOffset() / SegmentScanner.PAGE_SIZE != frameEnd / SegmentScanner.PAGE_SIZE)
            {
                return tail;
            }
        }

        return fail("no log frame crossed a page boundary");
    }

    /**
     * What a kill leaves in the catalog: the log recording with no stop position. The catalog is read while the
     * node runs, then put back after the node has stopped and recorded the stop.
     */
    private void stopWithoutStoppingTheRecording(final int memberId) throws IOException
    {
        final File catalog = new File(new File(cluster.nodeDir(memberId), LogTailCheck.ARCHIVE_DIR_NAME),
            "archive.catalog");
        final byte[] whileRunning = Files.readAllBytes(catalog.toPath());
        cluster.stopNode(memberId);
        Files.write(catalog.toPath(), whileRunning);
    }

    /**
     * A write of the last frame cut short at its first page boundary: the pages after it never reached the file.
     *
     * @return the file offset of the first zeroed page.
     */
    private static int tear(final SegmentTail tail) throws IOException
    {
        final int pageBoundary = (tail.frameOffset() / SegmentScanner.PAGE_SIZE + 1) * SegmentScanner.PAGE_SIZE;
        final int frameEnd = tail.endOffset();
        try (FileChannel channel = FileChannel.open(tail.segmentFile().toPath(), StandardOpenOption.WRITE))
        {
            final ByteBuffer zeros = ByteBuffer.allocate(frameEnd - pageBoundary);
            int position = pageBoundary;
            while (zeros.hasRemaining())
            {
                position += channel.write(zeros, position);
            }
        }

        return pageBoundary;
    }

    private static SegmentTail onlyTail(final File archiveDir)
    {
        final List<SegmentTail> tails = LogTailCheck.unstoppedTails(archiveDir);
        assertEquals(1, tails.size(), tails::toString);

        return tails.get(0);
    }

    private static List<String> tailsOf(final File archiveDir)
    {
        return LogTailCheck.unstoppedTails(archiveDir).stream().map(SegmentTail::toString).toList();
    }

    /**
     * The command the refusal prints, as arguments.
     */
    private static String[] repairCommand(final String message)
    {
        for (final String line : message.split("\n"))
        {
            final String trimmed = line.trim();
            if (trimmed.startsWith("metastore repair "))
            {
                final String[] words = trimmed.split(" ");
                return Arrays.copyOfRange(words, 1, words.length);
            }
        }

        return fail("no repair command in: " + message);
    }

    private List<String> allKeys()
    {
        return cluster.client().range("a".getBytes(StandardCharsets.UTF_8), new RangeOptions().fromKey().keysOnly(true))
            .kvs().stream().map(kv -> kv.keyUtf8()).sorted().toList();
    }
}
