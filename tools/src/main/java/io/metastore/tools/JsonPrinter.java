package io.metastore.tools;

import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;

import java.io.PrintWriter;

/**
 * etcdctl's {@code json} output, one object per line, with etcd's field names ({@code raft_term} is the Aeron
 * leadership term id). Unlike etcd, which base64-encodes every key and value, a key or value that is valid UTF-8
 * is a JSON string in {@code key} / {@code value}; one that is not is base64 in {@code key_base64} /
 * {@code value_base64}.
 */
final class JsonPrinter implements ResultPrinter
{
    private final PrintWriter out;

    JsonPrinter(final PrintWriter out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    public void put(final PutResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        if (null != result.prevKv())
        {
            json.name("prev_kv");
            keyValue(json, result.prevKv(), true);
        }
        out.println(json.endObject());
    }

    /**
     * {@inheritDoc}
     */
    public void range(
        final RangeResult result, final boolean keysOnly, final boolean countOnly, final boolean valueOnly)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("kvs").beginArray();
        for (final KeyValue kv : result.kvs())
        {
            keyValue(json, kv, !keysOnly);
        }
        json.endArray()
            .name("count").value(result.count())
            .name("more").value(result.more());
        out.println(json.endObject());
    }

    /**
     * {@inheritDoc}
     */
    public void delete(final DeleteResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        header(json, result.header());
        json.name("deleted").value(result.deleted());
        json.name("prev_kvs").beginArray();
        for (final KeyValue kv : result.prevKvs())
        {
            keyValue(json, kv, true);
        }
        json.endArray();
        out.println(json.endObject());
    }

    private static void header(final JsonWriter json, final ResponseHeader header)
    {
        json.name("header").beginObject()
            .name("cluster_id").value(header.clusterId())
            .name("member_id").value(header.memberId())
            .name("revision").value(header.revision())
            .name("raft_term").value(header.leadershipTermId())
            .endObject();
    }

    private static void keyValue(final JsonWriter json, final KeyValue kv, final boolean withValue)
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

    private static void bytes(final JsonWriter json, final String name, final byte[] bytes)
    {
        final String text = ByteText.utf8OrNull(bytes);
        if (null != text)
        {
            json.name(name).value(text);
        }
        else
        {
            json.name(name + "_base64").value(ByteText.base64(bytes));
        }
    }
}
