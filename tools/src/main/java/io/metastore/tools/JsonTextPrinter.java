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
 * The {@code jsontext} output: etcdctl's {@code json} shape, one object per line, with etcd's field names
 * ({@code raft_term} is the Aeron leadership term id), every field present, zero or not, and keys and values that
 * read as text. Unlike etcd, which base64-encodes every key and value, a key or value that is valid UTF-8 is a
 * JSON string in {@code key} / {@code value}; one that is not is base64 in {@code key_base64} /
 * {@code value_base64}. With {@code --hex} every key and value is a hex string in {@code key_hex} /
 * {@code value_hex}. This was the command line's {@code json} before that became etcdctl's exactly.
 * <p>
 * Leases and transactions use the field names of etcd's protobuf messages ({@code ID}, {@code TTL},
 * {@code grantedTTL}, {@code keys}, {@code leases}, {@code succeeded}, {@code responses} with one
 * {@code response_put} / {@code response_range} / {@code response_delete_range} / {@code response_txn} member per
 * operation), each with a {@code header} object as every other verb prints. Alarms: {@code alarms}, each with
 * {@code memberID} and {@code alarm}, the type's number as etcd's JSON has it (1 NOSPACE, 2 CORRUPT).
 */
final class JsonTextPrinter implements ResultPrinter
{
    private final PrintStream out;
    private final boolean hex;

    /**
     * @param out to print onto.
     * @param hex print keys and values as hex strings.
     */
    JsonTextPrinter(final PrintStream out, final boolean hex)
    {
        this.out = out;
        this.hex = hex;
    }

    @Override
    public void put(final PutResult result)
    {
        final JsonWriter json = new JsonWriter();
        put(json, result);
        println(json);
    }

    @Override
    public void range(
        final RangeResult result, final boolean keysOnly, final boolean countOnly, final boolean valueOnly)
    {
        final JsonWriter json = new JsonWriter();
        range(json, result, keysOnly);
        println(json);
    }

    @Override
    public void delete(final DeleteResult result)
    {
        final JsonWriter json = new JsonWriter();
        delete(json, result);
        println(json);
    }

    @Override
    public void txn(final TxnResult result, final List<RangeFormat> formats)
    {
        final JsonWriter json = new JsonWriter();
        txn(json, result, formats);
        println(json);
    }

    @Override
    public void leaseGrant(final LeaseGrantResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("ID").value(result.id()).name("TTL").value(result.ttlSeconds());
        println(json.endObject());
    }

    @Override
    public void leaseRevoke(final long leaseId, final LeaseRevokeResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        println(json.endObject());
    }

    @Override
    public void leaseKeepAlive(final LeaseKeepAliveResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("ID").value(result.id()).name("TTL").value(result.ttlSeconds());
        println(json.endObject());
        out.flush();
    }

    /**
     * Nothing: as etcdctl, JSON output has no line for the end of a keep-alive; the error goes to stderr.
     */
    public void leaseKeepAliveEnded(final long leaseId)
    {
    }

