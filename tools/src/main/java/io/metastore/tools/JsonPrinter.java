package io.metastore.tools;

import io.metastore.client.AlarmMember;
import io.metastore.client.AlarmResult;
import io.metastore.client.Change;
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
 * etcdctl 3.4's {@code json} output, byte for byte in shape: etcdctl runs Go's {@code encoding/json} over the
 * response structs, so
 * <ul>
 *     <li>keys and values are base64, numbers are JSON numbers (int64 too), one object per line;</li>
 *     <li>protobuf messages ({@code put}, {@code get}, {@code del}, {@code txn}, {@code lease revoke},
 *     {@code alarm}) leave out every zero, false and empty field ({@code omitempty}), in the proto's field order:
 *     a range is {@code header, kvs, more, count}, a pair {@code key, create_revision, mod_revision, version,
 *     value, lease};</li>
 *     <li>a txn's responses are {@code {"Response":{"ResponsePut":{...}}}} (the Go oneof wrapper), each with a
 *     header holding only its revision, as etcd fills it;</li>
 *     <li>lease grant, keep-alive, timetolive and list print clientv3's structs, whose header fields are inline:
 *     {@code cluster_id, member_id, revision, raft_term, ID, TTL, Error} for a grant, {@code ..., ID, TTL} for a
 *     keep-alive, {@code ..., id, ttl, granted-ttl, keys} (null when there are none) for timetolive and
 *     {@code ..., leases: [{id}]} for a list;</li>
 *     <li>alarm responses have no header, as etcd's; a compaction prints {@code compacted revision <n>}, not JSON,
 *     as etcdctl's does in every format.</li>
 * </ul>
 * One difference: the four fields of a response's own header are always printed. etcd's are never zero (random
 * cluster and member ids, a term and revision from 1), while MetaStore's member ids, first term and first
 * revision are 0, and leaving them out would change the structure scripts read. {@code raft_term} is the Aeron
 * leadership term id, {@code memberID} of an alarm the member id. {@code --hex} does not change this output, as in
 * etcdctl 3.4.
 */
final class JsonPrinter implements ResultPrinter
{
    private final PrintStream out;

    /**
     * @param out to print onto.
     */
    JsonPrinter(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public void put(final PutResult result)
    {
        final JsonWriter json = new JsonWriter();
        put(json, result, true);
        println(json);
    }

    @Override
    public void range(
        final RangeResult result, final boolean keysOnly, final boolean countOnly, final boolean valueOnly)
    {
        final JsonWriter json = new JsonWriter();
        range(json, result, keysOnly, true);
        println(json);
    }

    @Override
    public void delete(final DeleteResult result)
    {
        final JsonWriter json = new JsonWriter();
        delete(json, result, true);
        println(json);
    }

    @Override
    public void txn(final TxnResult result, final List<RangeFormat> formats)
    {
        final JsonWriter json = new JsonWriter();
        txn(json, result, formats, true);
        println(json);
    }

    /**
     * clientv3's {@code LeaseGrantResponse}: header inline, {@code ID}, {@code TTL} and an empty {@code Error}.
     */
    public void leaseGrant(final LeaseGrantResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        headerFields(json, result.header());
        json.name("ID").value(result.id()).name("TTL").value(result.ttlSeconds()).name("Error").value("");
        println(json.endObject());
    }

    @Override
    public void leaseRevoke(final long leaseId, final LeaseRevokeResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header(), true);
        println(json.endObject());
    }

    /**
     * clientv3's {@code LeaseKeepAliveResponse}: header inline, {@code ID}, {@code TTL}.
     */
    public void leaseKeepAlive(final LeaseKeepAliveResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        headerFields(json, result.header());
        json.name("ID").value(result.id()).name("TTL").value(result.ttlSeconds());
        println(json.endObject());
        out.flush();
    }

    /**
     * Nothing: as etcdctl, JSON output has no line for the end of a keep-alive.
     */
    public void leaseKeepAliveEnded(final long leaseId)
    {
    }

