package io.metastore.tools;

import io.metastore.concurrent.IdleProfile;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.TestCluster;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A single node in the test's JVM for tests of the command line, on the port the test names, and a way to run client
 * verbs against it in the same JVM ({@link CliRun}).
 * <p>
 * The node is a {@link TestCluster} of one: its settings, its error check and the wait for leadership are that
 * fixture's, and closing it fails the test if the node logged an error. It is not {@code process.ServerProcess},
 * which does another job: that runs {@code metastore server} in a JVM of its own, as an operator does, so that a test
 * can kill it (SIGKILL), pause it (SIGSTOP), fill its disk or read its exit status; verbs against a node in the same
 * JVM run in milliseconds, and its errors are read directly rather than from a log file.
 */
final class CliNode implements AutoCloseable
{
    private static final byte[] NO_STDIN = new byte[0];

    private final TestCluster cluster;

    private CliNode(final TestCluster cluster)
    {
        this.cluster = cluster;
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
        final TestCluster cluster = TestCluster.start(
            dataDir, 1, basePort, (ctx) -> ctx.idleProfile(IdleProfile.BACKOFF).maxResponseBytes(maxResponseBytes));
        try
        {
            cluster.awaitLeader();
        }
        catch (final RuntimeException | Error ex)
        {
            cluster.stopAll();
            throw ex;
        }

        return new CliNode(cluster);
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
        all.add(cluster.endpoints());

        return all.toArray(new String[0]);
    }

    /**
     * @return the digest of the state the node committed.
     */
    String digest()
    {
        return cluster.node(0).digest();
    }

    /**
     * @return the log position up to which the node committed its state.
     */
    long committedPosition()
    {
        return cluster.node(0).service().committedPosition();
    }

    /**
     * Fail if the node logged an error.
     */
    void assertNoErrors()
    {
        cluster.assertNoErrors();
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

    /**
     * Stop the node, then fail the test if it logged an error.
     */
    public void close()
    {
        cluster.close();
    }
}
