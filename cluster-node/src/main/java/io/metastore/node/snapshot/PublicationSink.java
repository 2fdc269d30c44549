package io.metastore.node.snapshot;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.cluster.client.ClusterException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.function.BooleanSupplier;

/**
 * Snapshot records into a publication: every offer retried while back pressured, so nothing is dropped. A cluster
 * snapshot's publication waits as long as it takes; a save's gives up once the publication has taken nothing for its
 * timeout (its client is gone or stopped reading).
 */
public final class PublicationSink implements SnapshotSink
{
    private final ExclusivePublication publication;
    private final IdleStrategy idleStrategy;
    private final NanoClock nanoClock;
    private final long stallTimeoutNs;
    private final BooleanSupplier isAborted;
    private long records;
    private long bytes;

    /**
     * A sink that waits as long as the publication needs.
     *
     * @param publication  to offer to.
     * @param idleStrategy to wait with while it is back pressured.
     */
    public PublicationSink(final ExclusivePublication publication, final IdleStrategy idleStrategy)
    {
        this(publication, idleStrategy, null, 0, () -> false);
    }

    /**
     * @param publication    to offer to.
     * @param idleStrategy   to wait with while it is back pressured or not connected.
     * @param nanoClock      for the timeout, or null for none.
     * @param stallTimeoutNs after which a publication that takes nothing fails the write.
     * @param isAborted      true fails the next write: the member is stopping.
     */
    public PublicationSink(
        final ExclusivePublication publication,
        final IdleStrategy idleStrategy,
        final NanoClock nanoClock,
        final long stallTimeoutNs,
        final BooleanSupplier isAborted)
    {
        this.isAborted = isAborted;
        this.publication = publication;
        this.idleStrategy = idleStrategy;
        this.nanoClock = nanoClock;
        this.stallTimeoutNs = stallTimeoutNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void write(final DirectBuffer buffer, final int offset, final int length)
    {
        if (isAborted.getAsBoolean())
        {
            throw new ClusterException("snapshot write aborted: the member is stopping");
        }
        final long startNs = null == nanoClock ? 0 : nanoClock.nanoTime();
        idleStrategy.reset();
        while (true)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                records++;
                bytes += length;
                return;
            }
            final boolean isTimed = null != nanoClock;
            if (Publication.BACK_PRESSURED != result && Publication.ADMIN_ACTION != result &&
                !(isTimed && Publication.NOT_CONNECTED == result))
            {
                throw new ClusterException("snapshot offer failed: " + Publication.errorString(result));
            }
            if (isTimed && nanoClock.nanoTime() - startNs > stallTimeoutNs)
            {
                throw new ClusterException("snapshot offer failed: the reader took nothing for " +
                    stallTimeoutNs / 1_000_000 + " ms (" + Publication.errorString(result) + ")");
            }
            idleStrategy.idle();
        }
    }

    /**
     * @return records written.
     */
    public long records()
    {
        return records;
    }

    /**
     * @return bytes written.
     */
    public long bytes()
    {
        return bytes;
    }
}
