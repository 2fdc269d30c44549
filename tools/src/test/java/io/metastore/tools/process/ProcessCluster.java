package io.metastore.tools.process;

import io.aeron.cluster.service.Cluster;
import io.metastore.client.MetaStoreClient;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static io.metastore.test.Tests.await;

/**
 * A cluster of 1, 3 or 5 {@link ServerProcess}es on loopback, each member with its own data directory under the
 * given one ({@code member-<id>}), its own media driver directory and log files. Members can be configured one by
 * one before {@link #start()}, killed, paused and restarted; {@link #client()} connects to every endpoint.
 * {@link #close()} kills what still runs and removes every media driver directory. It is the process-level
 * counterpart of {@code TestCluster}, whose nodes run in the test's JVM.
 * <pre>{@code
 * try (ProcessCluster cluster = new ProcessCluster(3, tempDir, basePort).start();
 *     MetaStoreClient client = cluster.client())
 * {
 *     client.put("k", "v");
 *     cluster.member(0).kill();
 * }
 * }</pre>
 */
public final class ProcessCluster implements AutoCloseable
{
    private final List<ServerProcess> members = new ArrayList<>();

    /**
     * @param size     number of members: 1, 3 or 5.
     * @param dir      parent of the members' data and log directories.
     * @param basePort of the cluster; member i uses base + 10 i to base + 10 i + 4.
     */
    public ProcessCluster(final int size, final File dir, final int basePort)
    {
        final String hosts = String.join(",", Collections.nCopies(size, "localhost"));
        for (int i = 0; i < size; i++)
        {
            final File memberDir = new File(dir, "member-" + i);
            final File dataDir = new File(memberDir, "data");
            members.add(new ServerProcess(i, hosts, basePort, dataDir, new File(memberDir, "logs")));
        }
    }

    /**
     * Configure every member, e.g. {@code cluster.each(m -> m.property("metastore.fsync", "true"))}.
     *
     * @param action applied to each member.
     * @return this for a fluent API.
     */
    public ProcessCluster each(final Consumer<ServerProcess> action)
    {
        members.forEach(action);
        return this;
    }

    /**
     * Start every member together and wait until each listens.
     *
     * @return this for a fluent API.
     */
    public ProcessCluster start()
    {
        members.forEach(ServerProcess::start);
        return awaitListening();
    }

    /**
     * Wait until every member listens.
     *
     * @return this for a fluent API.
     */
    public ProcessCluster awaitListening()
    {
        members.forEach(ServerProcess::awaitListening);
        return this;
    }

    /**
     * @param memberId of the member.
     * @return the member.
     */
    public ServerProcess member(final int memberId)
    {
        return members.get(memberId);
    }

    /**
     * @return every member, in member id order.
     */
    public List<ServerProcess> members()
    {
        return members;
    }

    /**
     * Wait until a running member other than the one excluded is leader, as its consensus module's role counter says.
     * A member that cannot act (paused, or blocked on its disk) may still say it leads, so a test that stopped the
     * leader excludes it.
     *
     * @param excluded member not to count, or null.
     * @return the id of the leader.
     */
    public int awaitLeaderOtherThan(final ServerProcess excluded)
    {
        final int[] leader = { -1 };
        await("a leader" + (null == excluded ? "" : " other than member " + excluded.memberId()), () ->
        {
            for (final ServerProcess member : members)
            {
                if (member != excluded && member.isAlive() && Cluster.Role.LEADER.code() == member.role())
                {
                    leader[0] = member.memberId();
                    return true;
                }
            }
            return false;
        });

        return leader[0];
    }

    /**
     * Wait until a running member is leader.
     *
     * @return the id of the leader.
     */
    public int awaitLeader()
    {
        return awaitLeaderOtherThan(null);
    }

    /**
     * @return the ingress endpoints of every member, in member order.
     */
    public String endpoints()
    {
        return members.stream().map(ServerProcess::endpoint).collect(Collectors.joining(","));
    }

    /**
     * A client of the whole cluster, which follows the leader; close it before the cluster.
     *
     * @return a connected client.
     */
    public MetaStoreClient client()
    {
        return MetaStoreClient.connect(new MetaStoreClient.Context()
            .endpoints(endpoints())
            .connectTimeout(ServerProcess.AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .requestTimeout(10, TimeUnit.SECONDS));
    }

    /**
     * Stop every running member with SIGTERM, all at once, and wait for them.
     *
     * @return each member's exit status.
     */
    public List<Integer> stop()
    {
        members.stream().filter(ServerProcess::isAlive).forEach(ServerProcess::requestStop);
        return members.stream().map(ServerProcess::awaitExit).toList();
    }

    /**
     * @return the state digest of each stopped member, opened offline.
     */
    public List<String> digests()
    {
        return members.stream().map(ServerProcess::digest).toList();
    }

    /**
     * Kill every member that still runs and remove the media driver directories.
     */
    public void close()
    {
        CloseHelper.closeAll(members);
    }
}
