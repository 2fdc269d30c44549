package io.metastore.tools.bench;

import io.metastore.client.Compare;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.Op;
import io.metastore.client.PutOptions;
import io.metastore.client.PutResult;
import io.metastore.client.RangeOptions;
import io.metastore.client.Txn;
import io.metastore.client.TxnResult;
import io.metastore.codecs.CompareResult;
import io.metastore.concurrent.TimerSlackIdleStrategy;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps up to {@code inFlight} requests outstanding (closed loop), or sends at a fixed rate (open loop) with each
 * request's latency measured from the time it was meant to be sent, so a stall is charged to every request it
 * delays (no coordinated omission). A warm-up phase runs first and is not recorded.
 */
final class BenchRunner
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The txn-put compare, {@code modRevision(key) < this}: holds for any key a run can reach.
     */
    static final long TXN_MOD_REVISION_BOUND = Long.MAX_VALUE;

    private final MetaStoreClient client;
    private final Workload workload;
    private final int inFlight;
    private final KeyGenerator keys;
    private final byte[] value;
    private final double rate;
    private final PrintWriter progress;
    private final PutOptions putOptions = new PutOptions();
    private final RangeOptions rangeOptions = new RangeOptions();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong txnSucceeded = new AtomicLong();
    private final AtomicLong txnFailed = new AtomicLong();
    private final AtomicLong newestRevision = new AtomicLong();
    private PutOptions[] leasePutOptions = new PutOptions[0];
    private long compactAtNs = -1;
    private long compactRetain;
    /**
     * How early the sending thread of a run at a rate wakes before a send is due, then waits in short parks: more
     * than a park oversleeps with the timer slack the bench's threads run with.
     */
    private static final long SEND_PARK_MARGIN_NS = TimeUnit.MICROSECONDS.toNanos(80);

    private final IdleStrategy idleStrategy = new TimerSlackIdleStrategy(
        new BackoffIdleStrategy(100, 100, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(20)));
    private long sent;

    BenchRunner(
        final MetaStoreClient client,
        final Workload workload,
        final int inFlight,
        final KeyGenerator keys,
        final byte[] value,
        final double rate,
        final PrintWriter progress)
    {
        this.client = client;
        this.workload = workload;
        this.inFlight = inFlight;
        this.keys = keys;
        this.value = value;
        this.rate = rate;
        this.progress = progress;
    }

    /**
     * Put every key of the key space once, so reads find them.
     *
     * @param keySpaceSize number of keys.
     */
    void preload(final long keySpaceSize)
    {
        final int window = Math.max(inFlight, 100);
        final AtomicLong done = new AtomicLong();
        for (long i = 0; i < keySpaceSize; i++)
        {
            awaitBelow(i, done, window);
            client.putAsync(keys.key(i), value, putOptions).whenComplete((result, error) -> done.incrementAndGet());
        }
        awaitBelow(keySpaceSize, done, 1);
    }

    /**
     * Read at a revision rather than the current one.
     *
     * @param revision to read at.
     */
    void readAt(final long revision)
    {
        rangeOptions.revision(revision);
    }

    /**
     * Read serializably, from a member's own state through its read port, rather than through the log.
     *
     * @param serializable true for serializable gets, false for linearizable ones.
     */
    void serializable(final boolean serializable)
    {
        rangeOptions.serializable(serializable);
    }

    /**
     * Compact the history during the run, from this client, as an operator would: the report then gives the latency
     * of the requests sent before the compaction and of those sent after it, while the members remove what it hides.
     *
     * @param atNs   into the measured run.
     * @param retain revisions kept: the compaction is at the newest revision a put was answered with, less these.
     */
    void compactDuringRun(final long atNs, final long retain)
    {
        compactAtNs = atNs;
        compactRetain = retain;
    }

    /**
     * Grant the leases that lease-put attaches its keys to, round robin.
     *
     * @param count      of leases.
     * @param ttlSeconds of each, longer than the run.
     */
    void grantLeases(final int count, final long ttlSeconds)
    {
        leasePutOptions = new PutOptions[count];
        for (int i = 0; i < count; i++)
        {
            leasePutOptions[i] = new PutOptions().lease(client.leaseGrant(ttlSeconds).id());
        }
    }

    /**
     * Revoke the leases granted for the run, which deletes the keys attached to them.
     */
    void revokeLeases()
    {
        for (final PutOptions options : leasePutOptions)
        {
            client.leaseRevokeAsync(options.lease()).exceptionally((error) -> null).join();
        }
        leasePutOptions = new PutOptions[0];
    }

    /**
     * Warm up: send requests as fast as the requests in flight allow, whether or not the run has a rate, and report
     * nothing. Until the JIT has compiled every request's path, on the members and in this client, its compilations
     * take a core of a small machine and the p99 with it (README, measured performance, watches). Unpaced, a long
     * warm-up of a run at a rate takes seconds, not minutes.
     *
     * @param count requests to send.
     */
    void warmUp(final long count)
    {
        run(count, 0, null, "warmup", false);
    }

    /**
     * Warm up at the run's rate, reporting nothing: the paths a paced run takes (the client's and the members' idle
     * branches) are compiled before it is measured, not during its first seconds.
     *
     * @param durationNs how long to send at the rate.
     */
    void warmUpPaced(final long durationNs)
    {
        run(0, durationNs, null, "warmup", true);
    }

    /**
     * Run a phase, at the rate if one was given.
     *
     * @param count      requests to send, or 0 to run for the duration.
     * @param durationNs how long to run when count is 0.
     * @param cpuMeter   read before and after, or null not to.
     * @param label      shown on the progress line.
     * @return what was measured.
     */
    BenchResult run(final long count, final long durationNs, final CpuMeter cpuMeter, final String label)
    {
        return run(count, durationNs, cpuMeter, label, true);
    }

    private BenchResult run(
        final long count, final long durationNs, final CpuMeter cpuMeter, final String label, final boolean isPaced)
    {
        final Recorder recorder = newRecorder();
        // Only what the run reports is recorded: the client's I/O thread completes every request.
        final Recorder perSecond = null == progress ? null : newRecorder();
        final BenchCompaction compaction = compactAtNs < 0 ? null : new BenchCompaction(newRecorder(), newRecorder());
        Histogram secondHistogram = null;
        final long intervalNs = isPaced && rate > 0 ? (long)(1e9 / rate) : 0;
        completed.set(0);
        errors.set(0);
        txnSucceeded.set(0);
        txnFailed.set(0);

        final CpuMeter.Reading cpuStart = null == cpuMeter ? CpuMeter.Reading.NONE : cpuMeter.read();
        final long startNs = System.nanoTime();
        long nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
        sent = 0;
        for (long i = 0; hasNext(i, count, intervalNs, startNs, durationNs); i++)
        {
            sent = i + 1;
            final long sendNs;
            if (intervalNs > 0)
            {
                sendNs = startNs + i * intervalNs;
                long now;
                while ((now = System.nanoTime()) < sendNs)
                {
                    // One park for most of the interval, then short ones: at 1,000/s parks of 50 µs each woke the
                    // sending thread 20 times a request, 16 % of a core on a box the node shares.
                    final long remainingNs = sendNs - now;
                    LockSupport.parkNanos(remainingNs > SEND_PARK_MARGIN_NS ?
                        remainingNs - SEND_PARK_MARGIN_NS : Math.min(remainingNs, SEND_PARK_MARGIN_NS / 4));
                }
            }
            else
            {
                sendNs = 0;
            }

            awaitBelow(i, completed, inFlight);
            final long startOfRequestNs = intervalNs > 0 ? sendNs : System.nanoTime();
            if (null != compaction && !compaction.isSent() && startOfRequestNs - startNs >= compactAtNs)
            {
                compaction.send(client, newestRevision.get() - compactRetain, startOfRequestNs - startNs);
            }
            final Recorder phase = null == compaction ? null : compaction.recorder();
            send(startOfRequestNs).whenComplete((result, error) ->
            {
                final long latencyNs = Math.min(System.nanoTime() - startOfRequestNs, TimeUnit.MINUTES.toNanos(1));
                if (null == error)
                {
                    recorder.recordValue(latencyNs);
                    if (null != perSecond)
                    {
                        perSecond.recordValue(latencyNs);
                    }
                    if (null != phase)
                    {
                        phase.recordValue(latencyNs);
                        if (result instanceof PutResult put)
                        {
                            newestRevision.getAndAccumulate(put.header().revision(), Math::max);
                        }
                    }
                    if (result instanceof TxnResult txnResult)
                    {
                        (txnResult.succeeded() ? txnSucceeded : txnFailed).incrementAndGet();
                    }
                }
                else
                {
                    errors.incrementAndGet();
                }
                completed.incrementAndGet();
            });

            final long now = System.nanoTime();
            if (null != progress && now >= nextProgressNs)
            {
                nextProgressNs = now + PROGRESS_INTERVAL_NS;
                secondHistogram = perSecond.getIntervalHistogram(secondHistogram);
                progress.printf("%s %6.1f s %,12d ops %,12.0f ops/s, this second's p99 %,10.1f µs%n", label,
                    (now - startNs) / 1e9, completed.get(), completed.get() * 1e9 / (now - startNs),
                    secondHistogram.getValueAtPercentile(99) / 1000.0);
                progress.flush();
            }
        }
        awaitBelow(sent, completed, 1);
        final long elapsedNs = System.nanoTime() - startNs;
        final CpuMeter.Reading cpu = null == cpuMeter ? CpuMeter.Reading.NONE : cpuMeter.read().since(cpuStart);

        final Histogram histogram = recorder.getIntervalHistogram();
        final long operations = histogram.getTotalCount();
        final double cpuNsPerOp = cpu.cpuNs() < 0 || operations == 0 ? -1 : cpu.cpuNs() / (double)operations;

        final boolean isTxn = Workload.TXN_PUT == workload;
        return new BenchResult(operations, errors.get(), elapsedNs, histogram, cpuNsPerOp,
            null == cpuMeter ? "" : cpuMeter.source(), cpu.nodeJitNs(), cpu.clientJitNs(),
            isTxn ? txnSucceeded.get() : -1, isTxn ? txnFailed.get() : -1,
            null == compaction ? null : compaction.result());
    }

    /**
     * Is request i of a run to be sent? At a rate, a run for a duration sends the requests due in it, however late:
     * stopping at the wall clock instead would leave out the requests a stall made late, the slowest ones.
     */
    private static boolean hasNext(
        final long i, final long count, final long intervalNs, final long startNs, final long durationNs)
    {
        if (count > 0)
        {
            return i < count;
        }
        return intervalNs > 0 ? i * intervalNs < durationNs : System.nanoTime() - startNs < durationNs;
    }

    private static Recorder newRecorder()
    {
        return new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    }

    /**
     * Wait, without a wake-up from the completing thread, until fewer than {@code window} of {@code sent}
     * requests are outstanding: the client's I/O thread only counts, it never unparks this one.
     */
    private void awaitBelow(final long sent, final AtomicLong done, final long window)
    {
        idleStrategy.reset();
        while (sent - done.get() >= window)
        {
            idleStrategy.idle();
        }
    }

    private CompletableFuture<?> send(final long sendNs)
    {
        final byte[] key = keys.nextKey();
        switch (workload)
        {
            case WATCH:
                return client.putAsync(key, WatchFanOut.timestampedValue(sendNs, value.length), putOptions);

            case RANGE:
                return client.rangeAsync(key, rangeOptions);

            case LEASE_PUT:
                return client.putAsync(key, value, leasePutOptions[(int)(sent % leasePutOptions.length)]);

            case TXN_PUT:
                return client.txnAsync(txnPut(key, value));

            default:
                return client.putAsync(key, value, putOptions);
        }
    }

    static Txn txnPut(final byte[] key, final byte[] value)
    {
        return Txn.txn()
            .when(Compare.modRevision(key, CompareResult.LESS, TXN_MOD_REVISION_BOUND))
            .then(Op.put(key, value));
    }
}