    @Override
    public void leaseTimeToLive(final LeaseTimeToLiveResult result, final boolean withKeys)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("ID").value(result.id())
            .name("TTL").value(result.ttlSeconds())
            .name("grantedTTL").value(result.grantedTtlSeconds());
        if (withKeys)
        {
            final boolean allUtf8 = result.keys().stream().allMatch((key) -> null != ByteText.utf8OrNull(key));
            json.name(hex ? "keys_hex" : allUtf8 ? "keys" : "keys_base64").beginArray();
            for (final byte[] key : result.keys())
            {
                json.value(hex ? ByteText.hex(key) : allUtf8 ? ByteText.utf8OrNull(key) : ByteText.base64(key));
            }
            json.endArray();
        }
        println(json.endObject());
    }

    @Override
    public void leases(final LeaseListResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("leases").beginArray();
        for (final long id : result.ids())
        {
            json.beginObject().name("ID").value(id).endObject();
        }
        println(json.endArray().endObject());
    }

    @Override
    public void defragmented(final DefragmentResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        println(json.endObject());
    }

    @Override
    public void compacted(final CompactResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("compact_revision").value(result.compactRevision());
        println(json.endObject());
    }

    @Override
    public void alarms(final AlarmResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("alarms").beginArray();
        for (final AlarmMember alarm : result.alarms())
        {
            json.beginObject().name("memberID").value(alarm.memberId()).name("alarm").value(alarm.alarm().value())
                .endObject();
        }
        println(json.endArray().endObject());
    }

    private void put(final JsonWriter json, final PutResult result)
    {
        json.beginObject();
        header(json, result.header());
        if (null != result.prevKv())
        {
            json.name("prev_kv");
            keyValue(json, result.prevKv(), true);
        }
        json.endObject();
    }

    private void range(final JsonWriter json, final RangeResult result, final boolean keysOnly)
    {
        json.beginObject();
        header(json, result.header());
        json.name("kvs").beginArray();
        for (final KeyValue kv : result.kvs())
        {
            keyValue(json, kv, !keysOnly);
        }
        json.endArray()
            .name("count").value(result.count())
            .name("more").value(result.more());
        json.endObject();
    }

    private void delete(final JsonWriter json, final DeleteResult result)
    {
        json.beginObject();
        header(json, result.header());
        json.name("deleted").value(result.deleted());
        json.name("prev_kvs").beginArray();
        for (final KeyValue kv : result.prevKvs())
        {
            keyValue(json, kv, true);
        }
        json.endArray();
        json.endObject();
    }

    private void txn(final JsonWriter json, final TxnResult result, final List<RangeFormat> formats)
    {
        json.beginObject();
        header(json, result.header());
        json.name("succeeded").value(result.succeeded());
        json.name("responses").beginArray();
        final List<OpResult> responses = result.responses();
        for (int i = 0; i < responses.size(); i++)
        {
            final OpResult response = responses.get(i);
            json.beginObject();
            if (response instanceof PutResult put)
            {
                put(json.name("response_put"), put);
            }
            else if (response instanceof RangeResult range)
            {
                final RangeFormat format = i < formats.size() ? formats.get(i) : RangeFormat.DEFAULT;
                range(json.name("response_range"), range, format.keysOnly());
            }
            else if (response instanceof DeleteResult delete)
            {
                delete(json.name("response_delete_range"), delete);
            }
            else if (response instanceof TxnResult txn)
            {
                txn(json.name("response_txn"), txn, List.of());
            }
            json.endObject();
        }
        json.endArray();
        json.endObject();
    }

    /**
     * A revision's events: {@code revision}, then {@code events}, each with its {@code type} (PUT or DELETE),
     * {@code kv} and, when asked for and kept, {@code prev_kv}.
     */
    @Override
    public void watchEvents(final WatchEvents events)
    {
        final JsonWriter json = new JsonWriter().beginObject().name("revision").value(events.revision());
        json.name("events").beginArray();
        for (final WatchEvent event : events.events())
        {
            json.beginObject().name("type").value(event.type().name()).name("kv");
            keyValue(json, event.kv(), true);
            if (null != event.prevKv())
            {
                json.name("prev_kv");
                keyValue(json, event.prevKv(), true);
            }
            json.endObject();
        }
        println(json.endArray().endObject());
    }

    @Override
    public void watchProgress(final ResponseHeader header)
    {
        println(new JsonWriter().beginObject().name("progress_notify").value(true)
            .name("revision").value(header.revision()).endObject());
    }

    private void header(final JsonWriter json, final ResponseHeader header)
    {
        json.name("header").beginObject()
            .name("cluster_id").value(header.clusterId())
            .name("member_id").value(header.memberId())
            .name("revision").value(header.revision())
            .name("raft_term").value(header.leadershipTermId())
            .endObject();
    }

    private void keyValue(final JsonWriter json, final KeyValue kv, final boolean withValue)
    {
        json.beginObject();
        bytes(json, "key", kv.key());
        json.name("create_revision").value(kv.createRevision())
            .name("mod_revision").value(kv.modRevision())
            .name("version").value(kv.version());
        if (withValue)
        {
            bytes(json, "value", kv.value());
        }
        json.name("lease").value(kv.lease());
        json.endObject();
    }

    private void bytes(final JsonWriter json, final String name, final byte[] bytes)
    {
        final String text = ByteText.utf8OrNull(bytes);
        if (hex)
        {
            json.name(name + "_hex").value(ByteText.hex(bytes));
        }
        else if (null != text)
        {
            json.name(name).value(text);
        }
        else
        {
            json.name(name + "_base64").value(ByteText.base64(bytes));
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
