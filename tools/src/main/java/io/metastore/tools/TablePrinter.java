package io.metastore.tools;

import io.metastore.client.AlarmResult;
import io.metastore.client.CompactResult;
import io.metastore.client.DefragmentResult;
import io.metastore.client.DeleteResult;
import io.metastore.client.LeaseGrantResult;
import io.metastore.client.LeaseKeepAliveResult;
import io.metastore.client.LeaseListResult;
import io.metastore.client.LeaseRevokeResult;
import io.metastore.client.LeaseTimeToLiveResult;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;
import io.metastore.client.TxnResult;
import io.metastore.client.WatchEvents;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * etcdctl's {@code table} output: the {@code endpoint} and {@code member} verbs as tables ({@link TextTable}); every
 * other verb fails as etcdctl's does, "table is not supported as output format".
 */
final class TablePrinter implements ResultPrinter
{
    private final PrintStream out;

    /**
     * @param out to print onto.
     */
    TablePrinter(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public void endpointStatus(final List<ClusterReport.EndpointStatus> statuses)
    {
        text(TextTable.render(ClusterPrinting.STATUS_HEADER, ClusterPrinting.statusRows(statuses)));
    }

    @Override
    public void endpointHealth(final List<ClusterReport.EndpointHealth> healths)
    {
        text(TextTable.render(ClusterPrinting.HEALTH_HEADER, ClusterPrinting.healthRows(healths)));
    }

    @Override
    public void endpointHashKv(final List<ClusterReport.EndpointHash> hashes)
    {
        text(TextTable.render(ClusterPrinting.HASH_HEADER, ClusterPrinting.hashRows(hashes)));
    }

    @Override
    public void memberList(final ResponseHeader header, final List<ClusterReport.MemberRow> members)
    {
        text(TextTable.render(ClusterPrinting.MEMBER_HEADER, ClusterPrinting.memberRows(members)));
    }

    @Override
    public void put(final PutResult result)
    {
        throw unsupported();
    }

    @Override
    public void range(
        final RangeResult result, final boolean keysOnly, final boolean countOnly, final boolean valueOnly)
    {
        throw unsupported();
    }

    @Override
    public void delete(final DeleteResult result)
    {
        throw unsupported();
    }

    @Override
    public void txn(final TxnResult result, final List<RangeFormat> formats)
    {
        throw unsupported();
    }

    @Override
    public void leaseGrant(final LeaseGrantResult result)
    {
        throw unsupported();
    }

    @Override
    public void leaseRevoke(final long leaseId, final LeaseRevokeResult result)
    {
        throw unsupported();
    }

    @Override
    public void leaseKeepAlive(final LeaseKeepAliveResult result)
    {
        throw unsupported();
    }

    @Override
    public void leaseKeepAliveEnded(final long leaseId)
    {
        throw unsupported();
    }

    @Override
    public void leaseTimeToLive(final LeaseTimeToLiveResult result, final boolean withKeys)
    {
        throw unsupported();
    }

    @Override
    public void leases(final LeaseListResult result)
    {
        throw unsupported();
    }

    @Override
    public void alarms(final AlarmResult result)
    {
        throw unsupported();
    }

    @Override
    public void compacted(final CompactResult result)
    {
        throw unsupported();
    }

    @Override
    public void defragmented(final DefragmentResult result)
    {
        throw unsupported();
    }

    @Override
    public void watchEvents(final WatchEvents events)
    {
        throw unsupported();
    }

    @Override
    public void watchProgress(final ResponseHeader header)
    {
        throw unsupported();
    }

    @Override
    public void flush()
    {
        out.flush();
    }

    private void text(final String text)
    {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    static CliFailure unsupported()
    {
        return new CliFailure(ExitCodes.BAD_FEATURE, "table is not supported as output format");
    }
}
