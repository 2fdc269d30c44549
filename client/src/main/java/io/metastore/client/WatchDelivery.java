package io.metastore.client;

import org.agrona.ErrorHandler;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The queue between a watch's producer, the client's I/O thread, and its consumer: the watch's listener, run by an
 * executor one task at a time, or the thread pulling with {@link #poll(long)} for a {@link WatchIterator}.
 * <p>
 * The queue holds whole revisions in order, progress notifications, and last the terminal reason. The I/O thread
 * counts the revisions queued ({@link #queuedRevisions()}) to bound them: it pauses the watch at the member when the
 * bound is reached and resumes it once the consumer has caught up (see {@link WatchConductor}), so it never waits on
 * a consumer. Progress notifications are bounded alike: one past the bound is dropped, as the next tells more.
 * <p>
 * The terminal reason is set once, by whichever thread ends the watch first; ended by its client, what is still
 * queued is dropped and the terminal reason delivered next.
 */
final class WatchDelivery implements Runnable
{
    /**
     * Revisions and notifications one task delivers before it gives the executor's thread to other watches; a batch
     * of revisions is delivered over as many tasks as it takes.
     */
    private static final int DELIVERIES_PER_TASK = 64;

    private final long watchId;
    private final WatchListener listener;
    private final Executor executor;
    private final ErrorHandler errorHandler;
    private final int maxQueuedProgress;
    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedRevisions = new AtomicInteger();
    private final AtomicInteger queuedProgress = new AtomicInteger();
    private final AtomicBoolean isScheduled = new AtomicBoolean();
    private final AtomicReference<MetaStoreException> terminalReason = new AtomicReference<>();
    private volatile boolean isDiscarding;
    private volatile long lastRevision;
    private volatile Thread waiter;
    private volatile MetaStoreException deliveredTerminalReason;
    // The batch being taken, by one consumer at a time: a task of the executor, or the thread pulling with poll.
    private Revisions takenRevisions;
    private int takenIndex;

    /**
     * @param watchId           of the watch, for errors.
     * @param listener          to deliver to on the executor, or null for a watch pulled with {@link #poll(long)}.
     * @param executor          that runs the listener; unused without one; null to run it on the thread that queues,
     *                          the client's I/O thread (or one that ends the watch).
     * @param errorHandler      for exceptions thrown by the listener, and a delivery the executor refuses.
     * @param maxQueuedProgress most progress notifications queued.
     */
    WatchDelivery(
        final long watchId,
        final WatchListener listener,
        final Executor executor,
        final ErrorHandler errorHandler,
        final int maxQueuedProgress)
    {
        this.watchId = watchId;
        this.listener = listener;
        this.executor = executor;
        this.errorHandler = errorHandler;
        this.maxQueuedProgress = maxQueuedProgress;
    }

    /**
     * Queue a whole revision; on the I/O thread. Nothing is queued once the watch is terminated.
     *
     * @param events of one revision.
     */
    void offerEvents(final WatchEvents events)
    {
        if (null == terminalReason.get())
        {
            queuedRevisions.incrementAndGet();
            items.offer(events);
            signal();
        }
    }

    /**
     * Queue whole revisions; on the I/O thread. Nothing is queued once the watch is terminated.
     *
     * @param revisions a list of revisions, in order, that is never changed; the same list may be queued for other
     *                  watches too.
     * @param from      index of the first to queue.
     * @param to        index after the last to queue, above {@code from}.
     */
    void offerRevisions(final List<WatchEvents> revisions, final int from, final int to)
    {
        if (null == terminalReason.get())
        {
            queuedRevisions.addAndGet(to - from);
            items.offer(1 == to - from ? revisions.get(from) : new Revisions(revisions, from, to));
            signal();
        }
    }

    /**
     * Queue a progress notification, after the revisions queued; on the I/O thread. Dropped if too many wait.
     *
     * @param header of the member's notification; its revision, every change up to which has been delivered.
     */
    void offerProgress(final ResponseHeader header)
    {
        if (null == terminalReason.get() && queuedProgress.get() < maxQueuedProgress)
        {
            queuedProgress.incrementAndGet();
            items.offer(new Progress(header));
            signal();
        }
    }

    /**
     * End the watch, once; on any thread.
     *
     * @param reason         given to the consumer last.
     * @param discardQueued  drop what is queued and not yet delivered, as when the watch's client cancels it.
     * @return true if this call ended the watch, false if it had ended before.
     */
    boolean terminate(final MetaStoreException reason, final boolean discardQueued)
    {
        if (!terminalReason.compareAndSet(null, reason))
        {
            return false;
        }

        if (discardQueued)
        {
            isDiscarding = true;
        }
        items.offer(reason);
        signal();

        return true;
    }

    /**
     * @return true once the watch is ended, its terminal reason perhaps not yet delivered.
     */
    boolean isTerminated()
    {
        return null != terminalReason.get();
    }

    /**
     * @return revisions queued and not yet taken by the consumer.
     */
    int queuedRevisions()
    {
        return queuedRevisions.get();
    }

    /**
     * @return the last revision handed to the consumer, 0 if none.
     */
    long lastRevision()
    {
        return lastRevision;
    }

    /**
     * Deliver to the listener, a bounded number of items, then reschedule if more wait. Run by the executor.
     */
    @Override
    public void run()
    {
        // The thread goes back to the executor as soon as nothing waits: other watches' deliveries may wait for it,
        // and revisions come in batches, a message's at a time. What is dropped unseen (the watch ended by its client
        // or the client's close) does not count: the end comes in this task, even from an executor shut down since.
        try
        {
            for (int i = 0, limit = null == executor ? Integer.MAX_VALUE : DELIVERIES_PER_TASK; i < limit; )
            {
                final Object item = take();
                if (null == item)
                {
                    break;
                }
                if (deliver(item))
                {
                    i++;
                }
            }
        }
        finally
        {
            isScheduled.set(false);
            if (null != takenRevisions || !items.isEmpty())
            {
                schedule();
            }
        }
    }

    /**
     * Take the next revision, waiting at most a timeout; for a watch without a listener, one thread at a time.
     * Progress notifications are skipped.
     *
     * @param timeoutNs most time to wait.
     * @return the next revision, or null if none came within the timeout.
     * @throws MetaStoreException the terminal reason once the watch is ended and what it queued is taken, or if the
     *                            thread is interrupted.
     */
    WatchEvents poll(final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (true)
        {
            final MetaStoreException delivered = deliveredTerminalReason;
            if (null != delivered)
            {
                throw delivered;
            }

            final Object item = take();
            if (item instanceof WatchEvents events)
            {
                queuedRevisions.decrementAndGet();
                if (!isDiscarding)
                {
                    lastRevision = events.revision();
                    return events;
                }
            }
            else if (item instanceof Progress)
            {
                queuedProgress.decrementAndGet();
            }
            else if (item instanceof MetaStoreException reason)
            {
                deliveredTerminalReason = reason;
            }
            else
            {
                final long remainingNs = deadlineNs - System.nanoTime();
                if (remainingNs <= 0)
                {
                    return null;
                }

                waiter = Thread.currentThread();
                if (items.isEmpty())
                {
                    LockSupport.parkNanos(this, Math.min(remainingNs, TimeUnit.MILLISECONDS.toNanos(100)));
                }
                waiter = null;
                if (Thread.currentThread().isInterrupted())
                {
                    throw new MetaStoreException(null, "interrupted waiting for watch " + watchId);
                }
            }
        }
    }

    /**
     * @return the consumer's next item, the revisions of a batch one at a time; null if none waits.
     */
    private Object take()
    {
        if (null == takenRevisions)
        {
            final Object item = items.poll();
            if (!(item instanceof Revisions revisions))
            {
                return item;
            }
            takenRevisions = revisions;
            takenIndex = revisions.from;
        }

        final WatchEvents events = takenRevisions.list.get(takenIndex++);
        if (takenIndex == takenRevisions.to)
        {
            takenRevisions = null;
        }

        return events;
    }

    /**
     * @return true if the listener was called, false if the item was dropped unseen.
     */
    private boolean deliver(final Object item)
    {
        if (item instanceof WatchEvents events)
        {
            return deliver(events);
        }
        if (item instanceof Progress progress)
        {
            queuedProgress.decrementAndGet();
            if (!isDiscarding && null == deliveredTerminalReason)
            {
                try
                {
                    listener.onProgress(progress.header);
                }
                catch (final Throwable ex)
                {
                    errorHandler.onError(ex);
                }
                return true;
            }
        }
        else if (item instanceof MetaStoreException reason && null == deliveredTerminalReason)
        {
            deliveredTerminalReason = reason;
            try
            {
                listener.onTerminated(reason);
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
            return true;
        }

        return false;
    }

    private boolean deliver(final WatchEvents events)
    {
        queuedRevisions.decrementAndGet();
        if (!isDiscarding && null == deliveredTerminalReason)
        {
            lastRevision = events.revision();
            try
            {
                listener.onEvents(events);
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
            return true;
        }

        return false;
    }

    private void signal()
    {
        if (null == listener)
        {
            final Thread thread = waiter;
            if (null != thread)
            {
                LockSupport.unpark(thread);
            }
        }
        else
        {
            schedule();
        }
    }

    private void schedule()
    {
        if (isScheduled.compareAndSet(false, true))
        {
            if (null == executor)
            {
                // Listeners on the thread that queues: the client's I/O thread, or one that ends the watch.
                run();
                return;
            }
            try
            {
                executor.execute(this);
            }
            catch (final RejectedExecutionException ex)
            {
                isScheduled.set(false);
                errorHandler.onError(new MetaStoreException(null,
                    "watch executor refused a delivery of watch " + watchId + "; it is delivered when the next " +
                    "item is queued, if the executor takes it", ex));
            }
        }
    }

    private record Progress(ResponseHeader header)
    {
    }

    /**
     * Revisions [from, to) of a list shared with other watches.
     */
    private record Revisions(List<WatchEvents> list, int from, int to)
    {
    }
}
