package io.metastore.benchmarks.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.GetOption;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
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
 * two stores are measured by one method, in one sitting, on one machine: puts and gets closed loop at N in flight or
 * open loop at a rate, each request's latency from the time it was meant to be sent (at a rate) or was sent (closed
 * loop, once a slot is free), a warm-up first that is not measured, and watchers of every put with put to event
 * latency, lost and duplicated events ({@link EtcdWatchers}). Keys are 16 bytes, a run's own prefix and a number
 * picked at random over the key space; the exit status is 1 when a request failed or an event was lost.
 */
@Command(name = "etcd-bench", mixinStandardHelpOptions = true,
    description = "metastore bench's workloads against etcd, through jetcd (etcd's Java gRPC client).")
public final class EtcdBench implements Callable<Integer>
{
    private static final long MAX_LATENCY_NS = TimeUnit.MINUTES.toNanos(1);
    private static final long SEND_PARK_MARGIN_NS = TimeUnit.MICROSECONDS.toNanos(80);
    private static final int KEY_LENGTH = 16;
    private static final int MIN_VALUE_SIZE = 16;
    private static final int MAX_KEY_SPACE = 1_000_000_000;
    private static final double MAX_RATE = 1e7;

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

    @Option(names = "--val-size", description = "Value bytes, at least 16 (default: ${DEFAULT-VALUE}).")
    private int valueSize = 256;

    @Spec
    private CommandSpec spec;

