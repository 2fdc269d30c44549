package io.metastore.tools.process;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.NoSpaceException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Puts a new key after each definite outcome, on a thread of its own, until closed: acknowledged ones are recorded,
 * those refused for space are not applied and are counted, those of unknown outcome (a timeout, a leader change) are
 * retried with the same value. Any other failure stops it, and {@link #close()} fails the test with it.
 * <pre>{@code
 * try (Writer writer = new Writer(client))
 * {
 *     await("writes", () -> writer.acknowledged().size() >= 100);
 * }
 * }</pre>
 */
final class Writer implements AutoCloseable
{
    private final MetaStoreClient client;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong refusedForSpace = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    /**
     * Start writing.
     *
     * @param client to put through.
     */
    Writer(final MetaStoreClient client)
    {
        this.client = client;
        thread = new Thread(this::run, "writer");
        thread.start();
    }

    /**
     * @return the acknowledged pairs so far.
     */
    Map<String, String> acknowledged()
    {
        return acknowledged;
    }

    /**
     * @return how many puts were refused for space so far.
     */
    long refusedForSpace()
    {
        return refusedForSpace.get();
    }

    /**
     * Stop writing, wait for the last put, and fail if writing stopped on an error.
     */
    public void close() throws InterruptedException
    {
        running.set(false);
        thread.join();
        final Throwable error = failure.get();
        if (null != error)
        {
            fail("the writer stopped on " + error, error);
        }
    }

    private void run()
    {
        try
        {
            long sequence = 0;
            while (running.get())
            {
                final String key = "w-" + sequence;
                final String value = "value-" + sequence;
                try
                {
                    client.put(key, value);
                    acknowledged.put(key, value);
                    sequence++;
                }
                catch (final NoSpaceException ex)
                {
                    refusedForSpace.incrementAndGet();
                    sequence++;
                }
                catch (final MetaStoreException ex)
                {
                    if (!ex.isRetryable())
                    {
                        throw ex;
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }
}
