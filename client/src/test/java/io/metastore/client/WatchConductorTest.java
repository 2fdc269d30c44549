package io.metastore.client;

import io.metastore.codecs.ErrorCode;
import io.metastore.protocol.Protocol;
import io.metastore.test.Tests;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watches' state machine on the I/O thread, with a fake read session and an executor run by the test: what is
 * sent to the member, and what each listener is told, as messages, failovers and slow listeners come.
 */
class WatchConductorTest
{
    private static final ResponseHeader HEADER = new ResponseHeader(0, 1, 100, 2);

    private static final int QUEUE_REVISIONS = 4;
    private static final int MEMBER_0 = 0;
    private static final int MEMBER_1 = 1;

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final WatchConductor conductor = new WatchConductor(QUEUE_REVISIONS, tasks::add, errors::add);
    private final FakeReadRequests requests = new FakeReadRequests();
    private long nowNs;

    @Test
    void shouldCreateWatchWithItsOptionsOnceSessionOpens()
    {
        final RecordingListener listener = new RecordingListener();
        conductor.newWatch(bytes("a/"), new WatchOptions().prefix().startRevision(7).prevKv(true), listener);
        doWork();
        assertEquals(List.of(), requests.sent, "no session yet");
        assertTrue(conductor.isSessionWanted());

        openSession(MEMBER_0);

        final Sent create = requests.onlyCreate();
        assertEquals(7, create.startRevision);
        assertEquals("a0", new String(create.spec.rangeEnd()));
        assertTrue(create.spec.prevKv());
    }

    @Test
    void shouldDeliverRevisionSplitOverFragmentsWholeAndOnce()
    {
        final RecordingListener listener = new RecordingListener();
        conductor.newWatch(bytes("k"), new WatchOptions().prefix(), listener);
        openSession(MEMBER_0);
        final Sent create = requests.onlyCreate();
        conductor.onWatchCreated(create.correlationId, create.watchId, 5);

        conductor.onWatchEvents(create.watchId, true, List.of(event(5, "k1"), event(5, "k2"), event(6, "k3")), HEADER);
        conductor.onWatchEvents(create.watchId, true, List.of(event(6, "k4")), HEADER);
        runTasks();
        assertEquals(List.of("5:k1,k2"), listener.seen, "revision 6 is not whole yet");

        conductor.onWatchEvents(create.watchId, false, List.of(event(6, "k5"), event(7, "k6")), HEADER);
        runTasks();

        assertEquals(List.of("5:k1,k2", "6:k3,k4,k5", "7:k6"), listener.seen);
        assertEquals(7, listener.lastRevision());
    }

