package io.metastore.tools;

import io.aeron.cluster.service.Cluster;
import io.metastore.concurrent.IdleProfile;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.NodeErrors;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An in-process single node for tests of the command line, and a way to run client verbs against it.
 */
final class CliNode implements AutoCloseable
{
    private static final byte[] NO_STDIN = new byte[0];

    private final NodeErrors errors = new NodeErrors(null);
    private final MetaStoreNode node;
    private final String endpoints;

    private CliNode(final int basePort, final File dataDir, final int maxResponseBytes)
    {
        node = MetaStoreNode.launch(new MetaStoreNode.Context()
            .basePort(basePort)
            .diskAlarmBytes(0)
            .diskReserveBytes(0)
            .dataDir(dataDir)
            .idleProfile(IdleProfile.BACKOFF)
            .logTermLength(1024 * 1024)
            .maxValueBytes(64 * 1024)
            .maxResponseBytes(maxResponseBytes)
            .errorHandler(errors));
        endpoints = "localhost:" + basePort;
    }

    /**
     * Launch a node and wait until it leads.
     */
    static CliNode start(final int basePort, final File dataDir)
    {
        return start(basePort, dataDir, MetaStoreNode.Configuration.MAX_RESPONSE_BYTES_DEFAULT);
    }

    /**
     * Launch a node with a response bound and wait until it leads.
     */
    static CliNode start(final int basePort, final File dataDir, final int maxResponseBytes)
    {
        final CliNode cliNode = new CliNode(basePort, dataDir, maxResponseBytes);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Cluster.Role.LEADER != cliNode.node.role())
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                final Cluster.Role role = cliNode.node.role();
                cliNode.close();
                fail("timed out awaiting leadership, role=" + role);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }

        return cliNode;
    }

    /**
     * Run a client verb against the node, with nothing on stdin.
     */
    CliRun client(final String... args)
    {
        return CliRun.execute(NO_STDIN, withEndpoints(args));
    }

    /**
     * Run a client verb against the node, with input on stdin.
     */
    CliRun client(final byte[] stdin, final String... args)
    {
        return CliRun.execute(stdin, withEndpoints(args));
    }

    /**
     * The arguments followed by the node's endpoints.
     */
    String[] withEndpoints(final String... args)
    {
        final List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--endpoints");
        all.add(endpoints);

        return all.toArray(new String[0]);
    }

    /**
     * Fail if the node logged an error.
     */
    void assertNoErrors()
    {
        assertEquals(0, errors.count(), () -> "node logged errors: " + errors.errors());
    }

    /**
     * The one key-value pair of a {@code get -w json}.
     */
    static Map<String, Object> onlyKv(final CliRun get)
    {
        assertEquals(0, get.exitCode(), get::toString);
        final List<Object> kvs = TinyJson.array(TinyJson.object(TinyJson.parse(get.out())).get("kvs"));
        assertEquals(1, kvs.size(), get::toString);

        return TinyJson.object(kvs.get(0));
    }

    public void close()
    {
        CloseHelper.close(node);
    }
}
