package io.metastore.benchmarks.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The workloads of {@code metastore bench} run against etcd through jetcd, etcd's Java client over gRPC, so that the
 * two stores are measured by one method, in one sitting, on one machine: puts and serializable gets closed loop at N
 * in flight, and watchers of every put with put to event latency from the time each put was meant to be sent.
 * <p>
 * A put's value carries its sequence number in its first 8 bytes, which is how an event finds its put's send time.
 * Each revision is timed at one watcher, the watchers taking turns, as {@code metastore bench watch} does. Only this
 * bench may write under its prefix while it runs: a revision missing from a watcher's stream counts as lost.
 */
@Command(name = "etcd-bench", mixinStandardHelpOptions = true,
    description = "metastore bench's workloads against etcd, through jetcd (etcd's Java gRPC client).")
public final class EtcdBench implements Callable<Integer>
{
    private static final long MAX_LATENCY_NS = TimeUnit.MINUTES.toNanos(1);
    private static final long SEND_PARK_MARGIN_NS = TimeUnit.MICROSECONDS.toNanos(80);

    @Parameters(index = "0", description = "Workload: put, range (gets of a preloaded key space) or watch.")
    private String workload;

    @Option(names = "--endpoints", description = "etcd's client URL (default: ${DEFAULT-VALUE}).")
    private String endpoints = "http://127.0.0.1:2379";

