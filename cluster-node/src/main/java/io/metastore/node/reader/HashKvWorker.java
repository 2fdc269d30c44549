package io.metastore.node.reader;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.storage.CommittedView;
import io.metastore.node.storage.HistoryHash;
import io.metastore.node.storage.RocksDbStorage;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Computes {@code HashKvRequest}s off the read port's thread, one at a time, on a thread of its own
 * ({@code metastore-hashkv}, started on the first request): a hash reads the whole kept history, seconds on a big
 * store, and the read port's duty cycle also sends the watches' events. Requests wait their turn, at most
 * {@link #MAX_WAITING} at once (one more is refused); each answer goes back to the read port's thread, which alone
 * offers on the sessions' publications ({@link #drain}).
 */
final class HashKvWorker implements AutoCloseable
{
    /**
     * Hash requests taken and not yet answered, at most.
     */
    static final int MAX_WAITING = 16;
    private static final long CLOSE_WAIT_SECONDS = 30;

    /**
     * An answer: a hash, or an error code with its message.
     *
     * @param clientId      of the session that asked.
     * @param correlationId of the request.
     * @param result        the hash, or null if refused.
     * @param code          why refused, or null.
     * @param compacted     the compacted revision, for COMPACTED.
     * @param message       of the refusal.
     */
    record Answer(
        long clientId, long correlationId, HistoryHash.Result result, ErrorCode code, long compacted, String message)
    {
    }

    private final RocksDbStorage storage;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private ExecutorService executor;
    private int taken;
    private volatile boolean isClosed;

    HashKvWorker(final RocksDbStorage storage)
    {
        this.storage = storage;
    }

    /**
     * Take a request, on the read port's thread.
     *
     * @return false if {@link #MAX_WAITING} are already waiting: the request is not taken.
     */
    boolean take(final long clientId, final long correlationId, final long revision)
    {
        if (taken >= MAX_WAITING)
        {
            return false;
        }
        if (null == executor)
        {
            executor = Executors.newSingleThreadExecutor(runnable ->
            {
                final Thread thread = new Thread(runnable, "metastore-hashkv");
                thread.setDaemon(true);
                return thread;
            });
        }
        taken++;
        executor.execute(() -> answers.add(compute(clientId, correlationId, revision)));

        return true;
    }

    /**
     * Hand the answers ready to the read port's thread.
     *
     * @return answers handed.
     */
    int drain(final Consumer<Answer> consumer)
    {
        int count = 0;
        Answer answer;
        while (null != (answer = answers.poll()))
        {
            taken--;
            count++;
            consumer.accept(answer);
        }

        return count;
    }

    /**
     * Stop a hash under way and wait for its thread to end, before the store closes.
     */
    @Override
    public void close()
    {
        isClosed = true;
        if (null != executor)
        {
            executor.shutdownNow();
            try
            {
                executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Answer compute(final long clientId, final long correlationId, final long revision)
    {
        if (isClosed)
        {
            return new Answer(clientId, correlationId, null, ErrorCode.INTERNAL, 0, "the member is closing");
        }
        try (CommittedView view = storage.openCommittedView())
        {
            final long current = view.revision();
            final long compacted = view.compactedRevision();
            final long hashRevision = 0 == revision ? current : revision;
            if (hashRevision > current)
            {
                return new Answer(clientId, correlationId, null, ErrorCode.FUTURE_REVISION, 0,
                    "required revision " + hashRevision + " is a future revision; current revision " + current);
            }
            if (hashRevision < compacted)
            {
                return new Answer(clientId, correlationId, null, ErrorCode.COMPACTED, compacted,
                    "required revision " + hashRevision + " has been compacted; compacted revision " + compacted);
            }

            return new Answer(clientId, correlationId, HistoryHash.of(view, hashRevision, () -> isClosed), null, 0,
                null);
        }
        catch (final RuntimeException ex)
        {
            return new Answer(clientId, correlationId, null, ErrorCode.INTERNAL, 0,
                "hash failed: " + ex.getMessage());
        }
    }
}
