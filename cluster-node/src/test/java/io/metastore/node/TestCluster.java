package io.metastore.node;

import io.aeron.cluster.service.Cluster;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.test.Tests;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.metastore.test.Tests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An in-process cluster of 1, 3 or 5 nodes for tests: its own ports, directories and small terms. Shared with the
 * tools' tests through the cluster-node test-jar.
 * <p>
 * It fails the test that closes it if any node logged an error, across restarts too, as Aeron's system tests do,
 * so no test can forget to check; a test that expects errors says which with {@link #expectErrors(Predicate)}.
 */
public final class TestCluster implements AutoCloseable
{
    private static final AtomicInteger NEXT_BASE_PORT =
        new AtomicInteger(22000 + (int)(ProcessHandle.current().pid() % 20) * 250);

    private final File dataDir;
    private final int basePort;
    private final int size;
    private final MetaStoreNode[] nodes;
    private final NodeErrors[] errors;
    private final List<NodeErrors> allErrors = new ArrayList<>();
    private Predicate<Throwable> expectedErrors = error -> false;
    private Consumer<MetaStoreNode.Context> customiser;
    private final List<MetaStoreClient> clients = new ArrayList<>();

    private TestCluster(
        final File dataDir, final int size, final int basePort, final Consumer<MetaStoreNode.Context> customiser)
    {
        this.dataDir = dataDir;
        this.size = size;
        this.customiser = customiser;
        this.basePort = basePort;
        this.nodes = new MetaStoreNode[size];
        this.errors = new NodeErrors[size];
    }

    /**
     * Start a cluster with the fixture's settings, on ports no other cluster of this JVM has.
     *
     * @param dataDir parent of every node's directory.
     * @param size    number of members: 1, 3 or 5.
     * @return the started cluster; it may still be electing a leader.
     */
    public static TestCluster start(final File dataDir, final int size)
    {
        return start(dataDir, size, ctx -> {});
    }

    /**
     * Start a cluster on ports no other cluster of this JVM has, each node's context changed by the test first.
     *
     * @param dataDir    parent of every node's directory.
     * @param size       number of members: 1, 3 or 5.
     * @param customiser changes each node's context before it launches, e.g. a smaller snapshot interval.
     * @return the started cluster; it may still be electing a leader.
     */
    public static TestCluster start(
        final File dataDir, final int size, final Consumer<MetaStoreNode.Context> customiser)
    {
        return start(dataDir, size, NEXT_BASE_PORT.getAndAdd(100), customiser);
    }

    /**
     * Start a cluster on the ports a test names, for a test that must know them before it starts.
     *
     * @param dataDir    parent of every node's directory.
     * @param size       number of members: 1, 3 or 5.
     * @param basePort   of the cluster; member i uses base + 10 i to base + 10 i + 4.
     * @param customiser changes each node's context before it launches.
     * @return the started cluster; it may still be electing a leader.
     */
    public static TestCluster start(
        final File dataDir, final int size, final int basePort, final Consumer<MetaStoreNode.Context> customiser)
    {
        final TestCluster cluster = new TestCluster(dataDir, size, basePort, customiser);
        try
        {
            for (int i = 0; i < size; i++)
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

    /**
     * Launch one member, again after {@link #stopNode(int)}, on its directory and ports; its errors are kept for the
     * check when the cluster closes.
     *
     * @param memberId of the member.
     * @return the running node.
     */
    public MetaStoreNode startNode(final int memberId)
    {
        errors[memberId] = new NodeErrors(null);
        allErrors.add(errors[memberId]);
        final MetaStoreNode.Context ctx = new MetaStoreNode.Context()
            .memberId(memberId)
            .members(members())
            .basePort(basePort)
            // The suite must not depend on the free space of the machine it runs on: disk tests set their own.
            .diskAlarmBytes(0)
            .diskReserveBytes(0)
            .dataDir(dataDir)
            .logTermLength(1024 * 1024)
            .maxValueBytes(64 * 1024)
            .leaderHeartbeatTimeoutMs(1000)
            .errorHandler(errors[memberId]);
        customiser.accept(ctx);
        nodes[memberId] = MetaStoreNode.launch(ctx);

        return nodes[memberId];
    }

    /**
     * Close one member, keeping its directory for {@link #startNode(int)}.
     *
     * @param memberId of the member.
     */
    public void stopNode(final int memberId)
    {
        CloseHelper.close(nodes[memberId]);
        nodes[memberId] = null;
    }

    /**
     * @param memberId of the member.
     * @return the member's running node, or null while it is stopped.
     */
    public MetaStoreNode node(final int memberId)
    {
        return nodes[memberId];
    }

    /**
     * @return the member list every node is given: {@code localhost} once per member.
     */
    public String members()
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            members.append(i > 0 ? "," : "").append("localhost");
        }

        return members.toString();
    }

    /**
     * @return the parent of every node's directory.
     */
    public File dataDir()
    {
        return dataDir;
    }

    /**
     * @param memberId of the node.
     * @return its directory: {@code <data dir>/node-<id>}.
     */
    public File nodeDir(final int memberId)
    {
        return new File(dataDir, "node-" + memberId);
    }

    /**
     * @return a client shared by the test, connected on first use and closed when the nodes stop.
     */
    public MetaStoreClient client()
    {
        if (clients.isEmpty())
        {
            connectClient();
        }

        return clients.get(0);
    }

    /**
     * Wait until every running node has committed a revision, then require their state digests to be equal.
     *
     * @param revision every running node must reach.
     */
    public void awaitConverged(final long revision)
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
        assertDigestsEqual();
    }

    /**
     * Require every running node's state digest to be equal.
     */
    public void assertDigestsEqual()
    {
        String digest = null;
        for (int i = 0; i < size; i++)
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

    /**
     * @return the ingress endpoints of every member, {@code localhost:port} in member order, as clients take them.
     */
    public String endpoints()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            sb.append(i > 0 ? "," : "").append("localhost:")
                .append(ClusterMembers.port(basePort, i, ClusterMembers.INGRESS_OFFSET));
        }

        return sb.toString();
    }

    /**
     * Wait until a running member leads, failing the test after {@link Tests#AWAIT_TIMEOUT_MS}.
     *
     * @return the leader's member id.
     */
    public int awaitLeader()
    {
        final int[] leader = { -1 };
        await("a leader", () ->
        {
            for (int i = 0; i < size; i++)
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

    /**
     * Connect another client once a member leads; the cluster closes it when the nodes stop.
     *
     * @return the connected client, with a 10 s request timeout.
     */
    public MetaStoreClient connectClient()
    {
        awaitLeader();
        final MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(endpoints())
            .requestTimeout(10, TimeUnit.SECONDS)
            .requestRingBytes(1024 * 1024));
        clients.add(client);

        return client;
    }

    /**
     * Send a request until the leader answers it: a retryable failure (a leader change, a timeout) is tried again,
     * any other is thrown.
     *
     * @param request to send.
     * @param <T>     of the answer.
     * @return the answer.
     */
    public static <T> T retry(final Supplier<T> request)
    {
        final List<T> result = new ArrayList<>(1);
        await("an answer from the leader", () ->
        {
            try
            {
                result.add(request.get());
                return true;
            }
            catch (final MetaStoreException ex)
            {
                if (!ex.isRetryable())
                {
                    throw ex;
                }
                return false;
            }
        });

        return result.get(0);
    }

    /**
     * Close a client the test connected itself when the nodes stop.
     *
     * @param client connected by the test.
     */
    public void adopt(final MetaStoreClient client)
    {
        clients.add(client);
    }

    /**
     * Wait until every running node has committed the same revision to storage, none behind a revision it has
     * already answered from, and return it.
     */
    public long awaitConverged()
    {
        final long[] revision = { -1 };
        await("nodes to converge", () ->
        {
            long seen = -1;
            for (final MetaStoreNode node : nodes)
            {
                if (null != node)
                {
                    final long nodeRevision = node.service().committedRevision();
                    if (nodeRevision < node.service().answeredRevision() || (seen != -1 && seen != nodeRevision))
                    {
                        return false;
                    }
                    seen = nodeRevision;
                }
            }
            revision[0] = seen;
            return true;
        });

        return revision[0];
    }

    /**
     * Errors the test expects its nodes to log; any other fails it when the cluster is closed.
     *
     * @param expected errors, for example {@code error -> error instanceof StorageException}.
     */
    public void expectErrors(final Predicate<Throwable> expected)
    {
        expectedErrors = expectedErrors.or(expected);
    }

    /**
     * Fail now if any node, in any of its runs so far, logged an error the test does not expect.
     */
    public void assertNoErrors()
    {
        final StringBuilder unexpected = new StringBuilder();
        for (final NodeErrors nodeErrors : allErrors)
        {
            nodeErrors.errors().stream()
                .filter(expectedErrors.negate())
                .forEach(error -> unexpected.append('\n').append(error));
        }
        if (unexpected.length() > 0)
        {
            fail("nodes logged errors the test does not expect:" + unexpected);
        }
    }

    /**
     * Stop every node and client, keeping the data, the ports and the configuration for {@link #startAll()}.
     */
    public void stopAll()
    {
        clients.forEach(CloseHelper::quietClose);
        clients.clear();
        for (int i = 0; i < size; i++)
        {
            CloseHelper.quietClose(nodes[i]);
            nodes[i] = null;
        }
    }

    /**
     * Start every node again, with a change to their configuration.
     */
    public void startAll(final Consumer<MetaStoreNode.Context> change)
    {
        customiser = customiser.andThen(change);
        startAll();
    }

    /**
     * Start every member again, on the data, ports and configuration it had.
     */
    public void startAll()
    {
        for (int i = 0; i < size; i++)
        {
            startNode(i);
        }
    }

    /**
     * Stop every node and client, then fail the test if any node logged an error it does not expect.
     */
    public void close()
    {
        stopAll();
        assertNoErrors();
    }
}