    @Test
    void shouldResumeOnNextMemberAfterLastRevisionAndDropDuplicates()
    {
        final RecordingListener listener = new RecordingListener();
        final Watch watch = conductor.newWatch(bytes("k"), new WatchOptions().startRevision(5), listener);
        openSession(MEMBER_0);
        final Sent first = requests.onlyCreate();
        conductor.onWatchCreated(first.correlationId, first.watchId, 5);
        conductor.onWatchEvents(first.watchId, false, List.of(event(5, "a"), event(6, "b")), HEADER);

        conductor.onSessionLost(MEMBER_0);
        conductor.onWatchEvents(first.watchId, false, List.of(event(7, "late")), HEADER);
        openSession(MEMBER_1);

        final Sent second = requests.onlyCreate();
        assertEquals(7, second.startRevision, "from the revision after the last delivered");
        assertTrue(first.watchId != second.watchId, "a new incarnation");
        conductor.onWatchCreated(second.correlationId, second.watchId, 7);
        conductor.onWatchEvents(second.watchId, false, List.of(event(6, "b"), event(7, "c"), event(8, "d")), HEADER);
        runTasks();

        assertEquals(List.of("5:a", "6:b", "7:c", "8:d"), listener.seen);
        assertEquals(8, watch.lastRevision());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldAskForHalfReceivedRevisionAgainWholeAfterFailover()
    {
        final RecordingListener listener = new RecordingListener();
        conductor.newWatch(bytes("k"), new WatchOptions().startRevision(5), listener);
        openSession(MEMBER_0);
        final Sent first = requests.onlyCreate();
        conductor.onWatchCreated(first.correlationId, first.watchId, 5);
        conductor.onWatchEvents(first.watchId, true, List.of(event(5, "a"), event(6, "b")), HEADER);

        conductor.onSessionLost(MEMBER_0);
        openSession(MEMBER_1);
        final Sent second = requests.onlyCreate();
        assertEquals(6, second.startRevision);
        conductor.onWatchEvents(second.watchId, false, List.of(event(6, "b"), event(6, "c")), HEADER);
        runTasks();

        assertEquals(List.of("5:a", "6:b,c"), listener.seen);
    }

    @Test
    void shouldResumeFromStartRevisionFirstMemberReportedWhenNothingDelivered()
    {
        conductor.newWatch(bytes("k"), new WatchOptions(), new RecordingListener());
        openSession(MEMBER_0);
        final Sent first = requests.onlyCreate();
        assertEquals(0, first.startRevision, "the revision after the member's current");
        conductor.onWatchCreated(first.correlationId, first.watchId, 42);

        conductor.onSessionLost(MEMBER_0);
        openSession(MEMBER_1);

        assertEquals(42, requests.onlyCreate().startRevision);
    }

    @Test
    void shouldResumeFromOriginalStartRevisionWhenCreateWasNeverAnswered()
    {
        conductor.newWatch(bytes("k"), new WatchOptions(), new RecordingListener());
        openSession(MEMBER_0);
        requests.onlyCreate();

        conductor.onSessionLost(MEMBER_0);
        openSession(MEMBER_1);

        assertEquals(0, requests.onlyCreate().startRevision);
    }

    @Test
    void shouldCancelIncarnationsLeftOnMemberWhenSessionWithItOpensAgain()
    {
        conductor.newWatch(bytes("k"), new WatchOptions(), new RecordingListener());
        openSession(MEMBER_0);
        final Sent first = requests.onlyCreate();
        conductor.onWatchCreated(first.correlationId, first.watchId, 3);

        conductor.onSessionLost(MEMBER_0);
        openSession(MEMBER_1);
        final Sent onMember1 = requests.onlyCreate();
        conductor.onSessionLost(MEMBER_1);
        openSession(MEMBER_0);

        assertEquals("cancel", requests.sent.get(0).type, "the member kept the session: cancel before create");
        assertEquals(first.watchId, requests.sent.get(0).watchId);
        assertEquals("create", requests.sent.get(1).type);
        assertEquals(2, requests.sent.size());
        assertTrue(onMember1.watchId != requests.sent.get(1).watchId);
    }

    @Test
    void shouldPauseWatchWhoseQueueIsFullAndResumeFromNextRevisionOnceListenerCaughtUp()
    {
        final RecordingListener listener = new RecordingListener();
        conductor.newWatch(bytes("k"), new WatchOptions().startRevision(1), listener);
        openSession(MEMBER_0);
        final Sent first = requests.onlyCreate();
        conductor.onWatchCreated(first.correlationId, first.watchId, 1);

        conductor.onWatchEvents(first.watchId, false, List.of(
            event(1, "a"), event(2, "b"), event(3, "c"), event(4, "d"), event(5, "e"), event(6, "f")), HEADER);
        conductor.onWatchEvents(first.watchId, false, List.of(event(7, "g")), HEADER);
        doWork();
        final Sent cancel = requests.onlyOf("cancel");
        assertEquals(first.watchId, cancel.watchId, "paused at the member once its queue is full");
        doWork();
        assertEquals(List.of(), requests.sent, "not resumed while the listener has not caught up");

        runTasks();
        assertEquals(List.of("1:a", "2:b", "3:c", "4:d"), listener.seen);
        doWork();

        final Sent resume = requests.onlyCreate();
        assertEquals(5, resume.startRevision, "from the revision after the last queued");
        conductor.onWatchCreated(resume.correlationId, resume.watchId, 5);
        conductor.onWatchEvents(first.watchId, false, List.of(event(8, "stale")), HEADER);
        conductor.onWatchEvents(resume.watchId, false, List.of(event(5, "e"), event(6, "f"), event(7, "g")), HEADER);
        runTasks();

        assertEquals(List.of("1:a", "2:b", "3:c", "4:d", "5:e", "6:f", "7:g"), listener.seen);
        assertNull(listener.terminatedReason);
    }

    @Test
    void shouldPauseAWatchSentMoreThanItsQueueTakesEvenIfTheListenerTookSomeMeanwhile()
    {
        // Deliveries run as they are queued, as a listener on another thread may: the queue is never full, but what
        // did not fit was dropped, so the watch must pause and ask for it again.
        final WatchConductor conductor = new WatchConductor(QUEUE_REVISIONS, Runnable::run, errors::add);
        final RecordingListener listener = new RecordingListener();
        conductor.newWatch(bytes("k"), new WatchOptions().startRevision(1), listener);
        requests.isOpen = true;
        conductor.onSessionOpened(MEMBER_0);
        conductor.doWork(1, requests);
        final Sent first = requests.onlyCreate();
        conductor.onWatchCreated(first.correlationId, first.watchId, 1);

        conductor.onWatchEvents(first.watchId, false, List.of(
            event(1, "a"), event(2, "b"), event(3, "c"), event(4, "d"), event(5, "e"), event(6, "f")), HEADER);
        assertEquals(List.of("1:a", "2:b", "3:c", "4:d"), listener.seen);
        conductor.doWork(2, requests);

        // Paused, and at once resumed from the first revision dropped, as the listener has taken everything queued.
        final List<Sent> sent = requests.drain();
        assertEquals(List.of("cancel(watchId=" + first.watchId + ", startRevision=0)", "create(watchId=" +
            (first.watchId + 1) + ", startRevision=5)"), sent.stream().map(Sent::toString).toList());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldKeepDeliveringToOtherWatchesWhileOneListenerIsBlocked() throws InterruptedException
    {
        final ExecutorService executor = Executors.newCachedThreadPool();
        final WatchConductor conductor = new WatchConductor(QUEUE_REVISIONS, executor, errors::add);
        final CountDownLatch unblock = new CountDownLatch(1);
        final List<Long> slowSeen = new CopyOnWriteArrayList<>();
        final List<Long> fastSeen = new CopyOnWriteArrayList<>();
        try
        {
            conductor.newWatch(bytes("slow"), new WatchOptions(), (events) ->
            {
                slowSeen.add(events.revision());
                awaitQuietly(unblock);
            });
            conductor.newWatch(bytes("fast"), new WatchOptions(), (events) -> fastSeen.add(events.revision()));
            requests.isOpen = true;
            conductor.doWork(1, requests);
            final List<Sent> creates = requests.drain();
            final Sent slowCreate = 's' == creates.get(0).spec.key()[0] ? creates.get(0) : creates.get(1);
            final Sent fastCreate = slowCreate == creates.get(0) ? creates.get(1) : creates.get(0);

            for (int revision = 1; revision <= 4 * QUEUE_REVISIONS; revision++)
            {
                conductor.onWatchEvents(slowCreate.watchId, false, List.of(event(revision, "s")), HEADER);
                conductor.onWatchEvents(fastCreate.watchId, false, List.of(event(revision, "f")), HEADER);
                final int delivered = revision;
                Tests.await("revision " + revision + " delivered to the fast listener",
                    () -> delivered == fastSeen.size());
            }
            conductor.doWork(2, requests);

            assertEquals(slowCreate.watchId, requests.onlyOf("cancel").watchId, "the blocked one is paused");
            assertEquals(List.of(1L), slowSeen);
        }
        finally
        {
            unblock.countDown();
            executor.shutdown();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldEndWatchWithCompactedExceptionWhenCreateIsRefusedAsCompacted()
    {
        final RecordingListener listener = new RecordingListener();
        final Watch watch = conductor.newWatch(bytes("k"), new WatchOptions().startRevision(3), listener);
        openSession(MEMBER_0);
        final Sent create = requests.onlyCreate();

        conductor.onError(create.correlationId, ErrorCode.COMPACTED, 10, "compacted");
        runTasks();

        final CompactedException reason = assertInstanceOf(CompactedException.class, listener.terminatedReason);
        assertEquals(10, reason.compactRevision());
        assertTrue(watch.isTerminated());
        assertEquals(0, conductor.watchCount());
    }

    @Test
    void shouldEndWatchAfterItsQueuedRevisionsWhenMemberCancelsIt()
    {
        final RecordingListener listener = new RecordingListener();
        conductor.newWatch(bytes("k"), new WatchOptions(), listener);
        openSession(MEMBER_0);
        final Sent create = requests.onlyCreate();
        conductor.onWatchCreated(create.correlationId, create.watchId, 5);
        conductor.onWatchEvents(create.watchId, false, List.of(event(5, "a")), HEADER);

        conductor.onWatchCanceled(create.watchId, ErrorCode.COMPACTED, 20, "fell behind");
        conductor.onWatchEvents(create.watchId, false, List.of(event(6, "b")), HEADER);
        runTasks();

        assertEquals(List.of("5:a"), listener.seen);
        assertEquals(20, assertInstanceOf(CompactedException.class, listener.terminatedReason).compactRevision());
        assertEquals(1, listener.terminations);
    }

    @Test
    void shouldCancelAtMemberAndTellListenerOnceWhenClientCancels()
    {
        final RecordingListener listener = new RecordingListener();
        final Watch watch = conductor.newWatch(bytes("k"), new WatchOptions(), listener);
        openSession(MEMBER_0);
        final Sent create = requests.onlyCreate();
        conductor.onWatchCreated(create.correlationId, create.watchId, 5);
        conductor.onWatchEvents(create.watchId, false, List.of(event(5, "a")), HEADER);

        watch.cancel();
        watch.cancel();
        conductor.onWatchEvents(create.watchId, false, List.of(event(6, "b")), HEADER);
        doWork();
        runTasks();

        assertEquals(List.of(), listener.seen, "what was queued is dropped");
        assertEquals(ErrorCode.CANCELED, listener.terminatedReason.code());
        assertEquals(1, listener.terminations);
        assertEquals(create.watchId, requests.onlyOf("cancel").watchId);
        conductor.onError(99, ErrorCode.WATCH_NOT_FOUND, 0, "gone");
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldDeliverRequestedProgressAfterEventsToWatchesCreatedBeforeTheRequest()
    {
        final RecordingListener before = new RecordingListener();
        final RecordingListener after = new RecordingListener();
        conductor.newWatch(bytes("k"), new WatchOptions(), before);
        openSession(MEMBER_0);
        final Sent create = requests.onlyCreate();
        conductor.onWatchCreated(create.correlationId, create.watchId, 5);
        conductor.onWatchEvents(create.watchId, false, List.of(event(5, "a")), HEADER);

        conductor.requestProgress();
        doWork();
        final Sent progress = requests.onlyOf("progress");
        conductor.newWatch(bytes("other"), new WatchOptions(), after);
        doWork();
        final Sent laterCreate = requests.onlyCreate();
        conductor.onWatchCreated(laterCreate.correlationId, laterCreate.watchId, 9);
        conductor.onWatchProgress(progress.correlationId, Protocol.ALL_WATCHES, new ResponseHeader(0, 1, 8, 2));
        runTasks();

        assertEquals(List.of("5:a", "progress:8"), before.seen);
        assertEquals(List.of(), after.seen);

        conductor.onSessionLost(MEMBER_0);
        openSession(MEMBER_1);
        final List<Sent> creates = requests.drain();
        final Sent resumed = creates.get(0).spec.key()[0] == 'k' ? creates.get(0) : creates.get(1);
        assertEquals(9, resumed.startRevision, "everything up to the progress revision was delivered");
    }

    @Test
    void shouldReportListenerExceptionAndGoOn()
    {
        final List<String> seen = new ArrayList<>();
        conductor.newWatch(bytes("k"), new WatchOptions(), (events) ->
        {
            seen.add(String.valueOf(events.revision()));
            if (1 == events.revision())
            {
                throw new IllegalStateException("listener failed");
            }
        });
        openSession(MEMBER_0);
        final Sent create = requests.onlyCreate();

        conductor.onWatchEvents(create.watchId, false, List.of(event(1, "a"), event(2, "b")), HEADER);
        runTasks();

        assertEquals(List.of("1", "2"), seen);
        assertEquals(1, errors.size());
        assertEquals("listener failed", errors.get(0).getMessage());
    }

    @Test
    void shouldEndEveryWatchWhenClosed()
    {
        final RecordingListener created = new RecordingListener();
        final RecordingListener notYetTaken = new RecordingListener();
        conductor.newWatch(bytes("k"), new WatchOptions(), created);
        openSession(MEMBER_0);
        conductor.newWatch(bytes("j"), new WatchOptions(), notYetTaken);

        conductor.close();
        runTasks();

        assertEquals("client closed", created.terminatedReason.getMessage());
        assertNull(created.terminatedReason.code());
        assertEquals("client closed", notYetTaken.terminatedReason.getMessage());
    }

    private void openSession(final int memberId)
    {
        requests.isOpen = true;
        conductor.onSessionOpened(memberId);
        doWork();
    }

    private void doWork()
    {
        nowNs += TimeUnit.MILLISECONDS.toNanos(2);
        conductor.doWork(nowNs, requests);
    }

    private void runTasks()
    {
        Runnable task;
        while (null != (task = tasks.poll()))
        {
            task.run();
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
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

    private static WatchEvent event(final long revision, final String key)
    {
        return new WatchEvent(
            Change.Type.PUT, new KeyValue(bytes(key), bytes("v" + revision), revision, revision, 1, 0), null);
    }

    static final class RecordingListener implements WatchListener
    {
        final List<String> seen = new ArrayList<>();
        MetaStoreException terminatedReason;
        int terminations;
        private long lastRevision;

        @Override
        public void onEvents(final WatchEvents events)
        {
            final StringBuilder sb = new StringBuilder().append(events.revision()).append(':');
            for (int i = 0; i < events.events().size(); i++)
            {
                final WatchEvent event = events.events().get(i);
                assertEquals(events.revision(), event.revision());
                sb.append(i > 0 ? "," : "").append(event.kv().keyUtf8());
            }
            seen.add(sb.toString());
            lastRevision = events.revision();
        }

        @Override
        public void onProgress(final long revision)
        {
            seen.add("progress:" + revision);
        }

        @Override
        public void onTerminated(final MetaStoreException reason)
        {
            terminatedReason = reason;
            terminations++;
        }

        long lastRevision()
        {
            return lastRevision;
        }
    }

    static final class Sent
    {
        final String type;
        final long correlationId;
        final long watchId;
        final long startRevision;
        final WatchSpec spec;

        Sent(final String type, final long correlationId, final long watchId, final long startRevision,
            final WatchSpec spec)
        {
            this.type = type;
            this.correlationId = correlationId;
            this.watchId = watchId;
            this.startRevision = startRevision;
            this.spec = spec;
        }

        @Override
        public String toString()
        {
            return type + "(watchId=" + watchId + ", startRevision=" + startRevision + ")";
        }
    }

    static final class FakeReadRequests implements ReadRequests
    {
        final List<Sent> sent = new ArrayList<>();
        boolean isOpen;
        private long nextCorrelationId = 100;

        @Override
        public boolean isOpen()
        {
            return isOpen;
        }

        @Override
        public long watchCreate(final long watchId, final long startRevision, final WatchSpec spec)
        {
            return record(new Sent("create", nextCorrelationId++, watchId, startRevision, spec));
        }

        @Override
        public long watchCancel(final long watchId)
        {
            return record(new Sent("cancel", nextCorrelationId++, watchId, 0, null));
        }

        @Override
        public long watchProgress()
        {
            return record(new Sent("progress", nextCorrelationId++, 0, 0, null));
        }

        Sent onlyCreate()
        {
            return onlyOf("create");
        }

        Sent onlyOf(final String type)
        {
            assertEquals(1, sent.size(), () -> "expected one " + type + ", sent " + sent);
            final Sent only = sent.remove(0);
            assertEquals(type, only.type);
            return only;
        }

        List<Sent> drain()
        {
            final List<Sent> drained = new ArrayList<>(sent);
            sent.clear();
            return drained;
        }

        private long record(final Sent request)
        {
            sent.add(request);
            return request.correlationId;
        }
    }
}
