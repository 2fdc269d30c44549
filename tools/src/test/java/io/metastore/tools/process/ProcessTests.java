package io.metastore.tools.process;

import io.aeron.AeronCounters;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.RangeResult;
import io.metastore.test.Tests;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the process-level tests share: base ports that no two tests of one JVM share, in 10000-12399 (or from
 * {@code -Dmetastore.test.process.base.port}), below Linux's ephemeral port range (32768-60999) so that no socket of
 * another process can hold them; and writing and checking acknowledged keys. Tests await conditions with
 * {@link Tests#await(String, java.util.function.BooleanSupplier)}.
 */
final class ProcessTests
{
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(
        Integer.getInteger("metastore.test.process.base.port", 10000 + (int)(ProcessHandle.current().pid() % 8) * 250));

    private ProcessTests()
    {
    }

    /**
     * @param members the cluster will have.
     * @return a base port of their own.
     */
    static int basePort(final int members)
    {
        return NEXT_PORT.getAndAdd(10 * members);
    }

    /**
     * Put keys prefix0..prefix(n-1); each put returns once acknowledged.
     *
     * @return the acknowledged pairs.
     */
    static Map<String, String> putKeys(final MetaStoreClient client, final String prefix, final int count)
    {
        final Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < count; i++)
        {
            final String key = prefix + i;
            final String value = "value-" + key;
            putRetrying(client, key, value);
            acknowledged.put(key, value);
        }

        return acknowledged;
    }

    /**
     * A put retried while it fails for a reason that may have left it unapplied (a timeout, a leader change): a
     * client's duty during an election.
     */
    static void putRetrying(final MetaStoreClient client, final String key, final String value)
    {
        final MetaStoreException[] lastError = { null };
        Tests.await(() -> "an acknowledged put of " + key + ", last error " + lastError[0],
            ServerProcess.AWAIT_TIMEOUT_MS, () ->
            {
                try
                {
                    client.put(key, value);
                    return true;
                }
                catch (final MetaStoreException ex)
                {
                    if (!ex.isRetryable())
                    {
                        throw ex;
                    }
                    lastError[0] = ex;
                    return false;
                }
            });
    }

    /**
     * Every acknowledged pair reads back as written.
     */
    static void assertServes(final MetaStoreClient client, final Map<String, String> acknowledged)
    {
        for (final Map.Entry<String, String> entry : acknowledged.entrySet())
        {
            final RangeResult result = client.get(entry.getKey());
            assertEquals(1, result.kvs().size(), () -> "key " + entry.getKey());
            assertEquals(entry.getValue(), new String(result.kvs().get(0).value(), StandardCharsets.UTF_8),
                () -> "value of " + entry.getKey());
        }
    }

    /**
     * Every running member commits what the leader has committed, every member then stops cleanly on request, and
     * every one holds the same state.
     *
     * @param cluster whose members are all running.
     */
    static void assertConverged(final ProcessCluster cluster)
    {
        final long commitPosition = cluster.member(cluster.awaitLeader())
            .counter(AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID);
        Tests.await("every member to commit " + commitPosition, () -> cluster.members().stream().allMatch(
            (member) -> member.counter(AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID) >= commitPosition));
        assertEquals(Collections.nCopies(cluster.members().size(), 0), cluster.stop(), "exit statuses");
        final List<String> digests = cluster.digests();
        assertEquals(Collections.nCopies(digests.size(), digests.get(0)), digests, "digests");
    }

    /**
     * The member runs and has written nothing to stderr but Aeron's warnings (an election's, a timeout's).
     *
     * @param member to check.
     */
    static void assertOnlyWarnings(final ServerProcess member)
    {
        assertTrue(member.isAlive(), member::toString);
        assertTrue(member.stderr().lines()
            .filter((line) -> line.contains("Exception") || line.contains("Error"))
            .allMatch((line) -> line.contains(": WARN - ")), () -> "only warnings: " + member);
    }

    /**
     * Hold still for a while: the length of a pause under test, not a wait for something to happen.
     */
    static void hold(final long millis)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long remainingNs;
        while ((remainingNs = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(remainingNs);
        }
    }
}
