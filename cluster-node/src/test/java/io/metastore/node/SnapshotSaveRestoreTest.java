package io.metastore.node;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.client.SnapshotTakeResult;
import io.metastore.node.snapshot.SnapshotLoader;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import io.metastore.protocol.SnapshotFile;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot saved from a running member, restored into a new cluster: the same state at the same revision.
 */
@Timeout(180)
class SnapshotSaveRestoreTest
{
    @TempDir
    File tempDir;

    private final List<TestCluster> clusters = new ArrayList<>();

    @AfterEach
    void after()
    {
        for (final TestCluster cluster : clusters)
        {
            cluster.close();
        }
    }

    @Test
    void shouldSaveFromASingleMemberAndRestoreTheSameStateAtTheSameRevision() throws IOException
    {
        final TestCluster original = start(new File(tempDir, "original"), 1);
        final MetaStoreClient client = original.connectClient();
        final long compactedAt = writeState(client);
        final long revision = original.awaitConverged();
        final String digest = original.node(0).digest();
        final List<String> answers = answers(client, compactedAt, revision);

        final Path file = tempDir.toPath().resolve("one.snapshot");
        final SnapshotFile.Header saved = client.snapshotSave(0, file);

        assertEquals(revision, saved.revision());
        assertEquals(original.node(0).service().committedRevision(), saved.revision());
        assertTrue(saved.logPosition() > 0, "log position " + saved.logPosition());
        assertEquals(compactedAt, saved.compactRevision());
        assertEquals(saved, SnapshotFile.verify(file));
        assertEquals(Files.size(file), saved.fileBytes());

        final File restoredDir = new File(tempDir, "restored");
        assertEquals(digest, restore(file, new File(restoredDir, "node-0")));

        final TestCluster restored = start(restoredDir, 1);
        final MetaStoreClient restoredClient = restored.connectClient();
        assertEquals(revision, restored.awaitConverged());
        assertEquals(digest, restored.node(0).digest());
        assertEquals(answers, answers(restoredClient, compactedAt, revision));
        assertEquals(revision + 1, restoredClient.put("after", "restore").header().revision());
    }

    @Test
    void shouldSaveFromAFollowerAndRestoreIntoThreeMembers() throws IOException
    {
        final TestCluster original = start(new File(tempDir, "original"), 3);
        final MetaStoreClient client = original.connectClient();
        final long compactedAt = writeState(client);
        final long revision = original.awaitConverged();
        final String digest = original.node(0).digest();
        final List<String> answers = answers(client, compactedAt, revision);
        final int follower = (original.awaitLeader() + 1) % 3;

        final Path file = tempDir.toPath().resolve("follower.snapshot");
        final SnapshotFile.Header saved = client.snapshotSave(follower, file);
        assertEquals(follower, saved.memberId());
        assertEquals(revision, saved.revision());

        final File restoredDir = new File(tempDir, "restored");
        for (int member = 0; member < 3; member++)
        {
            assertEquals(digest, restore(file, new File(restoredDir, "node-" + member)));
        }
        final TestCluster restored = start(restoredDir, 3);
        final MetaStoreClient restoredClient = restored.connectClient();
        restored.awaitConverged(revision);
        assertEquals(digest, restored.node(0).digest());
        assertEquals(answers, answers(restoredClient, compactedAt, revision));
        assertEquals(revision + 1, restoredClient.put("after", "restore").header().revision());
        restored.awaitConverged(revision + 1);
    }

    @Test
    void shouldRefuseACorruptedTruncatedOrForeignFileWithAClearError() throws IOException
    {
        final TestCluster original = start(new File(tempDir, "original"), 1);
        final MetaStoreClient client = original.connectClient();
        writeState(client);
        final Path file = tempDir.toPath().resolve("good.snapshot");
        client.snapshotSave(0, file);

        final Path corrupted = copy(file, "corrupted.snapshot");
        try (RandomAccessFile raf = new RandomAccessFile(corrupted.toFile(), "rw"))
        {
            final long at = raf.length() / 2;
            raf.seek(at);
            final int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x5A);
        }
        assertRefused(corrupted, "corrupted");

        final Path truncated = copy(file, "truncated.snapshot");
        try (RandomAccessFile raf = new RandomAccessFile(truncated.toFile(), "rw"))
        {
            raf.setLength(raf.length() - 100);
        }
        assertRefused(truncated, "truncated");

        final Path foreign = tempDir.toPath().resolve("foreign.snapshot");
        Files.writeString(foreign, "this is not a snapshot, only long enough to hold a header of sixty-four bytes");
        assertRefused(foreign, "not a MetaStore snapshot");

