package io.metastore.node;

import io.metastore.client.Compare;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.Op;
import io.metastore.client.PutOptions;
import io.metastore.client.RangeOptions;
import io.metastore.client.Txn;
import io.metastore.codecs.CompareResult;
import io.metastore.protocol.Protocol;
import io.metastore.test.Tests;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's one submission path against a real node: a request that cannot be encoded, many threads at once
 * through a small slot table and ring, and requests that cannot be sent because the cluster is gone.
 */
@Timeout(120)
class ClientSubmissionTest
{
    /**
     * Bounds the wait for a future that, were the client broken, would never complete; not a measure of speed.
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
    void shouldFailOnlyTheRequestThatCannotBeEncoded() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        cluster.awaitLeader();
        // The default ring takes a message of 2 MiB, room for a transaction the encoder then refuses.
        client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .requestTimeout(10, TimeUnit.SECONDS));

        final Compare[] compares = new Compare[Protocol.MAX_GROUP_ENTRIES + 1];
        Arrays.fill(compares, Compare.version("k", CompareResult.EQUAL, 0));
        final CompletableFuture<?> before = client.putAsync(bytes("before"), bytes("1"), new PutOptions());
        final CompletableFuture<?> unencodable = client.txnAsync(Txn.txn().when(compares).then(Op.put("x", "1")));
        final CompletableFuture<?> after = client.putAsync(bytes("after"), bytes("2"), new PutOptions());

        final ExecutionException ex = assertThrows(
            ExecutionException.class, () -> unencodable.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(MetaStoreException.class, ex.getCause());
        final String message = ex.getCause().getMessage();
        assertTrue(message.startsWith("cannot encode request") && message.endsWith("request was not sent"), message);

        before.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        after.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, client.get("after").count());
        assertEquals(0, client.get("x").count());
        assertTrue(client.txn(Txn.txn().when(Compare.version("x", CompareResult.EQUAL, 0)).then(Op.put("x", "1")))
            .succeeded(), "a transaction that can be encoded goes through");
    }

    @Test
    void shouldCompleteEveryRequestOfManyThreadsSubmittingAtOnce() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        cluster.awaitLeader();
        // A table of 16 slots and the smallest ring: callers wait for slots and for ring space.
        client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .requestTimeout(HANG_GUARD_SECONDS, TimeUnit.SECONDS)
            .maxInFlight(16)
            .requestRingBytes(64 * 1024));

        final int threads = 8;
        final int requestsPerThread = 500;
        final CountDownLatch start = new CountDownLatch(1);
        final List<List<CompletableFuture<?>>> futuresByThread = new ArrayList<>();
        final List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final List<CompletableFuture<?>> futures = new ArrayList<>();
            futuresByThread.add(futures);
            final String prefix = "t" + t + "-";
            final Thread caller = new Thread(() ->
            {
                awaitQuietly(start);
                for (int i = 0; i < requestsPerThread; i++)
                {
                    final String key = prefix + i;
                    futures.add(i % 10 == 9 ?
                        client.txnAsync(Txn.txn().then(Op.put(key, "v"))) :
                        client.putAsync(bytes(key), bytes("v"), new PutOptions()));
                    if (i % 50 == 0)
                    {
                        futures.add(client.rangeAsync(bytes(prefix), new RangeOptions().prefix().countOnly(true)));
                        futures.add(client.leaseGrantAsync(60, 0));
                    }
                }
            }, "caller-" + t);
            callers.add(caller);
            caller.start();
        }
        start.countDown();
        for (final Thread caller : callers)
        {
            caller.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
            assertFalse(caller.isAlive(), caller.getName() + " still submitting");
        }

        for (final List<CompletableFuture<?>> futures : futuresByThread)
        {
            for (final CompletableFuture<?> future : futures)
            {
                future.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
            }
        }
        assertEquals(threads * requestsPerThread,
            client.range(bytes("t"), new RangeOptions().prefix().countOnly(true)).count());
    }

    @Test
    void shouldFailRequestsAsNotSentOnceTheClusterIsGone() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        cluster.awaitLeader();
        client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .requestTimeout(500, TimeUnit.MILLISECONDS)
            .sessionSilenceTimeout(1, TimeUnit.SECONDS)
            .connectAttemptTimeout(1, TimeUnit.SECONDS));
        client.put("k", "v");
        cluster.stopAll();

        // Requests offered before the client sees the session is gone time out as of unknown outcome; once it has
        // dropped the session, a request waits in the ring, read by no one, and must still fail at its deadline.
        final String[] lastError = new String[1];
        Tests.await("a request failed as not sent", () ->
        {
            final CompletableFuture<?> put = client.putAsync(bytes("k"), bytes("v2"), new PutOptions());
            final ExecutionException ex = assertThrows(
                ExecutionException.class, () -> put.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
            final MetaStoreException error = assertInstanceOf(MetaStoreException.class, ex.getCause());
            assertTrue(error.isRetryable(), error.toString());
            lastError[0] = error.getMessage();

            return lastError[0].contains("request was not sent");
        });
        assertTrue(lastError[0].contains("no response within the request timeout"), lastError[0]);
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
