package io.metastore.tools;

import io.metastore.client.AlarmMember;
import io.metastore.client.AlarmResult;
import io.metastore.client.CompactResult;
import io.metastore.client.DefragmentResult;
import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.LeaseGrantResult;
import io.metastore.client.LeaseKeepAliveResult;
import io.metastore.client.LeaseListResult;
import io.metastore.client.LeaseRevokeResult;
import io.metastore.client.LeaseTimeToLiveResult;
import io.metastore.client.OpResult;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;
import io.metastore.client.TxnResult;
import io.metastore.client.WatchEvent;
import io.metastore.client.WatchEvents;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * etcdctl's {@code simple} output: a key on one line and its value on the next, byte for byte as etcdctl prints
 * them, so a value reads back as it was put (a value holding a newline spans two lines, as with etcdctl). With
 * {@code --hex} keys and values are {@code \x}-escaped hex instead, as etcdctl's, which no bytes can be confused
 * with. Lines end with {@code \n} on every platform.
 */
final class SimplePrinter implements ResultPrinter
{
    private static final byte[] EMPTY = new byte[0];

    private final PrintStream out;
    private final boolean hex;

    /**
     * @param out to print onto.
     * @param hex print keys and values as {@code \x}-escaped hex.
     */
    SimplePrinter(final PrintStream out, final boolean hex)
    {
        this.out = out;
        this.hex = hex;
    }

    @Override
    public void put(final PutResult result)
    {
        line("OK");
        if (null != result.prevKv())
        {
            printKeyValue(result.prevKv(), false);
        }
    }

    @Override
    public void range(
        final RangeResult result, final boolean keysOnly, final boolean countOnly, final boolean valueOnly)
    {
        if (countOnly)
        {
            line(Long.toString(result.count()));
            return;
        }

        // As etcdctl 3.4: with --keys-only each key is followed by its empty value's line.
        for (final KeyValue kv : result.kvs())
        {
            printKeyValue(kv.key(), keysOnly ? EMPTY : kv.value(), valueOnly);
        }
    }

    @Override
    public void delete(final DeleteResult result)
    {
        line(Long.toString(result.deleted()));
        for (final KeyValue kv : result.prevKvs())
        {
            printKeyValue(kv, false);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * etcdctl's form: SUCCESS or FAILURE, then each operation's result after a blank line, as its verb prints it.
     */
    @Override
    public void txn(final TxnResult result, final List<RangeFormat> formats)
    {
        line(result.succeeded() ? "SUCCESS" : "FAILURE");
        final List<OpResult> responses = result.responses();
        for (int i = 0; i < responses.size(); i++)
        {
            line("");
            final OpResult response = responses.get(i);
            if (response instanceof PutResult put)
            {
                put(put);
            }
            else if (response instanceof RangeResult range)
            {
                final RangeFormat format = i < formats.size() ? formats.get(i) : RangeFormat.DEFAULT;
                range(range, format.keysOnly(), format.countOnly(), format.valueOnly());
            }
            else if (response instanceof DeleteResult delete)
            {
                delete(delete);
            }
            else if (response instanceof TxnResult txn)
            {
                txn(txn, List.of());
            }
        }
    }

    @Override
    public void leaseGrant(final LeaseGrantResult result)
    {
        line(String.format("lease %016x granted with TTL(%ds)", result.id(), result.ttlSeconds()));
    }

    @Override
    public void leaseRevoke(final long leaseId, final LeaseRevokeResult result)
    {
        line(String.format("lease %016x revoked", leaseId));
    }

    @Override
    public void leaseKeepAlive(final LeaseKeepAliveResult result)
    {
        line(String.format("lease %016x keepalived with TTL(%d)", result.id(), result.ttlSeconds()));
        out.flush();
    }

    @Override
    public void leaseKeepAliveEnded(final long leaseId)
    {
        line(String.format("lease %016x expired or revoked.", leaseId));
    }

    @Override
    public void leaseTimeToLive(final LeaseTimeToLiveResult result, final boolean withKeys)
    {
        if (!result.exists())
        {
            line(String.format("lease %016x already expired", result.id()));
            return;
        }

        out.print(String.format("lease %016x granted with TTL(%ds), remaining(%ds)",
            result.id(), result.grantedTtlSeconds(), result.ttlSeconds()));
        if (withKeys)
        {
            // etcdctl prints the keys as Go strings, byte for byte, whatever --hex says.
            out.print(", attached keys([");
            for (int i = 0; i < result.keys().size(); i++)
            {
                if (i > 0)
                {
                    out.print(' ');
                }
                out.writeBytes(result.keys().get(i));
            }
            out.print("])");
        }
        line("");
    }

    @Override
    public void leases(final LeaseListResult result)
    {
        line(String.format("found %d leases", result.ids().size()));
        for (final long id : result.ids())
        {
            line(String.format("%016x", id));
        }
    }

    @Override
    public void defragmented(final DefragmentResult result)
    {
        line("Finished defragmenting every member (each reclaims space on a thread of its own)");
    }

    @Override
    public void compacted(final CompactResult result)
    {
        line("compacted revision " + result.compactRevision());
    }

    @Override
    public void alarms(final AlarmResult result)
    {
        for (final AlarmMember alarm : result.alarms())
        {
            line("memberID:" + Long.toUnsignedString(alarm.memberId()) + " alarm:" + alarm.alarm());
        }
    }

    /**
     * As etcdctl's: the event's type, then the previous pair if asked for, then the pair (a delete's value empty).
     */
    @Override
    public void watchEvents(final WatchEvents events)
    {
        for (final WatchEvent event : events.events())
        {
            line(event.type().name());
            if (null != event.prevKv())
            {
                printKeyValue(event.prevKv(), false);
            }
            printKeyValue(event.kv(), false);
        }
    }

    @Override
    public void watchProgress(final ResponseHeader header)
    {
        line("progress notify: " + header.revision());
    }

    private void printKeyValue(final KeyValue kv, final boolean valueOnly)
    {
        printKeyValue(kv.key(), kv.value(), valueOnly);
    }

    private void printKeyValue(final byte[] key, final byte[] value, final boolean valueOnly)
    {
        if (!valueOnly)
        {
            bytesLine(key);
        }
        bytesLine(value);
    }

    private void bytesLine(final byte[] bytes)
    {
        if (hex)
        {
            line(ByteText.hexEscaped(bytes));
        }
        else
        {
            out.writeBytes(bytes);
            out.write('\n');
        }
    }

    private void line(final String text)
    {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public void endpointStatus(final List<ClusterReport.EndpointStatus> statuses)
    {
        text(ClusterPrinting.simple(ClusterPrinting.statusRows(statuses)));
    }

    @Override
    public void endpointHealth(final List<ClusterReport.EndpointHealth> healths)
    {
        text(ClusterPrinting.simpleHealth(healths));
    }

    @Override
    public void endpointHashKv(final List<ClusterReport.EndpointHash> hashes)
    {
        text(ClusterPrinting.simple(ClusterPrinting.hashRows(hashes)));
    }

    @Override
    public void memberList(final ResponseHeader header, final List<ClusterReport.MemberRow> members)
    {
        text(ClusterPrinting.simple(ClusterPrinting.memberRows(members)));
    }

    private void text(final String text)
    {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush()
    {
        out.flush();
    }
}
