package io.metastore.node;

import io.aeron.cluster.client.ClusterException;
import io.aeron.exceptions.AeronException;
import io.metastore.node.space.DiskSpaceMonitor;
import org.agrona.ErrorHandler;

/**
 * What a node does about its free space: below the alarm threshold it asks the cluster, through the log, to raise
 * the NOSPACE alarm for this member, and to clear it once space is back; below the reserve it stops: a fatal error,
 * which the node's error handler turns into a fail stop.
 */
final class NodeDiskSpaceListener implements DiskSpaceMonitor.Listener
{
    private final MetaStoreNode.Context ctx;
    private final NoSpaceAlarmReporter reporter;
    private final ErrorHandler errorHandler;

    /**
     * @param ctx          of the node.
     * @param reporter     that proposes the alarm through the log.
     * @param errorHandler of the node: a fatal error given to it stops the node.
     */
    NodeDiskSpaceListener(
        final MetaStoreNode.Context ctx, final NoSpaceAlarmReporter reporter, final ErrorHandler errorHandler)
    {
        this.ctx = ctx;
        this.reporter = reporter;
        this.errorHandler = errorHandler;
    }

    @Override
    public boolean onLowSpace(final long usableBytes)
    {
        errorHandler.onError(new ClusterException(
            "member " + ctx.memberId() + ": " + ctx.nodeDir() + " has " + usableBytes + " bytes usable, below " +
            MetaStoreNode.Configuration.DISK_ALARM_BYTES_PROP_NAME + "=" + ctx.diskAlarmBytes() +
            ": raising the NOSPACE alarm", AeronException.Category.WARN));
        reporter.want(true);
        return true;
    }

    @Override
    public boolean onSpaceRestored(final long usableBytes)
    {
        reporter.want(false);
        return true;
    }

    @Override
    public void onReserveExhausted(final long usableBytes)
    {
        errorHandler.onError(new ClusterException(
            "member " + ctx.memberId() + ": " + ctx.nodeDir() + " has " + usableBytes + " bytes usable, below " +
            MetaStoreNode.Configuration.DISK_RESERVE_BYTES_PROP_NAME + "=" + ctx.diskReserveBytes() +
            ": stopping before a write fails half way; free space and start it again",
            AeronException.Category.FATAL));
    }
}