    @Option(names = "--clients", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    private int inFlight = 1;

    @Option(names = "--rate", description = "Requests a second, open loop; 0 for closed loop (default: 0).")
    private double rate;

    @Option(names = "--watchers", description = "watch: watchers of every put (default: ${DEFAULT-VALUE}).")
    private int watcherCount = 1;

    @Option(names = "--duration", description = "Seconds measured (default: ${DEFAULT-VALUE}).")
    private double durationSeconds = 10;

    @Option(names = "--warmup", description = "Requests sent first, unpaced and not measured (default: " +
        "${DEFAULT-VALUE}).")
    private long warmup = 100_000;

    @Option(names = "--consistency", description = "range: l (linearizable) or s (serializable) (default: " +
        "${DEFAULT-VALUE}).")
    private String consistency = "l";

    @Option(names = "--key-space-size", description = "Keys written and read, at random (default: ${DEFAULT-VALUE}).")
    private int keySpaceSize = 10_000;

    @Option(names = "--val-size", description = "Value bytes, at least 8 (default: ${DEFAULT-VALUE}).")
    private int valueSize = 256;

    @Spec
    private CommandSpec spec;

    private final PrintWriter out;
    private final Recorder latency = new Recorder(MAX_LATENCY_NS, 3);
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private String prefix;
    private long[] sendTimes = new long[0];
    private Runnable afterWarmup = () -> {};

    /**
     * @param out where the report goes.
     */
    public EtcdBench(final PrintWriter out)
    {
        this.out = out;
    }

    /**
     * Run the bench with the command line's arguments.
     *
     * @param args as {@code --help} lists them.
     */
    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        System.exit(new CommandLine(new EtcdBench(out)).execute(args));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call() throws Exception
    {
        if (valueSize < Long.BYTES || inFlight < 1 || watcherCount < 1 || keySpaceSize < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--val-size must be at least 8, --clients, --watchers and --key-space-size at least 1");
        }
        prefix = "etcd-bench/" + Long.toHexString(System.nanoTime()) + "/";
        try (Client client = Client.builder().endpoints(endpoints).build())
        {
            switch (workload)
            {
                case "put":
                    runPuts(client.getKVClient());
                    break;
                case "range":
                    runGets(client.getKVClient());
                    break;
                case "watch":
                    runWatch(client);
                    break;
                default:
                    throw new CommandLine.ParameterException(spec.commandLine(), "unknown workload " + workload);
            }
        }
        return 0;
    }

    private void runPuts(final KV kv) throws InterruptedException
    {
        final long ops = measure((sequence, intendedNs) -> put(kv, sequence, intendedNs));
        report("put", ops);
    }

    private void runGets(final KV kv) throws Exception
    {
        final boolean serializable = consistency.toLowerCase(Locale.ROOT).startsWith("s");
        final GetOption options = GetOption.builder().withSerializable(serializable).build();
        final ByteSequence value = ByteSequence.from(new byte[valueSize]);
        final List<CompletableFuture<?>> loads = new ArrayList<>();
        for (int i = 0; i < keySpaceSize; i++)
        {
            loads.add(kv.put(key(i), value));
            if (loads.size() == 100 || i == keySpaceSize - 1)
            {
                CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
                loads.clear();
            }
        }
        final long ops = measure((sequence, intendedNs) -> complete(
            kv.get(key(ThreadLocalRandom.current().nextInt(keySpaceSize)), options), intendedNs));
        report("range (" + (serializable ? "serializable" : "linearizable") + ")", ops);
    }

    private void runWatch(final Client client) throws InterruptedException
    {
        final List<Watcher> watchers = new ArrayList<>();
        final WatchOption options = WatchOption.builder().isPrefix(true).build();
        final ByteSequence watched = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        sendTimes = new long[(int)Math.min(Integer.MAX_VALUE - 8, warmup + expectedMeasured() + 1_000_000)];
        final List<Watch.Watcher> handles = new ArrayList<>();
        for (int i = 0; i < watcherCount; i++)
        {
            final Watcher watcher = new Watcher(i);
            watchers.add(watcher);
            handles.add(client.getWatchClient().watch(watched, options, Watch.listener(watcher::onEvents)));
        }
        final KV kv = client.getKVClient();
        // One put answered before the run, so that every watcher is known to be watching.
        complete(kv.put(ByteSequence.from(prefix + "start", StandardCharsets.UTF_8), ByteSequence.EMPTY), 0);
        awaitEvents(watchers, 1);
        final long[] eventsBefore = new long[1];
        afterWarmup = () -> eventsBefore[0] = sumEvents(watchers);
        final long ops = measure((sequence, intendedNs) -> put(kv, sequence, intendedNs));
        // Every put that succeeded, the one before the run included, is a revision each watcher must see once.
        final long expected = succeeded.get();
        awaitEvents(watchers, expected);
        report("watch (" + watcherCount + " watchers of every put)", ops);
        long lost = 0;
        long duplicated = 0;
        final Histogram eventLatency = new Histogram(MAX_LATENCY_NS, 3);
        for (final Watcher watcher : watchers)
        {
            lost += Math.max(0, expected - watcher.events.get());
            duplicated += watcher.duplicated.get();
            eventLatency.add(watcher.latency.getIntervalHistogram());
        }
        handles.forEach(Watch.Watcher::close);
        final long delivered = sumEvents(watchers) - eventsBefore[0];
        out.printf(Locale.ROOT, "Events: %,d delivered (%,.0f/s), %,d lost, %,d duplicated%n",
            delivered, delivered / durationSeconds, lost, duplicated);
        out.println("Put to event latency (µs, each revision timed at one watcher, in turn):");
        printPercentiles(eventLatency);
    }

    private long expectedMeasured()
    {
        return rate > 0 ? (long)(rate * durationSeconds) : (long)(200_000 * durationSeconds);
    }

    private CompletableFuture<?> put(final KV kv, final long sequence, final long intendedNs)
    {
        final byte[] value = new byte[valueSize];
        ByteBuffer.wrap(value).putLong(0, sequence);
        if (sequence < sendTimes.length)
        {
            sendTimes[(int)sequence] = intendedNs;
        }
        return complete(kv.put(key(sequence % keySpaceSize), ByteSequence.from(value)), intendedNs);
    }

    private ByteSequence key(final long index)
    {
        return ByteSequence.from(prefix + index, StandardCharsets.UTF_8);
    }

    private CompletableFuture<?> complete(final CompletableFuture<?> request, final long intendedNs)
    {
        return request.whenComplete((response, failure) ->
        {
            if (null != failure)
            {
                errors.incrementAndGet();
                return;
            }
            succeeded.incrementAndGet();
            if (intendedNs > 0)
            {
                latency.recordValue(Math.min(MAX_LATENCY_NS, System.nanoTime() - intendedNs));
            }
        });
    }

    private long measure(final Sender sender) throws InterruptedException
    {
        final Semaphore permits = new Semaphore(inFlight);
        long sequence = 0;
        for (; sequence < warmup; sequence++)
        {
            permits.acquire();
            sender.send(sequence, 0).whenComplete((r, t) -> permits.release());
        }
        permits.acquire(inFlight);
        permits.release(inFlight);
        afterWarmup.run();
        latency.reset();
        final long errorsBefore = errors.get();
        final long startNs = System.nanoTime();
        final long endNs = startNs + (long)(durationSeconds * TimeUnit.SECONDS.toNanos(1));
        final long intervalNs = rate > 0 ? (long)(TimeUnit.SECONDS.toNanos(1) / rate) : 0;
        long nextNs = startNs;
        long sent = 0;
        while (true)
        {
            final long intendedNs = rate > 0 ? nextNs : System.nanoTime();
            if (intendedNs >= endNs)
            {
                break;
            }
            if (rate > 0)
            {
                awaitTime(nextNs);
                nextNs += intervalNs;
            }
            permits.acquire();
            sender.send(sequence++, intendedNs).whenComplete((r, t) -> permits.release());
            sent++;
        }
        permits.acquire(inFlight);
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        out.printf(Locale.ROOT, "Workload %s, %d in flight%s, %.1f s after %,d warm-up, value %d B, key space %,d, " +
            "etcd at %s through jetcd%n", workload, inFlight, rate > 0 ? ", " + rate + "/s" : ", closed loop",
            durationSeconds, warmup, valueSize, keySpaceSize, endpoints);
        out.printf(Locale.ROOT, "Operations: %,d in %.2f s, %,d errors (%,d in the warm-up)%nThroughput: %,.0f ops/s%n",
            sent, seconds, errors.get() - errorsBefore, errorsBefore, sent / seconds);
        return sent;
    }

    private static void awaitTime(final long deadlineNs)
    {
        long remainingNs;
        while ((remainingNs = deadlineNs - System.nanoTime()) > 0)
        {
            if (remainingNs > SEND_PARK_MARGIN_NS)
            {
                LockSupport.parkNanos(remainingNs - SEND_PARK_MARGIN_NS);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    private void report(final String what, final long ops)
    {
        out.println("Latency (µs), " + what + ", " + ops + " measured:");
        printPercentiles(latency.getIntervalHistogram());
    }

    private void printPercentiles(final Histogram histogram)
    {
        for (final double percentile : new double[]{ 50, 90, 99, 99.9 })
        {
            out.printf(Locale.ROOT, "  p%-12s %,12.1f%n", trim(percentile),
                histogram.getValueAtPercentile(percentile) / 1e3);
        }
        out.printf(Locale.ROOT, "  %-13s %,12.1f%n", "max", histogram.getMaxValue() / 1e3);
        out.printf(Locale.ROOT, "  %-13s %,12d%n", "count", histogram.getTotalCount());
    }

    private static String trim(final double percentile)
    {
        return percentile == Math.rint(percentile) ? Long.toString((long)percentile) : Double.toString(percentile);
    }

    private static long sumEvents(final List<Watcher> watchers)
    {
        long sum = 0;
        for (final Watcher watcher : watchers)
        {
            sum += watcher.events.get();
        }
        return sum;
    }

    private void awaitEvents(final List<Watcher> watchers, final long each) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (final Watcher watcher : watchers)
        {
            while (watcher.events.get() < each && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(1);
            }
        }
    }

    @FunctionalInterface
    private interface Sender
    {
        CompletableFuture<?> send(long sequence, long intendedNs);
    }

    private final class Watcher
    {
        private final int index;
        private final AtomicLong events = new AtomicLong();
        private final AtomicLong duplicated = new AtomicLong();
        private final Recorder latency = new Recorder(MAX_LATENCY_NS, 3);
        private long lastRevision;

        Watcher(final int index)
        {
            this.index = index;
        }

        void onEvents(final WatchResponse response)
        {
            final long nowNs = System.nanoTime();
            for (final WatchEvent event : response.getEvents())
            {
                final long revision = event.getKeyValue().getModRevision();
                if (revision <= lastRevision)
                {
                    duplicated.incrementAndGet();
                    continue;
                }
                lastRevision = revision;
                events.incrementAndGet();
                final byte[] value = event.getKeyValue().getValue().getBytes();
                if (value.length >= Long.BYTES && revision % watcherCount == index)
                {
                    final long sequence = ByteBuffer.wrap(value).getLong(0);
                    final long sentNs = sequence >= warmup && sequence < sendTimes.length ?
                        sendTimes[(int)sequence] : 0;
                    if (sentNs > 0)
                    {
                        latency.recordValue(Math.min(MAX_LATENCY_NS, nowNs - sentNs));
                    }
                }
            }
        }
    }
}
