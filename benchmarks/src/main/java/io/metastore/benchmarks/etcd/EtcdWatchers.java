package io.metastore.benchmarks.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Watchers of every key under a prefix, from a given revision: each counts the revisions it sees, the ones it misses
 * (a revision skipped in its stream, or not reached by the end) and the ones it sees twice, and times the revisions
 * that fall to it, each revision at one watcher, the watchers taking turns, as {@code metastore bench watch} does.
 * <p>
 * A put's value carries the time it was meant to be sent in its first 8 bytes and, in its 9th, whether it is timed.
 * Every revision from the first one watched is taken to be a put of the bench: nothing else may write to the etcd
 * while it runs, or its writes count as lost.
 */
final class EtcdWatchers implements AutoCloseable
{
    /**
     * Offset in a put's value of the flag that says whether the event is timed; the send time is at 0.
     */
    static final int TIMED_FLAG_OFFSET = Long.BYTES;

    private static final long MAX_LATENCY_NS = TimeUnit.MINUTES.toNanos(1);
    private static final long CATCH_UP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final List<Watcher> watchers = new ArrayList<>();
    private final List<Watch.Watcher> handles = new ArrayList<>();
    private final long firstRevision;

    EtcdWatchers(final Client client, final String prefix, final long firstRevision, final int count)
    {
        this.firstRevision = firstRevision;
        final WatchOption options = WatchOption.builder().isPrefix(true).withRevision(firstRevision).build();
        final ByteSequence watched = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++)
        {
            final Watcher watcher = new Watcher(i, count);
            watchers.add(watcher);
            handles.add(client.getWatchClient().watch(watched, options, watcher::onEvents, watcher::onError));
        }
    }

    /**
     * Wait until every watcher has seen the revision, or has ended.
     *
     * @param revision to reach.
     * @return true if all reached it, false if one ended or 60 s passed first.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean awaitRevision(final long revision) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + CATCH_UP_TIMEOUT_NS;
        for (final Watcher watcher : watchers)
        {
            while (watcher.lastRevision < revision)
            {
                if (null != watcher.failure.get() || System.nanoTime() - deadlineNs > 0)
                {
                    return false;
                }
                Thread.sleep(1);
            }
        }
        return true;
    }

    /**
     * @return revisions seen by all watchers together.
     */
    long delivered()
    {
        return sum(watcher -> watcher.delivered.get());
    }

    /**
     * @param lastRevision the last revision the bench wrote.
     * @return revisions from the first watched to the last written that a watcher did not see, for all together.
     */
    long lost(final long lastRevision)
    {
        long lost = 0;
        for (final Watcher watcher : watchers)
        {
            final long seenUpTo = Math.max(watcher.lastRevision, firstRevision - 1);
            lost += watcher.skipped.get() + Math.max(0, lastRevision - seenUpTo);
        }
        return lost;
    }

    /**
     * @return revisions seen again by a watcher, for all together.
     */
    long duplicated()
    {
        return sum(watcher -> watcher.duplicated.get());
    }

    private long sum(final ToLongFunction<Watcher> count)
    {
        long sum = 0;
        for (final Watcher watcher : watchers)
        {
            sum += count.applyAsLong(watcher);
        }
        return sum;
    }

    /**
     * @return how many watches etcd or the client ended, with the first reason, or null if none did.
     */
    String ended()
    {
        int ended = 0;
        Throwable first = null;
        for (final Watcher watcher : watchers)
        {
            final Throwable failure = watcher.failure.get();
            if (null != failure)
            {
                ended++;
                first = null == first ? failure : first;
            }
        }
        return 0 == ended ? null : ended + " (" + first + ")";
    }

    /**
     * @return put to event latencies recorded since the last call, of all watchers.
     */
    Histogram latency()
    {
        final Histogram sum = new Histogram(MAX_LATENCY_NS, 3);
        for (final Watcher watcher : watchers)
        {
            sum.add(watcher.latency.getIntervalHistogram());
        }
        return sum;
    }

    public void close()
    {
        handles.forEach(Watch.Watcher::close);
    }

    /**
     * A value for a put: its intended send time and whether it is timed, the rest zeros.
     *
     * @param valueSize  bytes, at least 9.
     * @param intendedNs when the put was meant to be sent.
     * @param isTimed    false for the warm-up's.
     * @return the value.
     */
    static ByteSequence value(final int valueSize, final long intendedNs, final boolean isTimed)
    {
        final byte[] value = new byte[valueSize];
        ByteBuffer.wrap(value).putLong(0, intendedNs).put(TIMED_FLAG_OFFSET, (byte)(isTimed ? 1 : 0));
        return ByteSequence.from(value);
    }

    private static final class Watcher
    {
        private final int index;
        private final int count;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong duplicated = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Recorder latency = new Recorder(MAX_LATENCY_NS, 3);
        // jetcd calls a watch's listener for one response at a time.
        private volatile long lastRevision;

        Watcher(final int index, final int count)
        {
            this.index = index;
            this.count = count;
        }

        void onEvents(final WatchResponse response)
        {
            final long nowNs = System.nanoTime();
            for (final WatchEvent event : response.getEvents())
            {
                final long revision = event.getKeyValue().getModRevision();
                final long last = lastRevision;
                if (revision <= last)
                {
                    duplicated.incrementAndGet();
                    continue;
                }
                if (last > 0 && revision > last + 1)
                {
                    skipped.addAndGet(revision - last - 1);
                }
                delivered.incrementAndGet();
                if (revision % count == index)
                {
                    final byte[] value = event.getKeyValue().getValue().getBytes();
                    if (value.length > TIMED_FLAG_OFFSET && 1 == value[TIMED_FLAG_OFFSET])
                    {
                        latency.recordValue(Math.min(MAX_LATENCY_NS, nowNs - ByteBuffer.wrap(value).getLong(0)));
                    }
                }
                lastRevision = revision;
            }
        }

        void onError(final Throwable error)
        {
            failure.compareAndSet(null, error);
        }
    }
}
