package io.metastore.client;

import io.metastore.codecs.ErrorCode;
import io.metastore.test.Tests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A watch read by pulling: revisions in order, a timeout, the end, and the bound on what waits for the reader.
 */
class WatchIteratorTest
{
    private static final ResponseHeader HEADER = new ResponseHeader(0, 1, 100, 2);

    private static final int QUEUE_REVISIONS = 4;

    private final List<Throwable> errors = new ArrayList<>();
    private final WatchConductor conductor = new WatchConductor(
        QUEUE_REVISIONS, (task) -> errors.add(new IllegalStateException("no executor for an iterator")), errors::add);
    private final WatchConductorTest.FakeReadRequests requests = new WatchConductorTest.FakeReadRequests();
    private final WatchIterator iterator = new WatchIterator(
        conductor.newWatch(bytes("k"), new WatchOptions().startRevision(1), null));
    private long nowNs;
    private WatchConductorTest.Sent create;

    @Test
    void shouldReturnNullWhenNoRevisionComesWithinTimeout()
    {
        open();

        assertNull(iterator.next(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldReturnRevisionsInOrderThenThrowTheTerminalReason()
    {
        open();
        conductor.onWatchEvents(create.watchId, false, List.of(event(1), event(2), event(2)), HEADER);
        conductor.onWatchCanceled(create.watchId, ErrorCode.COMPACTED, 7, "compacted");

        assertEquals(1, iterator.next(1, TimeUnit.SECONDS).revision());
        final WatchEvents second = iterator.next(1, TimeUnit.SECONDS);
        assertEquals(2, second.revision());
        assertEquals(2, second.events().size());
        assertEquals(7, assertThrows(CompactedException.class, () -> iterator.next(1, TimeUnit.SECONDS))
            .compactRevision());
        assertThrows(CompactedException.class, () -> iterator.next(1, TimeUnit.SECONDS));
        assertEquals(2, iterator.lastRevision());
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldWakeReaderWaitingForTheNextRevision() throws InterruptedException
    {
        open();
        final AtomicReference<WatchEvents> taken = new AtomicReference<>();
        final Thread reader = new Thread(() -> taken.set(iterator.next(Tests.AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)));
        reader.start();
        Tests.await("the reader waiting", () -> Thread.State.TIMED_WAITING == reader.getState());

        conductor.onWatchEvents(create.watchId, false, List.of(event(1)), HEADER);

        reader.join();
        assertEquals(1, taken.get().revision());
    }

    @Test
    void shouldThrowCanceledOnceClosed()
    {
        open();
        conductor.onWatchEvents(create.watchId, false, List.of(event(1)), HEADER);

        iterator.close();
        doWork();

        final MetaStoreException ex = assertThrows(MetaStoreException.class, () -> iterator.next(1, TimeUnit.SECONDS));
        assertEquals(ErrorCode.CANCELED, ex.code());
        assertEquals(create.watchId, requests.onlyOf("cancel").watchId);
    }

    @Test
    void shouldPauseWatchWhileReaderIsBehindAndResumeOnceItCaughtUp()
    {
        open();
        conductor.onWatchEvents(
            create.watchId, false, List.of(event(1), event(2), event(3), event(4), event(5)), HEADER);
        doWork();
        assertEquals(create.watchId, requests.onlyOf("cancel").watchId);

        for (long revision = 1; revision <= QUEUE_REVISIONS; revision++)
        {
            assertEquals(revision, iterator.next(1, TimeUnit.SECONDS).revision());
        }
        doWork();
        final WatchConductorTest.Sent resume = requests.onlyCreate();
        conductor.onWatchEvents(resume.watchId, false, List.of(event(5)), HEADER);

        assertEquals(5, resume.startRevision);
        assertEquals(5, iterator.next(1, TimeUnit.SECONDS).revision());
    }

    private void open()
    {
        requests.isOpen = true;
        conductor.onSessionOpened(0);
        doWork();
        create = requests.onlyCreate();
        conductor.onWatchCreated(create.correlationId, create.watchId, 1);
    }

    private void doWork()
    {
        nowNs += TimeUnit.MILLISECONDS.toNanos(2);
        conductor.doWork(nowNs, requests);
    }

    private static WatchEvent event(final long revision)
    {
        return new WatchEvent(
            Change.Type.DELETE, new KeyValue(bytes("k"), new byte[0], 0, revision, 0, 0), null);
    }
}