    /**
     * clientv3's {@code LeaseTimeToLiveResponse}: header inline, {@code id}, {@code ttl}, {@code granted-ttl},
     * {@code keys} (null when none is attached or they were not asked for).
     */
    public void leaseTimeToLive(final LeaseTimeToLiveResult result, final boolean withKeys)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        headerFields(json, result.header());
        json.name("id").value(result.id())
            .name("ttl").value(result.ttlSeconds())
            .name("granted-ttl").value(result.grantedTtlSeconds())
            .name("keys");
        if (!withKeys || result.keys().isEmpty())
        {
            json.nullValue();
        }
        else
        {
            json.beginArray();
            for (final byte[] key : result.keys())
            {
                json.value(ByteText.base64(key));
            }
            json.endArray();
        }
        println(json.endObject());
    }

    /**
     * clientv3's {@code LeaseLeasesResponse}: header inline, {@code leases}, an array even when empty.
     */
    public void leases(final LeaseListResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        headerFields(json, result.header());
        json.name("leases").beginArray();
        for (final long id : result.ids())
        {
            json.beginObject().name("id").value(id).endObject();
        }
        println(json.endArray().endObject());
    }

    /**
     * etcdctl 3.4 prints no JSON for a defragmentation either: the line, as in simple output.
     */
    public void defragmented(final DefragmentResult result)
    {
        out.writeBytes("Finished defragmenting every member (each reclaims space on a thread of its own)\n"
            .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * etcdctl 3.4 prints no JSON for a compaction, in any output format: the line {@code compacted revision <n>}.
     */
    public void compacted(final CompactResult result)
    {
        out.writeBytes(("compacted revision " + result.compactRevision() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * etcd's {@code AlarmResponse}, which etcd sends without a header: {@code {}} when no alarm is active.
     */
    public void alarms(final AlarmResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        if (!result.alarms().isEmpty())
        {
            json.name("alarms").beginArray();
            for (final AlarmMember alarm : result.alarms())
            {
                json.beginObject().name("memberID").value(alarm.memberId());
                if (0 != alarm.alarm().value())
                {
                    json.name("alarm").value(alarm.alarm().value());
                }
                json.endObject();
            }
            json.endArray();
        }
        println(json.endObject());
    }

    private static void put(final JsonWriter json, final PutResult result, final boolean topLevel)
    {
        json.beginObject();
        header(json, result.header(), topLevel);
        if (null != result.prevKv())
        {
            json.name("prev_kv");
            keyValue(json, result.prevKv(), true);
        }
        json.endObject();
    }

    /**
     * clientv3's {@code WatchResponse}: {@code Header}, {@code Events} (each etcd's {@code mvccpb.Event}, its
     * {@code type} left out for a PUT), {@code CompactRevision}, {@code Canceled}, {@code Created}. The header is the
     * member's message's: the member serving the watch, its leadership term, the revision it had committed.
     */
    @Override
    public void watchEvents(final WatchEvents events)
    {
        final JsonWriter json = watchResponse(events.header());
        json.name("Events").beginArray();
        for (final WatchEvent event : events.events())
        {
            json.beginObject();
            if (Change.Type.DELETE == event.type())
            {
                json.name("type").value(1);
            }
            json.name("kv");
            keyValue(json, event.kv(), true);
            if (null != event.prevKv())
            {
                json.name("prev_kv");
                keyValue(json, event.prevKv(), true);
            }
            json.endObject();
        }
        json.endArray();
        println(endWatchResponse(json));
    }

    @Override
    public void watchProgress(final ResponseHeader header)
    {
        final JsonWriter json = watchResponse(header);
        json.name("Events").nullValue();
        println(endWatchResponse(json));
    }

    private static JsonWriter watchResponse(final ResponseHeader header)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        json.name("Header").beginObject();
        headerFields(json, header);
        json.endObject();
        return json;
    }

    private static JsonWriter endWatchResponse(final JsonWriter json)
    {
        return json.name("CompactRevision").value(0)
            .name("Canceled").value(false)
            .name("Created").value(false)
            .endObject();
    }

    private static void range(
        final JsonWriter json, final RangeResult result, final boolean keysOnly, final boolean topLevel)
    {
        json.beginObject();
        header(json, result.header(), topLevel);
        if (!result.kvs().isEmpty())
        {
            json.name("kvs").beginArray();
            for (final KeyValue kv : result.kvs())
            {
                keyValue(json, kv, !keysOnly);
            }
            json.endArray();
        }
        if (result.more())
        {
            json.name("more").value(true);
        }
        if (0 != result.count())
        {
            json.name("count").value(result.count());
        }
        json.endObject();
    }

    private static void delete(final JsonWriter json, final DeleteResult result, final boolean topLevel)
    {
        json.beginObject();
        header(json, result.header(), topLevel);
        if (0 != result.deleted())
        {
            json.name("deleted").value(result.deleted());
        }
        if (!result.prevKvs().isEmpty())
        {
            json.name("prev_kvs").beginArray();
            for (final KeyValue kv : result.prevKvs())
            {
                keyValue(json, kv, true);
            }
            json.endArray();
        }
        json.endObject();
    }

    private static void txn(
        final JsonWriter json, final TxnResult result, final List<RangeFormat> formats, final boolean topLevel)
    {
        json.beginObject();
        header(json, result.header(), topLevel);
        if (result.succeeded())
        {
            json.name("succeeded").value(true);
        }
        final List<OpResult> responses = result.responses();
        if (!responses.isEmpty())
        {
            json.name("responses").beginArray();
            for (int i = 0; i < responses.size(); i++)
            {
                final OpResult response = responses.get(i);
                json.beginObject().name("Response").beginObject();
                if (response instanceof PutResult put)
                {
                    put(json.name("ResponsePut"), put, false);
                }
                else if (response instanceof RangeResult range)
                {
                    final RangeFormat format = i < formats.size() ? formats.get(i) : RangeFormat.DEFAULT;
                    range(json.name("ResponseRange"), range, format.keysOnly(), false);
                }
                else if (response instanceof DeleteResult delete)
                {
                    delete(json.name("ResponseDeleteRange"), delete, false);
                }
                else if (response instanceof TxnResult txn)
                {
                    txn(json.name("ResponseTxn"), txn, List.of(), false);
                }
                json.endObject().endObject();
            }
            json.endArray();
        }
        json.endObject();
    }

    /**
     * A response's {@code header}: all four fields for the response printed, only the revision (if not zero) for
     * one nested in a txn, as etcd fills those.
     */
    private static void header(final JsonWriter json, final ResponseHeader header, final boolean topLevel)
    {
        json.name("header").beginObject();
        if (topLevel)
        {
            headerFields(json, header);
        }
        else if (0 != header.revision())
        {
            json.name("revision").value(header.revision());
        }
        json.endObject();
    }

    private static void headerFields(final JsonWriter json, final ResponseHeader header)
    {
        json.name("cluster_id").value(Integer.toUnsignedLong(header.clusterId()))
            .name("member_id").value(Integer.toUnsignedLong(header.memberId()))
            .name("revision").value(header.revision())
            .name("raft_term").value(header.leadershipTermId());
    }

    private static void keyValue(final JsonWriter json, final KeyValue kv, final boolean withValue)
    {
        json.beginObject();
        if (0 != kv.key().length)
        {
            json.name("key").value(ByteText.base64(kv.key()));
        }
        nonZero(json, "create_revision", kv.createRevision());
        nonZero(json, "mod_revision", kv.modRevision());
        nonZero(json, "version", kv.version());
        if (withValue && 0 != kv.value().length)
        {
            json.name("value").value(ByteText.base64(kv.value()));
        }
        nonZero(json, "lease", kv.lease());
        json.endObject();
    }

    private static void nonZero(final JsonWriter json, final String name, final long value)
    {
        if (0 != value)
        {
            json.name(name).value(value);
        }
    }

    private void println(final JsonWriter json)
    {
        out.writeBytes(json.toString().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public void endpointStatus(final List<ClusterReport.EndpointStatus> statuses)
    {
        text(ClusterPrinting.jsonStatus(statuses));
    }

    @Override
    public void endpointHealth(final List<ClusterReport.EndpointHealth> healths)
    {
        text(ClusterPrinting.jsonHealth(healths));
    }

    @Override
    public void endpointHashKv(final List<ClusterReport.EndpointHash> hashes)
    {
        text(ClusterPrinting.jsonHash(hashes));
    }

    @Override
    public void memberList(final ResponseHeader header, final List<ClusterReport.MemberRow> members)
    {
        text(ClusterPrinting.jsonMembers(header, members));
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