        final Path existing = copy(file, "existing.snapshot");
        final MetaStoreException exists =
            assertThrows(MetaStoreException.class, () -> client.snapshotSave(0, existing));
        assertTrue(exists.getMessage().contains("cannot create"), exists.getMessage());
        assertFalse(Files.exists(tempDir.toPath().resolve("restored-corrupted")));
    }

    @Test
    void shouldTakeASnapshotOnRequestAndMoveTheSnapshotPosition()
    {
        final TestCluster cluster = start(new File(tempDir, "taken"), 3);
        final MetaStoreClient client = cluster.connectClient();
        client.put("a", "1");
        final int leader = cluster.awaitLeader();
        final long before = cluster.node(leader).snapshotCount();

        final SnapshotTakeResult first = client.snapshotTake();
        assertEquals(leader, first.memberId());
        assertTrue(first.logPosition() > 0, "position " + first.logPosition());
        assertEquals(before + 1, first.snapshots());
        assertEquals(first.logPosition(), cluster.node(leader).service().snapshotPosition());

        client.put("b", "2");
        final SnapshotTakeResult second = client.snapshotTake();
        assertTrue(second.logPosition() > first.logPosition(), second + " after " + first);
        assertEquals(before + 2, second.snapshots());
        cluster.awaitConverged();
        for (int member = 0; member < 3; member++)
        {
            final MetaStoreNode node = cluster.node(member);
            Tests.await("member " + member + " at the second snapshot",
                () -> node.service().snapshotPosition() == second.logPosition());
        }
    }

    private TestCluster start(final File dataDir, final int size)
    {
        final TestCluster cluster = TestCluster.start(dataDir, size, ctx -> ctx.snapshotLogBytes(0));
        clusters.add(cluster);
        return cluster;
    }

    private static String restore(final Path file, final File nodeDir)
    {
        try (RocksDbStorage storage = RocksDbStorage.open(new File(nodeDir, "rocksdb")))
        {
            final SnapshotFile.Header header = SnapshotLoader.restore(storage, file);
            assertEquals(header.revision(), storage.appliedRevision());
            assertEquals(0, storage.appliedPosition());
            return StateDigest.of(storage);
        }
    }

    private void assertRefused(final Path file, final String reason)
    {
        final SnapshotFile.InvalidSnapshotFileException verify =
            assertThrows(SnapshotFile.InvalidSnapshotFileException.class, () -> SnapshotFile.verify(file));
        assertTrue(verify.getMessage().contains(reason), verify.getMessage());
        final File nodeDir = new File(tempDir, "restored-" + file.getFileName());
        final SnapshotFile.InvalidSnapshotFileException restore =
            assertThrows(SnapshotFile.InvalidSnapshotFileException.class, () -> restore(file, nodeDir));
        assertEquals(verify.getMessage(), restore.getMessage());
    }

    private Path copy(final Path file, final String name) throws IOException
    {
        final Path copy = tempDir.toPath().resolve(name);
        Files.copy(file, copy);
        return copy;
    }

    /**
     * Puts, overwrites, deletes and a compaction, so the history saved holds changes compaction hides.
     *
     * @return the compacted revision.
     */
    private static long writeState(final MetaStoreClient client)
    {
        for (int i = 0; i < 40; i++)
        {
            client.put("key/" + i, "v1-" + i);
        }
        for (int i = 0; i < 40; i += 3)
        {
            client.put("key/" + i, "v2-" + i);
        }
        client.delete("key/1");
        client.delete("key/4");
        final long compactedAt = client.put("key/5", "v3-5").header().revision();
        client.compact(compactedAt);
        for (int i = 0; i < 10; i++)
        {
            client.put("key/" + i, "v4-" + i);
        }
        client.delete("key/2");
        client.put("big", "x".repeat(20_000));
        return compactedAt;
    }

    private static List<String> answers(final MetaStoreClient client, final long compactedAt, final long revision)
    {
        final List<String> answers = new ArrayList<>();
        for (long at = compactedAt; at <= revision; at++)
        {
            final RangeResult result = client.range("key/".getBytes(StandardCharsets.UTF_8),
                new RangeOptions().prefix().revision(at));
            answers.add(at + ": " + result.kvs());
        }
        final MetaStoreException compacted = assertThrows(MetaStoreException.class, () -> client.range(
            "key/".getBytes(StandardCharsets.UTF_8), new RangeOptions().prefix().revision(compactedAt - 1)));
        answers.add(compacted.code() + " " + compacted.getMessage());
        answers.add(String.valueOf(client.get("big").kvs()));
        return answers;
    }
}
