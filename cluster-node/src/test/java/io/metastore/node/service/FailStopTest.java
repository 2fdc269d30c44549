package io.metastore.node.service;

import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.metastore.node.NodeErrors;
import io.metastore.node.storage.RocksDbStorage;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An entry that cannot be applied whole stops the service, and nothing of it, nor anything after it, reaches RocksDB:
 * not even through the {@code onTerminate} Aeron calls on the way out.
 */
class FailStopTest
{
    @TempDir
    File tempDir;

    private long logPosition;
    private boolean failOffers;

    @Test
    void shouldCommitNothingOfAnEntryThatFailedHalfWayNorAfterIt()
    {
        final File dir = new File(tempDir, "rocksdb");
        final NodeErrors errors = new NodeErrors(null);
        final Cluster cluster = cluster();
        final ClientSession session = session();
        try (RocksDbStorage storage = RocksDbStorage.open(dir))
        {
            final MetaStoreService service = new MetaStoreService(
                storage,
                new ServiceSettings().maxValueBytes(64 * 1024).egressBatchBytes(64 * 1024).egressRetryLimit(10),
                errors);
            service.onStart(cluster, null);
            service.onNewLeadershipTermEvent(0, 0, 0, 0, 0, 1, TimeUnit.MILLISECONDS, 0);

            apply(service, session, new Requests().put(1, "a", "1").build());
            service.doBackgroundWork(0);
            assertEquals(logPosition, storage.appliedPosition());
            final long goodPosition = logPosition;

            // The put of "b" is applied to the batch, then answering it fails: the entry is not applied whole.
            failOffers = true;
            assertThrows(
                AgentTerminationException.class,
                () -> apply(service, session, new Requests().put(2, "b", "2").build()));
            service.doBackgroundWork(0);
            service.onTerminate(cluster);

            assertEquals(goodPosition, storage.appliedPosition());
            assertEquals(1, storage.appliedRevision());
            assertEquals(1, errors.count());
        }

        try (RocksDbStorage reopened = RocksDbStorage.open(dir))
        {
            assertNotNull(reopened.get(bytes("a")));
            assertNull(reopened.get(bytes("b")));
            assertEquals(1, reopened.appliedRevision());
            assertTrue(reopened.appliedPosition() > 0);
        }
    }

    private void apply(final MetaStoreService service, final ClientSession session, final byte[] message)
    {
        logPosition += 64 + message.length;
        service.onSessionMessage(session, 0, new UnsafeBuffer(message), 0, message.length, null);
    }

    private Cluster cluster()
    {
        return (Cluster)Proxy.newProxyInstance(
            Cluster.class.getClassLoader(),
            new Class<?>[]{ Cluster.class },
            (proxy, method, args) -> switch (method.getName())
            {
                case "logPosition" -> logPosition;
                case "aeron" -> null;
                case "memberId" -> 0;
                case "idleStrategy" -> NoOpIdleStrategy.INSTANCE;
                case "scheduleTimer", "cancelTimer" -> true;
                case "timeUnit" -> TimeUnit.MILLISECONDS;
                case "toString" -> "test cluster";
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }

    private ClientSession session()
    {
        return (ClientSession)Proxy.newProxyInstance(
            ClientSession.class.getClassLoader(),
            new Class<?>[]{ ClientSession.class },
            (proxy, method, args) -> switch (method.getName())
            {
                case "offer" ->
                {
                    if (failOffers)
                    {
                        throw new IllegalStateException("egress broken");
                    }
                    yield ClientSession.MOCKED_OFFER;
                }
                case "id" -> 1L;
                case "toString" -> "test session";
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }
}
