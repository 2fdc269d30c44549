package io.metastore.tools.bench;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.Watch;
import io.metastore.client.WatchEvent;
import io.metastore.client.WatchEvents;
import io.metastore.client.WatchListener;
import io.metastore.client.WatchOptions;
import io.metastore.protocol.KeyRanges;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.CloseHelper;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The watchers of {@code bench watch}: each watches every key from a revision on, on clients of their own, and
 * measures an event's latency from its put's send time, which the put carries in the first 8 bytes of its value
 * ({@link System#nanoTime()} of this process); with several watchers each revision is timed at one of them, in turn.
 * Every revision is a bench put, so each watcher is owed each revision once: what it did not get is lost, what it got
 * twice duplicated.
 */
final class WatchFanOut implements AutoCloseable
{
    private static final long MAX_LATENCY_NS = TimeUnit.MINUTES.toNanos(1);
    private static final double[] PERCENTILES = { 50, 90, 99, 99.9 };

    private final List<MetaStoreClient> clients = new ArrayList<>();
    private final List<MetaStoreClient> ownClients = new ArrayList<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final long startRevision;
    private volatile long firstRevision;

    /**
     * Start the watchers at the revision after the current one.
     *
     * @param shared        the client that puts, which holds the watchers when {@code clientCount} is 0.
     * @param connect       makes a client for watchers.
     * @param clientCount   clients of their own the watchers are spread over, 0 for the shared one.
     * @param watcherCount  watchers.
     * @param fromRevision  first revision each watcher is owed.
     */
    WatchFanOut(
        final MetaStoreClient shared,
        final Supplier<MetaStoreClient> connect,
        final int clientCount,
        final int watcherCount,
        final long fromRevision)
    {
        this.startRevision = fromRevision;
        this.firstRevision = fromRevision;
        try
        {
            for (int i = 0; i < clientCount; i++)
            {
                final MetaStoreClient client = connect.get();
                ownClients.add(client);
                clients.add(client);
            }
            if (clients.isEmpty())
            {
                clients.add(shared);
            }
            final WatchOptions options = new WatchOptions().fromKey().startRevision(fromRevision);
            for (int i = 0; i < watcherCount; i++)
            {
                final Watcher watcher = new Watcher(i, watcherCount);
                watcher.watch = clients.get(i % clients.size()).watch(KeyRanges.fromKey(), options, watcher);
                watchers.add(watcher);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Count only the revisions after the warm-up's, once every watcher has had the warm-up's: the watchers were
     * started before the warm-up, so that what serves them is compiled by the time the measured puts start, and what
     * they got before is not reported.
     *
     * @param lastWarmUpRevision the newest revision of the warm-up.
     * @param warnings           told if a watcher had still not had every revision of the warm-up after a minute.
     */
    void measureAfter(final long lastWarmUpRevision, final PrintWriter warnings)
    {
        if (lastWarmUpRevision < firstRevision)
        {
            return;
        }
        awaitDelivered(lastWarmUpRevision, TimeUnit.SECONDS.toNanos(60));
        firstRevision = lastWarmUpRevision + 1;
        boolean isCaughtUp = true;
        for (final Watcher watcher : watchers)
        {
            // A watcher's listener sets its last revision only once it has counted it: none is counted after this.
            isCaughtUp &= watcher.lastRevision.get() >= lastWarmUpRevision || null != watcher.ended;
            // Counted from here: the listener alone writes its counts, so a call still running keeps what it adds.
            watcher.revisionsBefore = watcher.revisions.get();
            watcher.duplicatedBefore = watcher.duplicated.get();
            watcher.latency.reset();
        }
        if (!isCaughtUp)
        {
            warnings.println("warning: watchers still behind the warm-up after 60 s: the measured run starts with " +
                "their backlog");
            warnings.flush();
        }
    }

    /**
     * @param sendNs the put's send time.
     * @param size   of the value.
     * @return a value carrying the send time.
     */
    static byte[] timestampedValue(final long sendNs, final int size)
    {
        final byte[] value = new byte[Math.max(Long.BYTES, size)];
        ByteBuffer.wrap(value).putLong(0, sendNs);
        return value;
    }

    /**
     * Wait until every watcher has had every revision up to one, or a timeout.
     *
     * @param lastRevision to wait for.
     * @param timeoutNs    longest to wait.
     * @return nanoTime when the last watcher got there, or when the wait gave up.
     */
    long awaitDelivered(final long lastRevision, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        for (final Watcher watcher : watchers)
        {
            while (watcher.lastRevision.get() < lastRevision && null == watcher.ended &&
                System.nanoTime() - deadlineNs < 0)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        return System.nanoTime();
    }

    /**
     * What the watchers received between the first revision and the last.
     *
     * @param lastRevision last revision owed.
     * @param startNs      when the puts started.
     * @param endNs        when the last watcher had everything.
     * @return the counts and the put to event latency.
     */
    Summary summarise(final long lastRevision, final long startNs, final long endNs)
    {
        final long owed = lastRevision - firstRevision + 1;
        long delivered = 0;
        long lost = 0;
        long duplicated = 0;
        int ended = 0;
        final Histogram latency = new Histogram(MAX_LATENCY_NS, 3);
        for (final Watcher watcher : watchers)
        {
            latency.add(watcher.latency.getIntervalHistogram());
            final long revisions = watcher.revisions.get() - watcher.revisionsBefore;
            final long watcherDuplicated = watcher.duplicated.get() - watcher.duplicatedBefore;
            delivered += revisions;
            lost += Math.max(0, owed - (revisions - watcherDuplicated));
            duplicated += watcherDuplicated;
            ended += null == watcher.ended ? 0 : 1;
        }
        return new Summary(watchers.size(), ownClients.size(), startRevision, firstRevision, lastRevision, delivered,
            delivered * 1e9 / Math.max(1, endNs - startNs), lost, duplicated, ended, latency);
    }

    /**
     * What the watchers received, as {@link #summarise(long, long, long)} counts it.
     *
     * @param watchers        watching.
     * @param ownClients      clients of their own the watchers were spread over, 0 for the client that puts.
     * @param startRevision   the revision the watchers started from.
     * @param firstRevision   the first revision counted.
     * @param lastRevision    the last revision counted.
     * @param delivered       revisions delivered, duplicates included.
     * @param eventsPerSecond revisions delivered a second, from the first put to the last delivery.
     * @param lost            revisions owed and not delivered.
     * @param duplicated      revisions delivered more than once.
     * @param ended           watches ended by their member before the end.
     * @param latency         from each put's send time to its event, in nanoseconds.
     */
    record Summary(
        int watchers,
        int ownClients,
        long startRevision,
        long firstRevision,
        long lastRevision,
        long delivered,
        double eventsPerSecond,
        long lost,
        long duplicated,
        int ended,
        Histogram latency)
    {
        /**
         * @return true if no event was lost or duplicated and no watch ended early.
         */
        boolean isComplete()
        {
            return 0 == lost && 0 == duplicated && 0 == ended;
        }

        void print(final PrintWriter out)
        {
            out.printf(Locale.ROOT, "Watch: %d watcher%s on %s, revisions %d to %d%s%n", watchers,
                1 == watchers ? "" : "s",
                0 == ownClients ? "the client that puts" : ownClients + " clients of their own",
                firstRevision, lastRevision, startRevision < firstRevision ?
                " (watching from revision " + startRevision + ", before the warm-up)" : "");
            out.printf(Locale.ROOT, "Events: %,d delivered (%,.0f/s), %,d lost, %,d duplicated, %d watches ended%n",
                delivered, eventsPerSecond, lost, duplicated, ended);
            out.println(1 == watchers ? "Put to event latency (µs):" :
                "Put to event latency (µs, each revision timed at one watcher, in turn):");
            for (final double percentile : PERCENTILES)
            {
                out.printf(Locale.ROOT, "  p%-6s %,12.1f%n",
                    BenchReport.format(percentile), latency.getValueAtPercentile(percentile) / 1000.0);
            }
            out.printf(Locale.ROOT, "  max     %,12.1f%n", latency.getMaxValue() / 1000.0);
        }

        /**
         * @return the summary as the value of a JSON object's field, {@code "watch":{...}}.
         */
        String json()
        {
            final StringBuilder sb = new StringBuilder("\"watch\":{")
                .append("\"watchers\":").append(watchers)
                .append(",\"own_clients\":").append(ownClients)
                .append(",\"start_revision\":").append(startRevision)
                .append(",\"first_revision\":").append(firstRevision)
                .append(",\"last_revision\":").append(lastRevision)
                .append(",\"delivered\":").append(delivered)
                .append(",\"events_s\":").append(String.format(Locale.ROOT, "%.1f", eventsPerSecond))
                .append(",\"lost\":").append(lost)
                .append(",\"duplicated\":").append(duplicated)
                .append(",\"ended\":").append(ended)
                .append(",\"latency_us\":");
            BenchReport.appendLatency(sb, latency);
            return sb.append('}').toString();
        }
    }

    public void close()
    {
        for (final Watcher watcher : watchers)
        {
            CloseHelper.quietClose(watcher.watch);
        }
        ownClients.forEach(CloseHelper::quietClose);
    }

    /**
     * One watch's counts.
     */
    private final class Watcher implements WatchListener
    {
        private final AtomicLong lastRevision = new AtomicLong();
        private final AtomicLong revisions = new AtomicLong();
        private final AtomicLong duplicated = new AtomicLong();
        // One each: a recorder shared by the watchers' threads would have them contend for its counts on every event.
        private final SingleWriterRecorder latency = new SingleWriterRecorder(MAX_LATENCY_NS, 3);
        private final int index;
        private final int watcherCount;
        private long revisionsBefore;
        private long duplicatedBefore;
        private volatile MetaStoreException ended;
        private Watch watch;

        Watcher(final int index, final int watcherCount)
        {
            this.index = index;
            this.watcherCount = watcherCount;
        }

        /**
         * Counts every revision; measures the latency of one revision in {@code watcherCount}, the watchers taking
         * turns, so each revision is timed at one watcher and every watcher's share is timed: reading the clock and
         * recording for every watcher of every event took a third of the listeners' threads with 100 watchers, load
         * that the members' share of the cores then went without. Calls for one watch come one at a time, so its
         * counts are written without atomic updates, and only here: the measured run counts from what they were when
         * it started.
         */
        public void onEvents(final WatchEvents events)
        {
            final long revision = events.revision();
            final long last = lastRevision.get();
            if (revision >= firstRevision)
            {
                if (revision <= last)
                {
                    duplicated.lazySet(duplicated.get() + 1);
                }
                revisions.lazySet(revisions.get() + 1);
                if (revision % watcherCount == index)
                {
                    recordLatency(events);
                }
            }
            // Last, once counted: what waits for this revision then finds it counted.
            if (revision > last)
            {
                lastRevision.lazySet(revision);
            }
        }

        private void recordLatency(final WatchEvents events)
        {
            final long nowNs = System.nanoTime();
            for (final WatchEvent event : events.events())
            {
                final byte[] value = event.kv().value();
                if (value.length >= Long.BYTES)
                {
                    final long latencyNs = nowNs - ByteBuffer.wrap(value).getLong(0);
                    latency.recordValue(Math.min(MAX_LATENCY_NS, Math.max(0, latencyNs)));
                }
            }
        }

        public void onTerminated(final MetaStoreException reason)
        {
            if (null != reason.code())
            {
                ended = reason;
            }
        }
    }
}
