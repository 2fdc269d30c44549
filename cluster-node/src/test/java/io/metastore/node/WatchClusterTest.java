package io.metastore.node;

import io.metastore.client.Change;
import io.metastore.client.ChangesResult;
import io.metastore.client.CompactedException;
import io.metastore.client.DeleteOptions;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.Op;
import io.metastore.client.PutOptions;
import io.metastore.client.RangeOptions;
import io.metastore.client.ResponseHeader;
import io.metastore.client.Txn;
import io.metastore.client.Watch;
import io.metastore.client.WatchEvent;
import io.metastore.client.WatchEvents;
import io.metastore.client.WatchListener;
import io.metastore.client.WatchOptions;
import io.metastore.codecs.ErrorCode;
import io.metastore.protocol.KeyRanges;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import static io.metastore.node.TestCluster.retry;
import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watches served by members' read ports through the client: etcd's events, from the next revision or a past one,
 * filtered, canceled, refused at a compacted revision, overtaken by compaction while a listener is slow; on three
 * members a watcher on a follower and one on the leader see the same stream, each revision once, while the leader
 * is stopped, the follower restarts, and writes go on.
 */
@Timeout(300)
class WatchClusterTest
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
    void shouldDeliverEtcdsEventsFromNowAndFromThePastWithFiltersAndCancel() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        final long before = client.put("other", "x").header().revision();

        final Recording live = new Recording();
        final WatchOptions prefix = new WatchOptions().prefix().prevKv(true);
        client.watch(bytes("w/"), prefix, live);
        final Recording puts = new Recording();
        client.watch(bytes("w/"), new WatchOptions().prefix().noDelete(true), puts);
        awaitWatching(client, live, puts);

        final long first = client.put("w/a", "1").header().revision();
        client.put("w/a", "2");
        client.put("zzz", "not watched");
        client.delete("w/a");
        final long txn = client.txn(Txn.txn().then(Op.put("w/b", "1"), Op.put("w/c", "1"))).header().revision();

        final List<String> expected = List.of(
            first + " PUT w/a=1",
            (first + 1) + " PUT w/a=2 prev=1",
            (first + 3) + " DELETE w/a prev=2",
            txn + " PUT w/b=1",
            txn + " PUT w/c=1");
        live.awaitEvents(expected.size());
        assertEquals(expected, live.events());
        puts.awaitEvents(4);
        assertEquals(List.of(first + " PUT w/a=1", (first + 1) + " PUT w/a=2", txn + " PUT w/b=1",
            txn + " PUT w/c=1"), puts.events());
        assertEquals(List.of(first, first + 1, first + 3, txn), live.revisions());

        final Recording past = new Recording();
        client.watch(bytes("w/"), new WatchOptions().prefix().prevKv(true).startRevision(before), past);
        past.awaitEvents(expected.size());
        assertEquals(expected, past.events());

        final Recording canceled = new Recording();
        client.watch(bytes("w/a"), new WatchOptions(), canceled).cancel();
        final MetaStoreException reason = canceled.ended.get(10, TimeUnit.SECONDS);
        assertEquals(ErrorCode.CANCELED, reason.code());
        cluster.assertNoErrors();
    }

    @Test
    void shouldCatchUpWatchersFromSeveralPastRevisionsEachWithExactlyItsOwnStreamWhileWritesGoOn()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        // 1 KiB values: the history past the first start is many times what the read port reads for a laggard at once.
        final byte[] value = new byte[1024];
        final int keys = 100;
        final long first = client.put(bytes("c/0"), value).header().revision();
        for (int i = 1; i < 2000; i++)
        {
            client.put(bytes("c/" + i % keys), value);
        }

        final long[] starts = { first, first + 700, first + 1300, first + 1300, first + 1999 };
        final List<Recording> laggards = new ArrayList<>();
        for (final long start : starts)
        {
            final Recording recording = new Recording();
            client.watch(bytes("c/"), new WatchOptions().prefix().startRevision(start), recording);
            laggards.add(recording);
        }
        final Recording oneKey = new Recording();
        client.watch(bytes("c/7"), new WatchOptions().startRevision(first + 1), oneKey);
        for (int i = 2000; i < 2300; i++)
        {
            client.put(bytes("c/" + i % keys), value);
        }

        final long last = first + 2299;
        for (int i = 0; i < starts.length; i++)
        {
            laggards.get(i).awaitRevision(last);
            assertEquals(LongStream.rangeClosed(starts[i], last).boxed().toList(), laggards.get(i).revisions(),
                "watcher from " + starts[i]);
        }
        oneKey.awaitRevision(first + 2207);
        assertEquals(LongStream.rangeClosed(0, 22).mapToObj(n -> first + 7 + n * keys).toList(), oneKey.revisions());
        cluster.assertNoErrors();
    }

    @Test
    void shouldDeliverADeleteOfAHundredThousandKeysWholeAndNotifyProgressWhenIdle() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1, ctx -> ctx.watchProgressNotifyIntervalMs(200));
        final MetaStoreClient client = cluster.connectClient();
        final int keys = 100_000;
        final byte[] value = new byte[16];
        final List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 0; i < keys; i++)
        {
            puts.add(client.putAsync(bytes(String.format("big/%06d", i)), value, new PutOptions()));
            if (puts.size() == 1000)
            {
                puts.forEach(CompletableFuture::join);
                puts.clear();
            }
        }
        final long filled = client.put("big/zz", "last").header().revision();

        final Recording recording = new Recording();
        client.watch(bytes("big/"), new WatchOptions().prefix().prevKv(true).progressNotify(true), recording);
        Tests.await("a progress notification with nothing to send", () ->
            !recording.progress.isEmpty() && recording.progress.get(0) >= filled);

        // 100,000 events with their previous pairs, etcd's example: about 7 MB in one revision, in fragments of 64 KiB.
        final long deleted = client.delete(bytes("big/"), new DeleteOptions().prefix())
            .header().revision();
        recording.awaitEvents(keys + 1);
        assertEquals(List.of(deleted), recording.revisions(), "one revision, delivered once, whole");
        final List<String> events = recording.events();
        assertEquals(deleted + " DELETE big/000000 prev=" + new String(value, StandardCharsets.UTF_8),
            events.get(0));
        assertEquals(deleted + " DELETE big/zz prev=last", events.get(keys));
        cluster.assertNoErrors();
    }

    @Test
    void shouldRefuseACompactedStartAndAnInvertedRangeAndWaitForAFutureStart() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        for (int i = 0; i < 5; i++)
        {
            client.put("k", Integer.toString(i));
        }
        final long compactAt = client.put("k", "5").header().revision() - 1;
        client.compact(compactAt);

        final Recording compacted = new Recording();
        client.watch(bytes("k"), new WatchOptions().startRevision(compactAt - 1), compacted);
        final MetaStoreException reason = compacted.ended.get(10, TimeUnit.SECONDS);
        assertInstanceOf(CompactedException.class, reason);
        assertEquals(compactAt, ((CompactedException)reason).compactRevision());

        final Recording inverted = new Recording();
        client.watch(bytes("b"), new WatchOptions().rangeEnd(bytes("a")), inverted);
        assertEquals(ErrorCode.INVALID_RANGE, inverted.ended.get(10, TimeUnit.SECONDS).code());

        final long future = compactAt + 4;
        final Recording waiting = new Recording();
        client.watch(bytes("k"), new WatchOptions().startRevision(future), waiting);
        client.put("k", "6");
        client.put("k", "7");
        client.put("k", "8");
        waiting.awaitEvents(1);
        assertEquals(List.of(future + " PUT k=8"), waiting.events());
        cluster.assertNoErrors();
    }

    @Test
    void shouldCancelASlowWatcherThatCompactionOvertakesAndKeepOthersGoing() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = connectWithSmallQueues();
        try
        {
            final CountDownLatch release = new CountDownLatch(1);
            final Recording slow = blockedUntil(release);
            final Recording fast = new Recording();
            client.watch(bytes("s"), new WatchOptions(), slow);
            client.watch(bytes("s"), new WatchOptions(), fast);
            awaitWatching(client, slow, fast);

            long last = 0;
            for (int i = 0; i < 50; i++)
            {
                last = client.put("s", Integer.toString(i)).header().revision();
            }
            fast.awaitEvents(50);
            client.compact(last);
            client.put("s", "after");
            fast.awaitEvents(51);
            release.countDown();

            final MetaStoreException reason = slow.ended.get(10, TimeUnit.SECONDS);
            assertInstanceOf(CompactedException.class, reason);
            assertEquals(last, ((CompactedException)reason).compactRevision());
            final List<Long> delivered = slow.revisions();
            for (int i = 1; i < delivered.size(); i++)
            {
                assertEquals(delivered.get(i - 1) + 1, delivered.get(i), "no gap before the end: " + delivered);
            }
        }
        finally
        {
            client.close();
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldDeliverEachOfAClientsAlikeWatchesItsWholeStreamWhileOneIsSlowAndOneIsCanceled() throws Exception
    {
        // Alike watches of one client are sent each message once: one paused for its slow listener leaves the group,
        // catches up from the history, and rejoins; one canceled leaves it; the others go on as before.
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = connectWithSmallQueues();
        try
        {
            final CountDownLatch release = new CountDownLatch(1);
            final Recording slow = blockedUntil(release);
            final Recording fast = new Recording();
            final Recording canceled = new Recording();
            final Recording withPrevKv = new Recording();
            client.watch(bytes("s"), new WatchOptions().prefix(), fast);
            client.watch(bytes("s"), new WatchOptions().prefix(), slow);
            final Watch toCancel = client.watch(bytes("s"), new WatchOptions().prefix(), canceled);
            client.watch(bytes("s"), new WatchOptions().prefix().prevKv(true), withPrevKv);
            awaitWatching(client, fast, slow, canceled, withPrevKv);

            final long first = client.put("s/0", "0").header().revision();
            for (int i = 1; i < 30; i++)
            {
                client.put("s/" + i % 7, Integer.toString(i));
            }
            canceled.awaitEvents(30);
            toCancel.cancel();
            long last = 0;
            for (int i = 30; i < 100; i++)
            {
                last = client.put("s/" + i % 7, Integer.toString(i)).header().revision();
            }
            fast.awaitRevision(last);
            withPrevKv.awaitRevision(last);
            release.countDown();
            slow.awaitRevision(last);

            final List<Long> all = LongStream.rangeClosed(first, last).boxed().toList();
            assertEquals(all, fast.revisions());
            assertEquals(all, slow.revisions());
            assertEquals(fast.events(), slow.events());
            assertEquals(all, withPrevKv.revisions());
            assertEquals(ErrorCode.CANCELED, canceled.ended.get(10, TimeUnit.SECONDS).code());
            final List<Long> untilCanceled = canceled.revisions();
            assertEquals(all.subList(0, untilCanceled.size()), untilCanceled);
        }
        finally
        {
            client.close();
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldGiveEachOfManyWatchesOfAClientExactlyItsStreamThroughPausesCancelsAndLateStarts() throws Exception
    {
        // Watches that select alike share messages and batches: a slow one pauses and rejoins, one is canceled and
        // watched again from after its last revision, one starts late from the past; each must see exactly its own
        // stream, checked against the history.
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = MetaStoreClient.connect(context().watchQueueRevisions(8));
        try
        {
            final long first = client.put("f/0", "start").header().revision();
            final List<Recording> prefix = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                prefix.add(new Recording());
                client.watch(bytes("f/"), new WatchOptions().prefix().startRevision(first), prefix.get(i));
            }
            final Recording slow = new Recording()
            {
                public void onEvents(final WatchEvents events)
                {
                    // Work that takes a while: the watch's queue fills, it pauses, and catches up later.
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(300));
                    super.onEvents(events);
                }
            };
            client.watch(bytes("f/"), new WatchOptions().prefix().startRevision(first), slow);
            final Recording withPrevKv = new Recording();
            client.watch(bytes("f/"), new WatchOptions().prefix().prevKv(true).startRevision(first), withPrevKv);
            final Recording oneKey = new Recording();
            client.watch(bytes("f/3"), new WatchOptions().startRevision(first), oneKey);
            final Recording beforeCancel = new Recording();
            final Watch toCancel = client.watch(
                bytes("f/"), new WatchOptions().prefix().startRevision(first), beforeCancel);

            final Random random = new Random(7);
            final Recording afterCancel = new Recording();
            final Recording late = new Recording();
            long last = first;
            for (int i = 0; i < 1500; i++)
            {
                // f/9 is left to the transactions' second put: a key twice in one is refused.
                final String key = "f/" + random.nextInt(9);
                last = switch (random.nextInt(10))
                {
                    case 0 -> client.delete(key).header().revision();
                    case 1 -> client.txn(Txn.txn().then(Op.put(key, "t" + i), Op.put("f/9", "t" + i)))
                        .header().revision();
                    case 2 -> client.put("g/" + i, "unwatched").header().revision();
                    default -> client.put(key, Integer.toString(i)).header().revision();
                };
                if (500 == i)
                {
                    toCancel.cancel();
                    beforeCancel.ended.get(10, TimeUnit.SECONDS);
                    final List<Long> seen = beforeCancel.revisions();
                    client.watch(bytes("f/"), new WatchOptions().prefix()
                        .startRevision(seen.isEmpty() ? first : seen.get(seen.size() - 1) + 1), afterCancel);
                }
                if (1000 == i)
                {
                    client.watch(bytes("f/"), new WatchOptions().prefix().startRevision(first + 100), late);
                }
            }
            final List<String> expected = changes(client, first, last);
            final long lastMatching = revisionOf(expected.get(expected.size() - 1));
            for (final Recording recording : List.of(prefix.get(0), prefix.get(1), prefix.get(2), slow))
            {
                recording.awaitRevision(lastMatching);
                assertSameStream(expected, recording.events());
            }
            withPrevKv.awaitRevision(lastMatching);
            assertSameStream(
                expected, withPrevKv.events().stream().map(line -> line.replaceAll(" prev=.*", "")).toList());
            final List<String> expectedOneKey = expected.stream().filter(line -> line.contains(" f/3")).toList();
            oneKey.awaitRevision(revisionOf(expectedOneKey.get(expectedOneKey.size() - 1)));
            assertSameStream(expectedOneKey, oneKey.events());
            afterCancel.awaitRevision(lastMatching);
            final List<String> joined = new ArrayList<>(beforeCancel.events());
            joined.addAll(afterCancel.events());
            assertSameStream(expected, joined);
            late.awaitRevision(lastMatching);
            assertSameStream(changes(client, first + 100, last), late.events());
        }
        finally
        {
            client.close();
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldRunListenersOnTheIoThreadWhenAskedAndRefuseABlockingCallThere() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = MetaStoreClient.connect(context().watchListenersOnIoThread(true));
        try
        {
            final List<String> threads = new CopyOnWriteArrayList<>();
            final CompletableFuture<Throwable> blockingCall = new CompletableFuture<>();
            final Recording recording = new Recording()
            {
                public void onEvents(final WatchEvents events)
                {
                    threads.add(Thread.currentThread().getName());
                    if (!blockingCall.isDone())
                    {
                        try
                        {
                            client.put("i/blocked", "x");
                            blockingCall.complete(null);
                        }
                        catch (final MetaStoreException ex)
                        {
                            blockingCall.complete(ex);
                        }
                    }
                    super.onEvents(events);
                }
            };
            client.watch(bytes("i/"), new WatchOptions().prefix(), recording);
            awaitWatching(client, recording);

            final long first = client.put("i/0", "0").header().revision();
            long last = first;
            for (int i = 1; i < 20; i++)
            {
                last = client.put("i/" + i, Integer.toString(i)).header().revision();
            }
            recording.awaitRevision(last);

            assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), recording.revisions());
            assertInstanceOf(MetaStoreException.class, blockingCall.get(10, TimeUnit.SECONDS), "refused, not hung");
            assertEquals(1, threads.stream().distinct().count(), threads::toString);
            assertTrue(threads.get(0).startsWith("metastore-client"), threads::toString);
        }
        finally
        {
            client.close();
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldDeliverTheSameStreamOnAFollowerAndTheLeaderWhileTheLeaderStopsAndTheFollowerRestarts() throws Exception
    {
        cluster = TestCluster.start(tempDir, 3);
        final int leader = cluster.awaitLeader();
        final int follower = (leader + 1) % 3;
        final MetaStoreClient writer = cluster.connectClient();
        final MetaStoreClient onFollower = connect(follower);
        final MetaStoreClient onLeader = connect(leader);
        final ResponseHeader startHeader = retry(() -> writer.put("f/start", "0").header());
        final long start = startHeader.revision() + 1;

        final Recording followerStream = new Recording();
        final Recording leaderStream = new Recording();
        onFollower.watch(bytes("f/"), new WatchOptions().prefix().startRevision(start), followerStream);
        onLeader.watch(bytes("f/"), new WatchOptions().prefix().startRevision(start), leaderStream);

        final AtomicBoolean stop = new AtomicBoolean();
        final Thread writes = new Thread(() ->
        {
            for (int i = 0; !stop.get(); i++)
            {
                final String value = Integer.toString(i);
                try
                {
                    writer.put(bytes("f/" + (i % 7)), bytes(value), new PutOptions());
                }
                catch (final MetaStoreException ignore)
                {
                    // A put lost in the leader change may or may not be applied: the log says which.
                }
            }
        }, "watch-test-writes");
        writes.start();
        try
        {
            followerStream.awaitEvents(200);
            // etcd's WatchResponse header: the member serving the watch, its term, a revision it had committed.
            final ResponseHeader first = followerStream.headers().get(0);
            assertEquals(follower, first.memberId());
            assertEquals(leader, leaderStream.headers().get(0).memberId());
            assertEquals(startHeader.leadershipTermId(), first.leadershipTermId());
            assertTrue(first.revision() >= followerStream.revisions().get(0));
            cluster.stopNode(leader);
            cluster.awaitLeader();
            final int seen = followerStream.events().size();
            followerStream.awaitEvents(seen + 200);

            // The follower serving the first watcher restarts: its watcher moves on, then may come back.
            cluster.stopNode(follower);
            cluster.startNode(follower);
            final int seenAfterRestart = followerStream.events().size();
            followerStream.awaitEvents(seenAfterRestart + 200);
        }
        finally
        {
            stop.set(true);
            writes.join();
        }

        final long end = retry(() -> writer.put("f/end", "1").header().revision());
        followerStream.awaitRevision(end);
        leaderStream.awaitRevision(end);
        final List<String> fromLog = changes(writer, start, end);
        assertEquals(fromLog, followerStream.events(), "the follower's watcher against the log");
        assertEquals(fromLog, leaderStream.events(), "the leader's watcher, moved to another member");
    }

    private MetaStoreClient connect(final int readMemberId)
    {
        final MetaStoreClient client = MetaStoreClient.connect(context().readMemberId(readMemberId));
        cluster.adopt(client);
        return client;
    }

    private static List<String> changes(final MetaStoreClient client, final long from, final long to)
    {
        final List<String> events = new ArrayList<>();
        long next = from;
        while (next <= to)
        {
            final long fromRevision = next;
            final ChangesResult result = retry(() -> client.changes(
                bytes("f/"), new RangeOptions().rangeEnd(KeyRanges.prefixEnd(bytes("f/"))), fromRevision, to));
            for (final Change change : result.changes())
            {
                events.add(change.revision() + " " + change.type() + " " + change.kv().keyUtf8() +
                    (Change.Type.PUT == change.type() ? "=" + change.kv().valueUtf8() : ""));
            }
            next = result.nextRevision();
        }
        return events;
    }

    /**
     * The watches are in place once a progress request is answered for each: every revision after then is theirs.
     */
    private static void awaitWatching(final MetaStoreClient client, final Recording... recordings)
    {
        for (final Recording recording : recordings)
        {
            recording.progress.clear();
        }
        Tests.await("the watches to be created", () ->
        {
            client.requestWatchProgress();
            for (final Recording recording : recordings)
            {
                if (recording.progress.isEmpty())
                {
                    return false;
                }
            }
            return true;
        });
    }

    /**
     * @return a client whose watches pause once 4 revisions wait for their listener.
     */
    private MetaStoreClient connectWithSmallQueues()
    {
        return MetaStoreClient.connect(context().watchQueueRevisions(4));
    }

    /**
     * @return a client context for the cluster, with room for a slow test machine in its request timeout.
     */
    private MetaStoreClient.Context context()
    {
        return new MetaStoreClient.Context().endpoints(cluster.endpoints()).requestTimeout(10, TimeUnit.SECONDS);
    }

    /**
     * @return a recording whose listener blocks on every revision until the latch is released.
     */
    private static Recording blockedUntil(final CountDownLatch release)
    {
        return new Recording()
        {
            public void onEvents(final WatchEvents events)
            {
                await(release);
                super.onEvents(events);
            }
        };
    }

    /**
     * Short on failure: the first line that differs, not two lists of a thousand.
     */
    private static void assertSameStream(final List<String> expected, final List<String> actual)
    {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
        {
            assertEquals(expected.get(i), actual.get(i), "event " + i + " of " + expected.size());
        }
        assertEquals(expected.size(), actual.size(), "events");
    }

    /**
     * @return the revision a line of {@link #changes(MetaStoreClient, long, long)} or a recording begins with.
     */
    private static long revisionOf(final String line)
    {
        return Long.parseLong(line.substring(0, line.indexOf(' ')));
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records what a watch delivers, one line an event.
     */
    private static class Recording implements WatchListener
    {
        private final List<String> events = new ArrayList<>();
        private final List<Long> revisions = new ArrayList<>();
        private final List<ResponseHeader> headers = new ArrayList<>();
        private final List<Long> progress = new CopyOnWriteArrayList<>();
        final CompletableFuture<MetaStoreException> ended = new CompletableFuture<>();

        public void onEvents(final WatchEvents events)
        {
            synchronized (this)
            {
                revisions.add(events.revision());
                headers.add(events.header());
                for (final WatchEvent event : events.events())
                {
                    assertEquals(events.revision(), event.revision());
                    this.events.add(event.revision() + " " + event.type() + " " + event.kv().keyUtf8() +
                        (Change.Type.PUT == event.type() ? "=" + event.kv().valueUtf8() : "") +
                        (null == event.prevKv() ? "" : " prev=" + event.prevKv().valueUtf8()));
                }
            }
        }

        public void onProgress(final long revision)
        {
            progress.add(revision);
        }

        public void onTerminated(final MetaStoreException reason)
        {
            ended.complete(reason);
        }

        synchronized List<String> events()
        {
            return new ArrayList<>(events);
        }

        synchronized List<Long> revisions()
        {
            return new ArrayList<>(revisions);
        }

        synchronized List<ResponseHeader> headers()
        {
            return new ArrayList<>(headers);
        }

        void awaitEvents(final int count)
        {
            Tests.await(count + " events", () -> events().size() >= count);
        }

        void awaitRevision(final long revision)
        {
            Tests.await("revision " + revision, () ->
            {
                final List<Long> seen = revisions();
                return !seen.isEmpty() && seen.get(seen.size() - 1) >= revision;
            });
        }
    }
}
