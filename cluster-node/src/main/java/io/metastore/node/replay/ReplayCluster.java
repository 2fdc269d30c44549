package io.metastore.node.replay;

import io.aeron.Aeron;
import io.aeron.DirectBufferVector;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The cluster as the service sees it while the log is replayed offline: a follower at the position of the entry
 * being applied. Timers are not scheduled, because the recorded log holds every timer event that fired; nothing is
 * sent, because a follower sends nothing either.
 */
final class ReplayCluster implements Cluster
{
    private final int memberId;
    private final ClientSession session;
    private long logPosition;
    private long time;

    ReplayCluster(final int memberId, final ClientSession session)
    {
        this.memberId = memberId;
        this.session = session;
    }

    void entry(final long logPosition, final long time)
    {
        this.logPosition = logPosition;
        this.time = time;
    }

    @Override
    public int memberId()
    {
        return memberId;
    }

    @Override
    public Role role()
    {
        return Role.FOLLOWER;
    }

    @Override
    public long logPosition()
    {
        return logPosition;
    }

    @Override
    public Aeron aeron()
    {
        return null;
    }

    @Override
    public ClusteredServiceContainer.Context context()
    {
        return null;
    }

    @Override
    public ClientSession getClientSession(final long clusterSessionId)
    {
        return session;
    }

    @Override
    public Collection<ClientSession> clientSessions()
    {
        return List.of(session);
    }

    @Override
    public void forEachClientSession(final Consumer<? super ClientSession> action)
    {
        action.accept(session);
    }

    @Override
    public boolean closeClientSession(final long clusterSessionId)
    {
        return false;
    }

    @Override
    public long time()
    {
        return time;
    }

    @Override
    public TimeUnit timeUnit()
    {
        return TimeUnit.MILLISECONDS;
    }

    @Override
    public boolean scheduleTimer(final long correlationId, final long deadline)
    {
        return true;
    }

    @Override
    public boolean cancelTimer(final long correlationId)
    {
        return true;
    }

    @Override
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return ClientSession.MOCKED_OFFER;
    }

    @Override
    public long offer(final DirectBufferVector[] vectors)
    {
        return ClientSession.MOCKED_OFFER;
    }

    @Override
    public long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        return ClientSession.MOCKED_OFFER;
    }

    @Override
    public IdleStrategy idleStrategy()
    {
        return NoOpIdleStrategy.INSTANCE;
    }
}
