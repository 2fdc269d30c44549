package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.alarm.Alarm;
import org.agrona.collections.LongArrayList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what the state machine answers: the last response's fields, and every response as a line of text in
 * {@link #events}, transactions and leases included.
 */
public final class Recorder implements KvResponder
{
    long revision;
    long count;
    long deleted;
    boolean more;
    boolean keysOnly;
    ErrorCode error;
    String message;
    long leaseId;
    long ttl;
    long grantedTtl;
    long compactedRevision;
    long nextRevision;
    final List<Kv> kvs = new ArrayList<>();
    final List<Change> changes = new ArrayList<>();
    final List<String> leaseKeys = new ArrayList<>();
    final List<Long> leaseIds = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<Alarm> alarms = new ArrayList<>();

    record Kv(String key, String value, long createRevision, long modRevision, long version, long lease)
    {
    }

    record Change(String type, String key, String value, long revision, long timestampMs)
    {
    }

    public void onPut(final long revision, final KeyValueList prevKv)
    {
        reset(revision);
        copy(prevKv);
        events.add("put@" + revision + kvs);
    }

    public void onRange(
        final long revision, final long count, final boolean more, final boolean keysOnly, final KeyValueList kvs)
    {
        reset(revision);
        this.count = count;
        this.more = more;
        this.keysOnly = keysOnly;
        copy(kvs);
        events.add("range@" + revision + " count=" + count + " " + keys());
    }

    public void onDeleteRange(final long revision, final long deleted, final KeyValueList prevKvs)
    {
        reset(revision);
        this.deleted = deleted;
        copy(prevKvs);
        events.add("delete@" + revision + " deleted=" + deleted);
    }

    public void onTxnBegin(final boolean succeeded)
    {
        events.add("txn " + (succeeded ? "success" : "failure"));
    }

    public void onTxnEnd(final long revision)
    {
        this.revision = revision;
        events.add("end@" + revision);
    }

    public void onLeaseGrant(final long revision, final long id, final long ttl)
    {
        reset(revision);
        leaseId = id;
        this.ttl = ttl;
        events.add("grant " + id + " ttl=" + ttl);
    }

    public void onLeaseRevoke(final long revision)
    {
        reset(revision);
        events.add("revoke@" + revision);
    }

    public void onLeaseKeepAlive(final long revision, final long id, final long ttl)
    {
        reset(revision);
        leaseId = id;
        this.ttl = ttl;
        events.add("keepalive " + id + " ttl=" + ttl);
    }

    public void onLeaseTimeToLive(
        final long revision, final long id, final long ttl, final long grantedTtl, final List<byte[]> keys)
    {
        reset(revision);
        leaseId = id;
        this.ttl = ttl;
        this.grantedTtl = grantedTtl;
        for (final byte[] key : keys)
        {
            leaseKeys.add(new String(key, StandardCharsets.UTF_8));
        }
        events.add("ttl " + id + " ttl=" + ttl + " granted=" + grantedTtl + " keys=" + leaseKeys);
    }

    public void onLeaseList(final long revision, final LongArrayList ids)
    {
        reset(revision);
        leaseIds.addAll(ids);
        events.add("leases " + leaseIds);
    }

    public void onAlarm(final long revision, final List<Alarm> alarms)
    {
        reset(revision);
        this.alarms.clear();
        this.alarms.addAll(alarms);
        events.add("alarm@" + revision + " " + alarms);
    }

    public void onCompact(final long revision, final long compactedRevision)
    {
        reset(revision);
        this.compactedRevision = compactedRevision;
        events.add("compact@" + compactedRevision);
    }

    public void onChanges(
        final long revision, final long compactedRevision, final long nextRevision, final ChangeList changes)
    {
        reset(revision);
        this.compactedRevision = compactedRevision;
        this.nextRevision = nextRevision;
        for (int i = 0, size = changes.size(); i < size; i++)
        {
            final byte[] record = changes.record(i);
            final String key = new String(changes.key(i), StandardCharsets.UTF_8);
            this.changes.add(null == record ?
                new Change("DELETE", key, null, changes.revision(i), changes.timestampMs(i)) :
                new Change("PUT", key, new String(record, KeyValueRecord.HEADER_LENGTH,
                record.length - KeyValueRecord.HEADER_LENGTH, StandardCharsets.UTF_8), changes.revision(i),
                changes.timestampMs(i)));
        }
        events.add("changes@" + revision + " next=" + nextRevision + " " + this.changes);
    }

    public void onCompacted(final long revision, final long compactedRevision, final String message)
    {
        onError(revision, ErrorCode.COMPACTED, message);
        this.compactedRevision = compactedRevision;
    }

    public void onError(final long revision, final ErrorCode code, final String message)
    {
        reset(revision);
        this.error = code;
        this.message = message;
        events.add("error " + code);
    }

    List<String> keys()
    {
        return kvs.stream().map(Kv::key).toList();
    }

    private void reset(final long revision)
    {
        this.revision = revision;
        count = 0;
        deleted = 0;
        more = false;
        keysOnly = false;
        error = null;
        message = null;
        leaseId = 0;
        ttl = 0;
        grantedTtl = 0;
        kvs.clear();
        changes.clear();
        compactedRevision = 0;
        nextRevision = 0;
        leaseKeys.clear();
        leaseIds.clear();
    }

    private void copy(final KeyValueList list)
    {
        for (int i = 0; i < list.size(); i++)
        {
            final byte[] record = list.record(i);
            final byte[] value = null == record ? new byte[0] : new byte[KeyValueRecord.valueLength(record)];
            if (null != record)
            {
                System.arraycopy(record, KeyValueRecord.HEADER_LENGTH, value, 0, value.length);
            }
            kvs.add(new Kv(
                new String(list.key(i), StandardCharsets.UTF_8),
                new String(value, StandardCharsets.UTF_8),
                null == record ? 0 : KeyValueRecord.createRevision(record),
                null == record ? 0 : KeyValueRecord.modRevision(record),
                null == record ? 0 : KeyValueRecord.version(record),
                null == record ? 0 : KeyValueRecord.lease(record)));
        }
    }
}
