package io.metastore.client;

import io.metastore.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A watch's deliveries, task by task: a batch of revisions spreads over tasks of a bounded size, what a watch ended by
 * its client drops unseen costs no task, and a listener whose error handler throws still leaves the rest delivered.
 */
class WatchDeliveryTest
{
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<Long> delivered = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private MetaStoreException ended;
    private final WatchListener listener = new WatchListener()
    {
        public void onEvents(final WatchEvents events)
        {
            delivered.add(events.revision());
        }

        public void onTerminated(final MetaStoreException reason)
        {
            ended = reason;
        }
    };

    @Test
    void shouldDeliverABatchOverTasksOfABoundedSizeInOrder()
    {
        final WatchDelivery delivery = new WatchDelivery(1, listener, tasks::add, errors::add, 4);
        delivery.offerRevisions(revisions(1, 200), 0, 200);
        assertEquals(1, tasks.size());

        tasks.poll().run();
        assertEquals(64, delivered.size(), "one task's share");
        assertEquals(1, tasks.size(), "the rest in another task");
        assertEquals(136, delivery.queuedRevisions());

        runTasks();
        assertEquals(revisionNumbers(1, 200), delivered);
        assertEquals(0, delivery.queuedRevisions());
        assertEquals(200, delivery.lastRevision());
    }

    @Test
    void shouldEndAWatchItsClientEndsInOneTaskWhateverIsQueued()
    {
        // As at the client's close, when its executor may take no further task.
        final WatchDelivery delivery = new WatchDelivery(1, listener, tasks::add, errors::add, 4);
        delivery.offerRevisions(revisions(1, 1000), 0, 1000);
        final MetaStoreException reason = new MetaStoreException(ErrorCode.CANCELED, "canceled");
        delivery.terminate(reason, true);

        tasks.poll().run();

        assertSame(reason, ended);
        assertEquals(List.of(), delivered);
        assertEquals(0, delivery.queuedRevisions());
        assertEquals(0, tasks.size());
    }

    @Test
    void shouldGoOnDeliveringWhenTheErrorHandlerThrows()
    {
        final WatchListener failing = (events) ->
        {
            delivered.add(events.revision());
            throw new IllegalStateException("listener");
        };
        final WatchDelivery delivery = new WatchDelivery(1, failing, tasks::add, (ex) ->
        {
            throw new IllegalArgumentException("handler");
        }, 4);
        delivery.offerRevisions(revisions(1, 3), 0, 3);

        assertThrows(IllegalArgumentException.class, () -> tasks.poll().run());
        assertEquals(List.of(1L), delivered);
        for (int i = 0; i < 2; i++)
        {
            assertThrows(IllegalArgumentException.class, () -> tasks.poll().run(), "the rest rescheduled");
        }
        assertEquals(revisionNumbers(1, 3), delivered);
        assertNull(tasks.poll());
    }

    private void runTasks()
    {
        Runnable task;
        while (null != (task = tasks.poll()))
        {
            task.run();
        }
    }

    private static List<WatchEvents> revisions(final long from, final long to)
    {
        final List<WatchEvents> revisions = new ArrayList<>();
        for (long revision = from; revision <= to; revision++)
        {
            final KeyValue kv = new KeyValue(bytes("k"), bytes("v"), 1, revision, revision, 0);
            revisions.add(new WatchEvents(revision, List.of(new WatchEvent(Change.Type.PUT, kv, null)),
                new ResponseHeader(0, 0, revision, 0)));
        }
        return revisions;
    }

    private static List<Long> revisionNumbers(final long from, final long to)
    {
        final List<Long> numbers = new ArrayList<>();
        for (long revision = from; revision <= to; revision++)
        {
            numbers.add(revision);
        }
        return numbers;
    }
}
