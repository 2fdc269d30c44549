package io.metastore.node;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.MetaStoreTimeoutException;
import io.metastore.client.RangeOptions;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a request's callbacks run, and what a blocking call does there: the client's I/O thread must never wait for
 * a response only it can deliver, and a blocking form must end within its timeout whatever holds that thread.
 */
@Timeout(120)
class ClientThreadingTest
{
    /**
     * Bounds the wait for something that, before the fix, never happens; not a measure of speed.
     */
    private static final long HANG_GUARD_SECONDS = 30;

    @TempDir
    File tempDir;

    private TestCluster cluster;
    private MetaStoreClient client;

    @AfterEach
    void after()
    {
        CloseHelper.closeAll(client, cluster);
    }

    @Test
    void shouldRefuseBlockingCallsInACallbackAndKeepServingOtherCallers() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        cluster.awaitLeader();
        client = connect(TimeUnit.SECONDS.toNanos(5));
        client.put("k", "v");

        // A callback attached after the response came runs on the caller's thread, where blocking is allowed: ask
        // again until one runs on the client's I/O thread.
        final Thread caller = Thread.currentThread();
        CompletableFuture<Throwable> getInCallback;
        CompletableFuture<Throwable> putInCallback;
        final CompletableFuture<Boolean> isOnCaller = new CompletableFuture<>();
        do
        {
            final CompletableFuture<Throwable> get = new CompletableFuture<>();
            final CompletableFuture<Throwable> put = new CompletableFuture<>();
            final CompletableFuture<Boolean> onCaller = new CompletableFuture<>();
            client.rangeAsync(bytes("k"), new RangeOptions()).thenAccept((result) ->
            {
                onCaller.complete(Thread.currentThread() == caller);
                if (Thread.currentThread() != caller)
                {
                    get.complete(outcomeOf(() -> client.get("k")));
                    put.complete(outcomeOf(() -> client.put("refused", "x")));
                }
            });
            getInCallback = get;
            putInCallback = put;
            isOnCaller.obtrudeValue(onCaller.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        }
        while (isOnCaller.join());

        final Throwable getError = getInCallback.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertInstanceOf(MetaStoreException.class, getError);
        assertTrue(getError.getMessage().contains("I/O thread"), getError.getMessage());
        assertInstanceOf(MetaStoreException.class, putInCallback.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));

        assertEquals(1, client.get("k").count(), "another caller is served");
        assertEquals(0, client.get("refused").count(), "a blocking call refused sends nothing");

        client.close();
        assertInstanceOf(MetaStoreException.class, outcomeOf(() -> client.get("k")), "closed");
    }

    @Test
    void shouldRefuseToJoinAFutureOfTheClientInACallback() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        cluster.awaitLeader();
        client = connect(TimeUnit.SECONDS.toNanos(5));

        // A future already complete runs its callback on the caller's thread, where joining is allowed: ask again
        // until the callback runs on the client's I/O thread.
        final Thread caller = Thread.currentThread();
        CompletableFuture<Throwable> joinInCallback;
        boolean isOnCaller;
        do
        {
            final CompletableFuture<Throwable> join = new CompletableFuture<>();
            final CompletableFuture<Boolean> onCaller = new CompletableFuture<>();
            client.rangeAsync(bytes("k"), new RangeOptions()).thenAccept((result) ->
            {
                onCaller.complete(Thread.currentThread() == caller);
                if (Thread.currentThread() != caller)
                {
                    join.complete(outcomeOf(() ->
                        client.rangeAsync(bytes("k"), new RangeOptions()).thenApply((r) -> r.count()).join()));
                }
            });
            joinInCallback = join;
            isOnCaller = onCaller.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        }
        while (isOnCaller);

        final Throwable error = joinInCallback.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertInstanceOf(MetaStoreException.class, error);
        assertTrue(error.getMessage().contains("I/O thread"), error.getMessage());
        assertEquals(0, client.get("k").count());
    }

    @Test
    void shouldFailABlockingCallWithinItsTimeoutWhileACallbackHoldsTheIoThread() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        cluster.awaitLeader();
        client = connect(TimeUnit.MILLISECONDS.toNanos(500));

        // As above: only a callback on the client's I/O thread holds it; one on the caller's thread is let go.
        final Thread caller = Thread.currentThread();
        final CountDownLatch releaseCallback = new CountDownLatch(1);
        final AtomicBoolean isHoldingIoThread = new AtomicBoolean();
        do
        {
            final CountDownLatch callbackRunning = new CountDownLatch(1);
            client.rangeAsync(bytes("k"), new RangeOptions()).thenRun(() ->
            {
                final boolean isIoThread = Thread.currentThread() != caller;
                isHoldingIoThread.set(isIoThread);
                callbackRunning.countDown();
                if (isIoThread)
                {
                    awaitQuietly(releaseCallback);
                }
            });
            assertTrue(callbackRunning.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        }
        while (!isHoldingIoThread.get());

        final CompletableFuture<Throwable> put = CompletableFuture.supplyAsync(
            () -> outcomeOf(() -> client.put("k", "v")));
        final Throwable error = put.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        releaseCallback.countDown();

        assertInstanceOf(MetaStoreTimeoutException.class, error);
        assertTrue(((MetaStoreException)error).isRetryable());
    }

    private MetaStoreClient connect(final long requestTimeoutNs)
    {
        return MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .requestTimeout(requestTimeoutNs, TimeUnit.NANOSECONDS)
            .requestRingBytes(1024 * 1024));
    }

    private static Throwable outcomeOf(final Supplier<?> call)
    {
        try
        {
            call.get();
            return null;
        }
        catch (final Throwable ex)
        {
            return ex;
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
