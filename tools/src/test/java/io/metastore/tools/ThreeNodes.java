package io.metastore.tools;

import io.aeron.cluster.service.Cluster;
import io.metastore.client.MetaStoreClient;
import io.metastore.node.ClusterMembers;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.NodeErrors;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An in-process cluster of three nodes on ports 14000-15199, for tests that stop, damage and repair one member.
 */
final class ThreeNodes implements AutoCloseable
{
    static final String MEMBERS = "localhost,localhost,localhost";
    private static final int SIZE = 3;
    private static final AtomicInteger NEXT_BASE_PORT =
        new AtomicInteger(14000 + (int)(ProcessHandle.current().pid() % 9) * 100);

    private final File dataDir;
    private final int basePort = NEXT_BASE_PORT.getAndAdd(50);
    private final MetaStoreNode[] nodes = new MetaStoreNode[SIZE];
    private final NodeErrors[] errors = new NodeErrors[SIZE];
    private MetaStoreClient client;

    private ThreeNodes(final File dataDir)
    {
        this.dataDir = dataDir;
    }

    static ThreeNodes start(final File dataDir)
    {
        final ThreeNodes cluster = new ThreeNodes(dataDir);
        try
        {
            for (int i = 0; i < SIZE; i++)
            {
                cluster.startNode(i);
            }
        }
        catch (final RuntimeException ex)
        {
            cluster.close();
            throw ex;
        }

        return cluster;
    }

    File dataDir()
    {
        return dataDir;
    }

    MetaStoreNode.Context context(final int memberId)
    {
        errors[memberId] = new NodeErrors(null);
        return new MetaStoreNode.Context()
            .memberId(memberId)
            .members(MEMBERS)
            .basePort(basePort)
            .diskAlarmBytes(0)
            .diskReserveBytes(0)
            .dataDir(dataDir)
            .logTermLength(1024 * 1024)
            .maxValueBytes(64 * 1024)
            .leaderHeartbeatTimeoutMs(1000)
            .errorHandler(errors[memberId]);
    }

    MetaStoreNode startNode(final int memberId)
    {
        nodes[memberId] = MetaStoreNode.launch(context(memberId));
        return nodes[memberId];
    }

    void stopNode(final int memberId)
    {
        CloseHelper.close(nodes[memberId]);
        nodes[memberId] = null;
    }

    MetaStoreNode node(final int memberId)
    {
        return nodes[memberId];
    }

    File nodeDir(final int memberId)
    {
        return new File(dataDir, "node-" + memberId);
    }

    int awaitLeader()
    {
        final int[] leader = { -1 };
        await("a leader", () ->
        {
            for (int i = 0; i < SIZE; i++)
            {
                if (null != nodes[i] && Cluster.Role.LEADER == nodes[i].role())
                {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        });

        return leader[0];
    }

    MetaStoreClient client()
    {
        if (null == client)
        {
            awaitLeader();
            final StringBuilder endpoints = new StringBuilder();
            for (int i = 0; i < SIZE; i++)
            {
                endpoints.append(i > 0 ? "," : "").append("localhost:")
                    .append(ClusterMembers.port(basePort, i, ClusterMembers.INGRESS_OFFSET));
            }
            client = MetaStoreClient.connect(new MetaStoreClient.Context()
                .endpoints(endpoints.toString())
                .requestTimeout(10, TimeUnit.SECONDS)
                .requestRingBytes(1024 * 1024));
        }

        return client;
    }

    /**
     * Wait until every running node has committed the revision, then require their digests to be equal.
     */
    void awaitConverged(final long revision)
    {
        await("every running node to commit revision " + revision, () ->
        {
            for (final MetaStoreNode node : nodes)
            {
                if (null != node && node.service().committedRevision() != revision)
                {
                    return false;
                }
            }
            return true;
        });

        String digest = null;
        for (int i = 0; i < SIZE; i++)
        {
            if (null != nodes[i])
            {
                if (null == digest)
                {
                    digest = nodes[i].digest();
                }
                assertEquals(digest, nodes[i].digest(), "digest of member " + i);
            }
        }
    }

    void assertNoErrors()
    {
        for (int i = 0; i < SIZE; i++)
        {
            final int memberId = i;
            assertEquals(
                0, errors[i].count(), () -> "member " + memberId + " logged errors: " + errors[memberId].errors());
        }
    }

    static void await(final String what, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                fail("timed out awaiting " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    public void close()
    {
        CloseHelper.quietClose(client);
        for (int i = 0; i < SIZE; i++)
        {
            CloseHelper.quietClose(nodes[i]);
            nodes[i] = null;
        }
    }
}
