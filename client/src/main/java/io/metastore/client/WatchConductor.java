package io.metastore.client;

import io.metastore.codecs.ErrorCode;
import io.metastore.protocol.Protocol;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's watches, on its I/O thread: which are created at the member of the read session, what each has
 * delivered, and what to send. No Aeron type: commands come from callers through a queue, decoded messages from the
 * {@link ReadSession}, and requests go out through {@link ReadRequests}.
 * <p>
 * <b>Incarnations.</b> A watch is created at a member under a wire watch id of its own, new at each creation
 * (first, after a failover, after a pause), so a message of an incarnation given up (canceled, paused, left on a lost
 * member) never reaches the watch of today: it names an id no longer known and is dropped.
 * <p>
 * <b>No gap, no duplicate.</b> A watch keeps the first revision it has not yet queued ({@code nextRevision}): the
 * revision after the last queued, after the last progress notification, or, before either, the start revision the
 * member reported (or asked for). Every creation asks from it, and an event below it is a duplicate and dropped. A
 * revision split over several {@code WatchEvents} (fragment) is put together before it is queued; one half received
 * is dropped with its incarnation, and asked for again whole.
 * <p>
 * <b>Failover.</b> When the session is lost ({@link #onSessionLost(int)}), every watch created there is to be
 * created again on the next session. The member lost may still hold them (it keeps a session for a while, and a
 * connect again to it keeps its watches), so their wire ids are kept and canceled when a session with that member
 * opens again.
 * <p>
 * <b>Slow consumers.</b> Revisions wait for their listener in a bounded queue per watch ({@link WatchDelivery}).
 * When it is full, or a message brings more than it has room for, the watch is paused: canceled at the member, and
 * the rest dropped. Once the listener has taken all but a quarter of it, the watch is created again from the
 * revision after the last queued, and the member catches it up from its history (or ends it with {@code COMPACTED}
 * if it fell behind a compaction meanwhile). So memory is bounded per watch, and a slow listener holds up neither
 * the client's requests nor, beyond the executor's own hand-off (about 20 ms with the client's
 * {@link WatchThreads}), other watches.
 */
final class WatchConductor
{
    private static final long RESUME_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int COMMAND_LIMIT = 1024;
    private static final Object PROGRESS_REQUEST = new Object();

    private final int queueRevisions;
    private final int resumeRevisions;
    private final Executor executor;
    private final WatchThreads watchThreads;
    private final ErrorHandler errorHandler;
    private final AtomicLong watchIds = new AtomicLong();
    private final ManyToOneConcurrentLinkedQueue<Object> commands = new ManyToOneConcurrentLinkedQueue<>();
    private final Long2ObjectHashMap<WatchState> watchesById = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<WatchState> watchesByWireId = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<WatchState> watchesByCreateCorrelationId = new Long2ObjectHashMap<>();
    private final LongArrayList pendingCancels = new LongArrayList();
    private final Int2ObjectHashMap<LongArrayList> orphansByMemberId = new Int2ObjectHashMap<>();
    private long nextWireId = 1;
    private int pendingCreateCount;
    private int pausedCount;
    private long nextResumeCheckNs;
    private boolean isProgressRequested;
    private boolean isSessionWanted;
    private List<WatchEvent> lastMessageEvents;
    private List<WatchEvents> lastMessageRevisions;

    /**
     * @param queueRevisions most revisions a watch queues for its listener before it is paused.
     * @param executor       that runs listeners.
     * @param errorHandler   for errors no watch can be told of, and exceptions of listeners.
     */
    WatchConductor(final int queueRevisions, final Executor executor, final ErrorHandler errorHandler)
    {
        this(queueRevisions, executor, null, errorHandler);
    }

    /**
     * @param queueRevisions most revisions a watch queues for its listener before it is paused.
     * @param executor       that runs listeners; null to run them on the I/O thread as their events are read.
     * @param watchThreads   the client's own threads for listeners, to be kept from being held up; or null.
     * @param errorHandler   for errors no watch can be told of, and exceptions of listeners.
     */
    WatchConductor(
        final int queueRevisions,
        final Executor executor,
        final WatchThreads watchThreads,
        final ErrorHandler errorHandler)
    {
        this.queueRevisions = queueRevisions;
        this.resumeRevisions = queueRevisions / 4;
        this.executor = executor;
        this.watchThreads = watchThreads;
        this.errorHandler = errorHandler;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Any thread
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Start a watch: it is created at a member by the I/O thread.
     *
     * @param key      the watched keys start at.
     * @param options  of the watch.
     * @param listener to deliver to, or null for a watch read by a {@link WatchIterator}.
     * @return the watch.
     */
    Watch newWatch(final byte[] key, final WatchOptions options, final WatchListener listener)
    {
        final long id = watchIds.incrementAndGet();
        final WatchDelivery delivery = new WatchDelivery(id, listener, executor, errorHandler, queueRevisions);
        final Watch watch = new Watch(id, delivery, this);
        commands.offer(new WatchState(id, WatchSpec.of(key, options), delivery));

        return watch;
    }

    /**
     * Forget a watch its client ended, and cancel it at the member.
     *
     * @param id of the watch.
     */
    void cancel(final long id)
    {
        commands.offer(new Cancel(id));
    }

    /**
     * Ask the member of the read session for a progress notification of every watch.
     */
    void requestProgress()
    {
        commands.offer(PROGRESS_REQUEST);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The I/O thread
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * @return true once a watch was started: the read session is opened on the first and kept.
     */
    boolean isSessionWanted()
    {
        return isSessionWanted;
    }

    /**
     * Take the callers' commands, resume the paused watches whose listener caught up, and send what waits to be
     * sent while a session is open.
     *
     * @param nowNs    the time now.
     * @param requests to send through.
     * @return work done.
     */
    int doWork(final long nowNs, final ReadRequests requests)
    {
        int workCount = drainCommands();
        if (null != watchThreads)
        {
            workCount += watchThreads.checkHeldUp(nowNs);
        }
        if (pausedCount > 0 && nowNs - nextResumeCheckNs >= 0)
        {
            nextResumeCheckNs = nowNs + RESUME_CHECK_INTERVAL_NS;
            workCount += resumeCaughtUp();
        }

        if (requests.isOpen())
        {
            workCount += sendCancels(requests);
            if (pendingCreateCount > 0)
            {
                workCount += sendCreates(requests);
            }
            if (isProgressRequested && 0 != requests.watchProgress())
            {
                isProgressRequested = false;
                workCount++;
            }
        }

        return workCount;
    }

    /**
     * A read session with a member is open: cancel there the incarnations it may still hold from before.
     *
     * @param memberId of the member.
     */
    void onSessionOpened(final int memberId)
    {
        final LongArrayList orphans = orphansByMemberId.remove(memberId);
        if (null != orphans)
        {
            pendingCancels.addAll(orphans);
        }
    }

    /**
     * The read session with a member is lost: every watch created there is created again on the next session, from
     * its next revision, and its incarnation there is canceled if a session with that member opens again.
     *
     * @param memberId of the member.
     */
    void onSessionLost(final int memberId)
    {
        final LongArrayList orphans = new LongArrayList();
        orphans.addAll(pendingCancels);
        pendingCancels.clear();
        for (final WatchState watch : watchesById.values())
        {
            if (WatchState.CREATING == watch.state || WatchState.ACTIVE == watch.state)
            {
                orphans.addLong(watch.wireId);
                watch.toPendingCreate();
                pendingCreateCount++;
            }
        }
        watchesByWireId.clear();
        watchesByCreateCorrelationId.clear();

        if (!orphans.isEmpty())
        {
            final LongArrayList existing = orphansByMemberId.get(memberId);
            if (null == existing)
            {
                orphansByMemberId.put(memberId, orphans);
            }
            else
            {
                existing.addAll(orphans);
            }
        }
    }

    /**
     * The member created a watch.
     *
     * @param correlationId of the create request.
     * @param wireId        of the watch's incarnation.
     * @param startRevision the first revision the member delivers.
     */
    void onWatchCreated(final long correlationId, final long wireId, final long startRevision)
    {
        final WatchState watch = watchesByWireId.get(wireId);
        if (null != watch && WatchState.CREATING == watch.state)
        {
            watchesByCreateCorrelationId.remove(watch.createCorrelationId);
            watch.state = WatchState.ACTIVE;
            if (0 == watch.nextRevision)
            {
                watch.nextRevision = startRevision;
            }
        }
    }

    /**
     * The member refused a request: a create ends its watch; a cancel of a watch the member no longer has is
     * expected (an incarnation given up); anything else goes to the error handler.
     *
     * @param correlationId   of the request.
     * @param code            why.
     * @param compactRevision the member's compacted revision, for {@code COMPACTED}.
     * @param message         for a person.
     */
    void onError(final long correlationId, final ErrorCode code, final long compactRevision, final String message)
    {
        final WatchState watch = watchesByCreateCorrelationId.remove(correlationId);
        if (null != watch && WatchState.CREATING == watch.state)
        {
            terminate(watch, error(code, compactRevision, message));
        }
        else if (ErrorCode.WATCH_NOT_FOUND != code)
        {
            errorHandler.onError(new MetaStoreException(
                code, "read session request correlationId=" + correlationId + " refused: " + message));
        }
    }

    /**
     * Events of a watch: put each revision together, drop the duplicates, queue each revision whole, and pause the
     * watch if its queue is full or could not take them all.
     *
     * @param wireId   of the watch's incarnation.
     * @param fragment true if the last revision of these events goes on in the next message of the watch.
     * @param events   in revision order.
     * @param header   of the member's message.
     */
    void onWatchEvents(
        final long wireId, final boolean fragment, final List<WatchEvent> events, final ResponseHeader header)
    {
        final WatchState watch = watchesByWireId.get(wireId);
        if (null == watch || watch.delivery.isTerminated())
        {
            return;
        }

        if (!fragment && watch.partial.isEmpty())
        {
            queueWhole(watch, revisions(events, header));
            return;
        }

        for (int i = 0, size = events.size(); i < size; i++)
        {
            final WatchEvent event = events.get(i);
            final long revision = event.revision();
            if (revision < watch.nextRevision)
            {
                continue;
            }

            if (!watch.partial.isEmpty() && revision != watch.partialRevision)
            {
                if (revision < watch.partialRevision)
                {
                    errorHandler.onError(new MetaStoreException(null, "watch " + watch.id + " got revision " +
                        revision + " after " + watch.partialRevision + "; event dropped"));
                    continue;
                }

                if (!queuePartial(watch, header))
                {
                    return;
                }
            }
            watch.partial.add(event);
            watch.partialRevision = revision;
        }

        if (!fragment && !watch.partial.isEmpty())
        {
            queuePartial(watch, header);
        }
    }

    /**
     * The member ended a watch.
     *
     * @param wireId          of the watch's incarnation.
     * @param code            why: {@code COMPACTED} or {@code CANCELED}.
     * @param compactRevision the member's compacted revision, for {@code COMPACTED}.
     * @param message         for a person.
     */
    void onWatchCanceled(final long wireId, final ErrorCode code, final long compactRevision, final String message)
    {
        final WatchState watch = watchesByWireId.get(wireId);
        if (null != watch)
        {
            terminate(watch, error(code, compactRevision, message));
        }
    }

    /**
     * Every change up to a revision was sent to one watch, or to every watch of the session.
     *
     * @param correlationId of the progress request answered, 0 if none.
     * @param wireId        of the watch's incarnation, or {@link Protocol#ALL_WATCHES}.
     * @param header        of the member's message; its revision, the one reached.
     */
    void onWatchProgress(final long correlationId, final long wireId, final ResponseHeader header)
    {
        if (Protocol.ALL_WATCHES == wireId)
        {
            for (final WatchState watch : watchesById.values())
            {
                // A watch created after the request was sent is not spoken for.
                if (WatchState.ACTIVE == watch.state &&
                    (0 == correlationId || watch.createCorrelationId < correlationId))
                {
                    progress(watch, header);
                }
            }
        }
        else
        {
            final WatchState watch = watchesByWireId.get(wireId);
            if (null != watch && WatchState.ACTIVE == watch.state)
            {
                progress(watch, header);
            }
        }
    }

    /**
     * End every watch, the client closing: their listeners are told, what they queued is dropped.
     */
    void close()
    {
        final MetaStoreException reason = new MetaStoreException(null, "client closed");
        Object command;
        while (null != (command = commands.poll()))
        {
            if (command instanceof WatchState watch)
            {
                watch.delivery.terminate(reason, true);
            }
        }

        for (final WatchState watch : watchesById.values())
        {
            watch.delivery.terminate(reason, true);
        }
        watchesById.clear();
        watchesByWireId.clear();
        watchesByCreateCorrelationId.clear();
        pendingCreateCount = 0;
        pausedCount = 0;
    }

    /**
     * @return watches not ended, for tests.
     */
    int watchCount()
    {
        return watchesById.size();
    }

    private int drainCommands()
    {
        int count = 0;
        Object command;
        while (count < COMMAND_LIMIT && null != (command = commands.poll()))
        {
            count++;
            if (command instanceof WatchState watch)
            {
                isSessionWanted = true;
                if (!watch.delivery.isTerminated())
                {
                    watchesById.put(watch.id, watch);
                    pendingCreateCount++;
                }
            }
            else if (command instanceof Cancel cancel)
            {
                final WatchState watch = watchesById.get(cancel.id);
                if (null != watch)
                {
                    if (WatchState.CREATING == watch.state || WatchState.ACTIVE == watch.state)
                    {
                        pendingCancels.addLong(watch.wireId);
                    }
                    remove(watch);
                }
            }
            else if (PROGRESS_REQUEST == command)
            {
                isProgressRequested = !watchesById.isEmpty();
            }
        }

        return count;
    }

    private int resumeCaughtUp()
    {
        int resumed = 0;
        for (final WatchState watch : watchesById.values())
        {
            if (WatchState.PAUSED == watch.state && watch.delivery.queuedRevisions() <= resumeRevisions)
            {
                watch.state = WatchState.PENDING_CREATE;
                pausedCount--;
                pendingCreateCount++;
                resumed++;
            }
        }

        return resumed;
    }

    private int sendCancels(final ReadRequests requests)
    {
        int sent = 0;
        for (int i = pendingCancels.size() - 1; i >= 0; i--)
        {
            if (0 == requests.watchCancel(pendingCancels.getLong(i)))
            {
                break;
            }
            pendingCancels.removeAt(i);
            sent++;
        }

        return sent;
    }

    private int sendCreates(final ReadRequests requests)
    {
        int sent = 0;
        for (final WatchState watch : watchesById.values())
        {
            if (WatchState.PENDING_CREATE == watch.state)
            {
                final long wireId = nextWireId;
                final long correlationId = requests.watchCreate(wireId, watch.nextRevision, watch.spec);
                if (0 == correlationId)
                {
                    break;
                }

                nextWireId++;
                watch.state = WatchState.CREATING;
                watch.wireId = wireId;
                watch.createCorrelationId = correlationId;
                watch.clearPartial();
                watchesByWireId.put(wireId, watch);
                watchesByCreateCorrelationId.put(correlationId, watch);
                pendingCreateCount--;
                sent++;
            }
        }

        return sent;
    }

    /**
     * The events of a message that holds whole revisions only, a {@link WatchEvents} a revision, made once for every
     * watch the message is for: they are given the same list of events, one after the other.
     */
    private List<WatchEvents> revisions(final List<WatchEvent> events, final ResponseHeader header)
    {
        if (events != lastMessageEvents)
        {
            final List<WatchEvents> revisions = new ArrayList<>();
            int start = 0;
            for (int i = 1, size = events.size(); i <= size; i++)
            {
                if (i == size || events.get(i).revision() != events.get(start).revision())
                {
                    revisions.add(new WatchEvents(
                        events.get(start).revision(), Collections.unmodifiableList(events.subList(start, i)), header));
                    start = i;
                }
            }
            lastMessageRevisions = revisions;
            lastMessageEvents = events;
        }

        return lastMessageRevisions;
    }

    /**
     * Queue the whole revisions a watch has not had, as many as its queue takes; pause the watch if that fills it.
     */
    private void queueWhole(final WatchState watch, final List<WatchEvents> revisions)
    {
        final int size = revisions.size();
        int from = 0;
        while (from < size && revisions.get(from).revision() < watch.nextRevision)
        {
            from++;
        }
        if (from == size)
        {
            return;
        }

        final int room = queueRevisions - watch.delivery.queuedRevisions();
        final int to = Math.min(size, from + Math.max(0, room));
        if (to > from)
        {
            watch.nextRevision = revisions.get(to - 1).revision() + 1;
            watch.delivery.offerRevisions(revisions, from, to);
        }
        // Revisions left out are asked for again when the watch resumes: it must pause, whatever the listener has
        // taken meanwhile.
        if (to < size || watch.delivery.queuedRevisions() >= queueRevisions)
        {
            pause(watch);
        }
    }

    /**
     * Queue the revision put together; pause the watch if that fills its queue.
     *
     * @return true if the watch may queue more.
     */
    private boolean queuePartial(final WatchState watch, final ResponseHeader header)
    {
        final long revision = watch.partialRevision;
        final List<WatchEvent> events = Collections.unmodifiableList(watch.partial);
        watch.partial = new ArrayList<>();
        watch.nextRevision = revision + 1;
        watch.delivery.offerEvents(new WatchEvents(revision, events, header));

        if (watch.delivery.queuedRevisions() >= queueRevisions)
        {
            pause(watch);
            return false;
        }

        return true;
    }

    private void pause(final WatchState watch)
    {
        pendingCancels.addLong(watch.wireId);
        watchesByWireId.remove(watch.wireId);
        watchesByCreateCorrelationId.remove(watch.createCorrelationId);
        watch.clearPartial();
        watch.state = WatchState.PAUSED;
        pausedCount++;
    }

    private void progress(final WatchState watch, final ResponseHeader header)
    {
        final long revision = header.revision();
        // A revision half received is not yet delivered; an older notification tells nothing.
        if (watch.partial.isEmpty() && revision + 1 >= watch.nextRevision)
        {
            watch.nextRevision = revision + 1;
            watch.delivery.offerProgress(header);
        }
    }

    private void terminate(final WatchState watch, final MetaStoreException reason)
    {
        watch.delivery.terminate(reason, false);
        remove(watch);
    }

    private void remove(final WatchState watch)
    {
        watchesById.remove(watch.id);
        switch (watch.state)
        {
            case WatchState.PENDING_CREATE -> pendingCreateCount--;
            case WatchState.PAUSED -> pausedCount--;
            default ->
            {
                watchesByWireId.remove(watch.wireId);
                watchesByCreateCorrelationId.remove(watch.createCorrelationId);
            }
        }
    }

    private static MetaStoreException error(final ErrorCode code, final long compactRevision, final String message)
    {
        return ErrorCode.COMPACTED == code ?
            new CompactedException(compactRevision, message) : new MetaStoreException(code, message);
    }

    private record Cancel(long id)
    {
    }

    /**
     * A watch as the I/O thread sees it. Handed over through the command queue, then touched by that thread only.
     */
    private static final class WatchState
    {
        /**
         * To be created on the session open, or the next one.
         */
        static final int PENDING_CREATE = 0;

        /**
         * Create request sent, its answer not yet received.
         */
        static final int CREATING = 1;

        /**
         * Created at the member of the session.
         */
        static final int ACTIVE = 2;

        /**
         * Canceled at the member while its listener catches up.
         */
        static final int PAUSED = 3;

        final long id;
        final WatchSpec spec;
        final WatchDelivery delivery;
        int state = PENDING_CREATE;
        long wireId;
        long createCorrelationId;
        long nextRevision;
        long partialRevision;
        ArrayList<WatchEvent> partial = new ArrayList<>();

        WatchState(final long id, final WatchSpec spec, final WatchDelivery delivery)
        {
            this.id = id;
            this.spec = spec;
            this.delivery = delivery;
            this.nextRevision = spec.startRevision();
        }

        void toPendingCreate()
        {
            state = PENDING_CREATE;
            clearPartial();
        }

        void clearPartial()
        {
            if (!partial.isEmpty())
            {
                partial = new ArrayList<>();
            }
        }
    }
}
