package io.metastore.tools;

import io.metastore.client.AlarmMember;
import io.metastore.client.AlarmResult;
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
import io.metastore.client.TxnResult;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * etcdctl's {@code simple} output: a key on one line and its value on the next. Bytes that are not valid UTF-8
 * are printed as {@code base64:} followed by their base64.
 */
final class SimplePrinter implements ResultPrinter
{
    private final PrintWriter out;

    SimplePrinter(final PrintWriter out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    public void put(final PutResult result)
    {
        out.println("OK");
        if (null != result.prevKv())
        {
            printKeyValue(result.prevKv(), false);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void range(
        final RangeResult result, final boolean keysOnly, final boolean countOnly, final boolean valueOnly)
    {
        if (countOnly)
        {
            out.println(result.count());
            return;
        }

        for (final KeyValue kv : result.kvs())
        {
            if (keysOnly)
            {
                out.println(ByteText.forDisplay(kv.key()));
            }
            else
            {
                printKeyValue(kv, valueOnly);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void delete(final DeleteResult result)
    {
        out.println(result.deleted());
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
    public void txn(final TxnResult result, final List<RangeFormat> formats)
    {
        out.println(result.succeeded() ? "SUCCESS" : "FAILURE");
        final List<OpResult> responses = result.responses();
        for (int i = 0; i < responses.size(); i++)
        {
            out.println();
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

    /**
     * {@inheritDoc}
     */
    public void leaseGrant(final LeaseGrantResult result)
    {
        out.printf("lease %016x granted with TTL(%ds)%n", result.id(), result.ttlSeconds());
    }

    /**
     * {@inheritDoc}
     */
    public void leaseRevoke(final long leaseId, final LeaseRevokeResult result)
    {
        out.printf("lease %016x revoked%n", leaseId);
    }

    /**
     * {@inheritDoc}
     */
    public void leaseKeepAlive(final LeaseKeepAliveResult result)
    {
        out.printf("lease %016x keepalived with TTL(%d)%n", result.id(), result.ttlSeconds());
        out.flush();
    }

    /**
     * {@inheritDoc}
     */
    public void leaseKeepAliveEnded(final long leaseId)
    {
        out.printf("lease %016x expired or revoked.%n", leaseId);
    }

    /**
     * {@inheritDoc}
     */
    public void leaseTimeToLive(final LeaseTimeToLiveResult result, final boolean withKeys)
    {
        if (!result.exists())
        {
            out.printf("lease %016x already expired%n", result.id());
            return;
        }

        final StringBuilder sb = new StringBuilder(String.format("lease %016x granted with TTL(%ds), remaining(%ds)",
            result.id(), result.grantedTtlSeconds(), result.ttlSeconds()));
        if (withKeys)
        {
            final List<String> keys = new ArrayList<>(result.keys().size());
            for (final byte[] key : result.keys())
            {
                keys.add(ByteText.forDisplay(key));
            }
            sb.append(", attached keys([").append(String.join(" ", keys)).append("])");
        }
        out.println(sb);
    }

    /**
     * {@inheritDoc}
     */
    public void leases(final LeaseListResult result)
    {
        out.printf("found %d leases%n", result.ids().size());
        for (final long id : result.ids())
        {
            out.printf("%016x%n", id);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void alarms(final AlarmResult result)
    {
        for (final AlarmMember alarm : result.alarms())
        {
            out.printf("memberID:%s alarm:%s%n", Long.toUnsignedString(alarm.memberId()), alarm.alarm());
        }
    }

    private void printKeyValue(final KeyValue kv, final boolean valueOnly)
    {
        if (!valueOnly)
        {
            out.println(ByteText.forDisplay(kv.key()));
        }
        out.println(ByteText.forDisplay(kv.value()));
    }
}