    private final PrintWriter out;
    private final Recorder latency = new Recorder(MAX_LATENCY_NS, 3);
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong newestRevision = new AtomicLong();
    private String prefix;
    private Warmed afterWarmup = () -> {};

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
        validate();
        prefix = "eb" + String.format("%04x", System.nanoTime() & 0xffff) + "/";
        try (Client client = Client.builder().endpoints(endpoints).build())
        {
            switch (workload)
            {
                case "put":
                    return runPuts(client.getKVClient());
                case "range":
                    return runGets(client.getKVClient());
                case "watch":
                    return runWatch(client);
                default:
                    throw new CommandLine.ParameterException(spec.commandLine(), "unknown workload " + workload);
            }
        }
    }

    private void validate()
    {
        if (valueSize < MIN_VALUE_SIZE || inFlight < 1 || watcherCount < 1 || keySpaceSize < 1 ||
            keySpaceSize > MAX_KEY_SPACE || warmup < 0 || !(durationSeconds > 0) || !(rate >= 0 && rate <= MAX_RATE))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--val-size must be at least 16, --clients and --watchers at least 1, --key-space-size from 1 to " +
                "10^9, --warmup not negative, --duration above 0 and --rate from 0 to 10^7");
        }
    }

    private int runPuts(final KV kv) throws InterruptedException
    {
        final long errorsBefore = errors.get();
        measure((intendedNs, isTimed) -> put(kv, intendedNs, isTimed));
        return errors.get() == errorsBefore ? 0 : 1;
    }

    private int runGets(final KV kv) throws Exception
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
        out.println("Range: " + (serializable ? "serializable" : "linearizable") + " gets of single keys");
        final long errorsBefore = errors.get();
        measure((intendedNs, isTimed) -> complete(kv.get(randomKey(), options), intendedNs, isTimed));
        return errors.get() == errorsBefore ? 0 : 1;
    }

    private int runWatch(final Client client) throws Exception
    {
        final KV kv = client.getKVClient();
        // The watchers start at the revision of a put made first, so each is known to watch once it has seen it.
        final long firstRevision = kv.put(ByteSequence.from(prefix + "start", StandardCharsets.UTF_8),
            ByteSequence.EMPTY).get(30, TimeUnit.SECONDS).getHeader().getRevision();
        newestRevision.set(firstRevision);
        try (EtcdWatchers watchers = new EtcdWatchers(client, prefix, firstRevision, watcherCount))
        {
            if (!watchers.awaitRevision(firstRevision))
            {
                out.println("Watchers did not start within 60 s; ended: " + watchers.ended());
                return 1;
            }
            final long[] measuredFrom = new long[2];
            // Measured from the first measured put, once the watchers have caught up with the warm-up.
            afterWarmup = () ->
            {
                watchers.awaitRevision(newestRevision.get());
                watchers.latency();
                measuredFrom[0] = watchers.delivered();
                measuredFrom[1] = System.nanoTime();
            };
            final long errorsBefore = errors.get();
            measure((intendedNs, isTimed) -> put(kv, intendedNs, isTimed));
            final boolean caughtUp = watchers.awaitRevision(newestRevision.get());
            final double seconds = (System.nanoTime() - measuredFrom[1]) / 1e9;
            final long delivered = watchers.delivered() - measuredFrom[0];
            final long lost = watchers.lost(newestRevision.get());
            final String ended = watchers.ended();
            out.printf(Locale.ROOT, "Watch: %d watchers of every put, revisions %,d to %,d%s%n", watcherCount,
                firstRevision, newestRevision.get(), caughtUp ? "" : "; not all caught up within 60 s");
            out.printf(Locale.ROOT, "Events: %,d delivered (%,.0f/s), %,d lost, %,d duplicated, %s watches ended%n",
                delivered, delivered / seconds, lost, watchers.duplicated(), null == ended ? "0" : ended);
            out.println("Put to event latency (µs, each revision timed at one watcher, in turn):");
            printPercentiles(watchers.latency());
            return errors.get() == errorsBefore && 0 == lost && null == ended ? 0 : 1;
        }
    }

    private CompletableFuture<?> put(final KV kv, final long intendedNs, final boolean isTimed)
    {
        return complete(kv.put(randomKey(), EtcdWatchers.value(valueSize, intendedNs, isTimed)), intendedNs, isTimed);
    }

    private ByteSequence randomKey()
    {
        return key(ThreadLocalRandom.current().nextInt(keySpaceSize));
    }

    private ByteSequence key(final int index)
    {
        final String number = Integer.toString(index);
        final StringBuilder key = new StringBuilder(KEY_LENGTH).append(prefix);
        for (int i = prefix.length() + number.length(); i < KEY_LENGTH; i++)
        {
            key.append('0');
        }
        return ByteSequence.from(key.append(number).toString(), StandardCharsets.UTF_8);
    }

    private CompletableFuture<?> complete(
        final CompletableFuture<?> request, final long intendedNs, final boolean isTimed)
    {
        return request.whenComplete((response, failure) ->
        {
            if (null != failure)
            {
                errors.incrementAndGet();
                return;
            }
            if (response instanceof PutResponse put)
            {
                newestRevision.getAndAccumulate(put.getHeader().getRevision(), Math::max);
            }
            succeeded.incrementAndGet();
            if (isTimed)
            {
                latency.recordValue(Math.min(MAX_LATENCY_NS, System.nanoTime() - intendedNs));
            }
        });
    }

    private void measure(final Sender sender) throws InterruptedException
    {
        final Semaphore permits = new Semaphore(inFlight);
        for (long i = 0; i < warmup; i++)
        {
            permits.acquire();
            sender.send(System.nanoTime(), false).whenComplete((r, t) -> permits.release());
        }
        permits.acquire(inFlight);
        permits.release(inFlight);
        final long warmupErrors = errors.get();
        afterWarmup.run();
        latency.reset();
        final long succeededBefore = succeeded.get();
        final long startNs = System.nanoTime();
        final long durationNs = (long)(durationSeconds * TimeUnit.SECONDS.toNanos(1));
        long sent = 0;
        while (true)
        {
            final long dueNs = rate > 0 ? startNs + (long)(sent * (TimeUnit.SECONDS.toNanos(1) / rate)) : 0;
            if ((rate > 0 ? dueNs : System.nanoTime()) - startNs >= durationNs)
            {
                break;
            }
            if (rate > 0)
            {
                awaitTime(dueNs);
            }
            permits.acquire();
            sender.send(rate > 0 ? dueNs : System.nanoTime(), true)
                .whenComplete((r, t) -> permits.release());
            sent++;
        }
        permits.acquire(inFlight);
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        final long measuredSucceeded = succeeded.get() - succeededBefore;
        out.printf(Locale.ROOT, "Workload: %s, %d in flight, %s, %.1f s after %,d warm-up, key %d B, value %d B, key " +
            "space %,d random, etcd at %s through jetcd%n", workload, inFlight, rate > 0 ? rate + "/s" : "closed loop",
            durationSeconds, warmup, KEY_LENGTH, valueSize, keySpaceSize, endpoints);
        out.printf(Locale.ROOT, "Operations: %,d in %.2f s, %,d errors (%,d in the warm-up)%n", measuredSucceeded,
            seconds, errors.get() - warmupErrors, warmupErrors);
        out.printf(Locale.ROOT, "Throughput: %,.0f ops/s%n", measuredSucceeded / seconds);
        out.println("Latency (µs):");
        printPercentiles(latency.getIntervalHistogram());
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

    @FunctionalInterface
    private interface Sender
    {
        CompletableFuture<?> send(long intendedNs, boolean isTimed);
    }

    @FunctionalInterface
    private interface Warmed
    {
        void run() throws InterruptedException;
    }
}
