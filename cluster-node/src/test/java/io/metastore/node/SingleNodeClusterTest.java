package io.metastore.node;

import io.metastore.client.DeleteOptions;
import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.PutOptions;
import io.metastore.client.PutResult;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.SortOrder;
import io.metastore.test.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class SingleNodeClusterTest
{
    @TempDir
    File tempDir;

    private TestCluster cluster;

    @AfterEach
    void after()
    {
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldPutGetRangeAndDelete()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();

        final PutResult first = client.put("a", "1");
        assertEquals(1, first.header().revision());
        client.put("b", "2");
        client.put("c", "3");
        final PutResult overwrite = client.put(bytes("a"), bytes("one"), new PutOptions().prevKv(true));
        assertEquals(4, overwrite.header().revision());
        assertEquals("1", overwrite.prevKv().valueUtf8());

        final RangeResult a = client.get("a");
        assertEquals(1, a.count());
        final KeyValue kv = a.kvs().get(0);
        assertEquals("one", kv.valueUtf8());
        assertEquals(1, kv.createRevision());
        assertEquals(4, kv.modRevision());
        assertEquals(2, kv.version());

        final RangeResult all = client.range(bytes("a"), new RangeOptions().fromKey().sortOrder(SortOrder.DESCEND));
        assertEquals(List.of("c", "b", "a"), all.kvs().stream().map(KeyValue::keyUtf8).toList());

        final DeleteResult deleted = client.delete(bytes("a"), new DeleteOptions().prefix().prevKv(true));
        assertEquals(1, deleted.deleted());
        assertEquals("one", deleted.prevKvs().get(0).valueUtf8());
        assertEquals(5, deleted.header().revision());
        assertEquals(0, client.get("a").count());
        assertEquals(0, cluster.node(0).service().droppedResponses());
        cluster.assertNoErrors();
    }

    @Test
    void shouldKeepManyRequestsInFlight()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        final int count = 5000;
        final CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++)
        {
            futures[i] = client.putAsync(bytes("key-" + i), bytes("value-" + i), new PutOptions());
        }
        CompletableFuture.allOf(futures).join();

        final RangeResult result = client.range(bytes("key-"), new RangeOptions().prefix().countOnly(true));
        assertEquals(count, result.count());
        assertEquals(count, result.header().revision());
        assertTrue(result.kvs().isEmpty());
        assertFalse(result.more());
        cluster.assertNoErrors();
    }

    /**
     * A client's own media driver runs on its I/O thread by default, so connecting starts no driver thread; asked, it
     * gets a thread of its own, and serves as well.
     */
    @Test
    void shouldRunTheClientsOwnMediaDriverOnItsIoThreadUnlessToldOtherwise()
    {
        cluster = TestCluster.start(tempDir, 1);
        final long driverThreadsBefore = driverThreads();
        final MetaStoreClient client = cluster.connectClient();
        client.put("a", "b");
        assertEquals("b", client.get("a").kvs().get(0).valueUtf8());
        assertEquals(driverThreadsBefore, driverThreads(), "no driver thread for the client");

        try (MetaStoreClient threaded = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .driverOnIoThread(false)))
        {
            assertEquals(driverThreadsBefore + 1, driverThreads(), "a driver thread for the client asking for one");
            final int count = 2000;
            final CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
            for (int i = 0; i < count; i++)
            {
                futures[i] = threaded.putAsync(bytes("t-" + i), bytes("v" + i), new PutOptions());
            }
            CompletableFuture.allOf(futures).join();
            assertEquals(count, client.range(bytes("t-"), new RangeOptions().prefix().countOnly(true)).count());
        }
        cluster.assertNoErrors();
    }

    /**
     * A callback of a request's future runs on the client's I/O thread, which also runs the client's media driver and
     * Aeron's client conductor: one that holds it past Aeron's own 10 s timeouts must not leave a client whose driver
     * and Aeron client took each other for dead.
     */
    @Test
    void shouldServeAfterACallbackHeldTheIoThreadPastAeronsTimeouts() throws Exception
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        final CountDownLatch released = new CountDownLatch(1);
        client.putAsync(bytes("held"), bytes("1"), new PutOptions()).thenRun(() ->
        {
            // The fault under test: the I/O thread held, as by a slow callback, for longer than the timeouts.
            final long untilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            long remainingNs;
            while ((remainingNs = untilNs - System.nanoTime()) > 0)
            {
                LockSupport.parkNanos(remainingNs);
            }
            released.countDown();
        });
        assertTrue(released.await(60, TimeUnit.SECONDS), "the callback to return");

        // The cluster closed the session meanwhile (its 10 s session timeout): the client connects again.
        Tests.await("a put after the stall", () ->
        {
            try
            {
                client.put("after", "2");
                return true;
            }
            catch (final MetaStoreException ex)
            {
                assertTrue(ex.isRetryable(), ex::toString);
                return false;
            }
        });
        assertEquals("2", client.get("after").kvs().get(0).valueUtf8());
        cluster.assertNoErrors();
    }

    private static long driverThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().contains("driver-conductor"))
            .count();
    }

    @Test
    void shouldServeAClientThatTalksByIpcThroughTheNodesDriver()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient udpClient = cluster.connectClient();
        final MetaStoreClient.Context ctx = new MetaStoreClient.Context()
            .ipc(true)
            .aeronDirectoryName(cluster.node(0).context().aeronDirectoryName());
        try (MetaStoreClient ipcClient = MetaStoreClient.connect(ctx))
        {
            final int count = 2000;
            final CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
            for (int i = 0; i < count; i++)
            {
                futures[i] = ipcClient.putAsync(bytes("ipc-" + i), bytes("v" + i), new PutOptions());
            }
            CompletableFuture.allOf(futures).join();

            assertEquals("v1999", udpClient.get("ipc-1999").kvs().get(0).valueUtf8(), "seen by a UDP client");
            udpClient.put("udp", "u");
            final RangeResult both = ipcClient.range(bytes("ipc-"), new RangeOptions().prefix().countOnly(true));
            assertEquals(count, both.count());
            assertEquals(count + 1, both.header().revision(), "the IPC client sees the UDP client's put");
        }
        cluster.assertNoErrors();
    }

    @Test
    void shouldFailRequestsWithRetryableErrorWhenTheClusterIsGone()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(cluster.endpoints())
            .requestTimeout(300, TimeUnit.MILLISECONDS)
            .connectTimeout(300, TimeUnit.MILLISECONDS));
        try
        {
            client.put("a", "1");
            cluster.stopNode(0);

            final MetaStoreException ex = assertThrows(MetaStoreException.class, () -> client.put("b", "2"));
            assertTrue(ex.isRetryable(), ex.toString());
            assertNull(ex.code());
        }
        finally
        {
            client.close();
        }
    }

    @Test
    void shouldReportClusterErrorWithCode()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();

        final MetaStoreException ex = assertThrows(MetaStoreException.class,
            () -> client.range(bytes("b"), new RangeOptions().rangeEnd(bytes("a"))));
        assertEquals(ErrorCode.INVALID_RANGE, ex.code());
        assertFalse(ex.isRetryable());
        assertEquals(1, client.put("after", "ok").header().revision(), "the refused range changed nothing");
    }
}
