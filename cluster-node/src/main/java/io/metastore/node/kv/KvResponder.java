package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.alarm.Alarm;
import org.agrona.collections.LongArrayList;

import java.util.List;

/**
 * Results of the state machine, one call per request. Lists passed in are valid only during the call.
 */
public interface KvResponder
{
    /**
     * A put was applied.
     *
     * @param revision of the store after the put.
     * @param prevKv   the previous pair when asked for and the key existed, else empty.
     */
    void onPut(long revision, KeyValueList prevKv);

    /**
     * A range was read.
     *
     * @param revision the range was read at.
     * @param count    of keys in the range, whatever the limit.
     * @param more     true if the range holds more keys than returned.
     * @param keysOnly true if the values are to be left out.
     * @param kvs      the pairs returned, in the requested order.
     */
    void onRange(long revision, long count, boolean more, boolean keysOnly, KeyValueList kvs);

    /**
     * A delete-range was applied.
     *
     * @param revision of the store after the delete.
     * @param deleted  number of keys deleted.
     * @param prevKvs  the deleted pairs when asked for, else empty.
     */
    void onDeleteRange(long revision, long deleted, KeyValueList prevKvs);

    /**
     * A transaction runs: the responses of the operations of the branch that ran follow, then
     * {@link #onTxnEnd(long)}. Transactions nest.
     *
     * @param succeeded true if every compare held and the success list runs.
     */
    void onTxnBegin(boolean succeeded);

    /**
     * The transaction begun last has run.
     *
     * @param revision of the store after the transaction.
     */
    void onTxnEnd(long revision);

    /**
     * A lease was granted.
     *
     * @param revision of the store, unchanged.
     * @param id       of the lease.
     * @param ttl      granted, in seconds.
     */
    void onLeaseGrant(long revision, long id, long ttl);

    /**
     * A lease was revoked and its keys deleted.
     *
     * @param revision of the store after the keys were deleted.
     */
    void onLeaseRevoke(long revision);

    /**
     * A lease was renewed.
     *
     * @param revision of the store, unchanged.
     * @param id       of the lease.
     * @param ttl      the lease now has, in seconds.
     */
    void onLeaseKeepAlive(long revision, long id, long ttl);

    /**
     * A lease's time to live.
     *
     * @param revision   of the store.
     * @param id         of the lease.
     * @param ttl        remaining, in seconds; -1 if the lease does not exist.
     * @param grantedTtl TTL granted, in seconds; 0 if the lease does not exist.
     * @param keys       attached, ascending, when asked for; else empty.
     */
    void onLeaseTimeToLive(long revision, long id, long ttl, long grantedTtl, List<byte[]> keys);

    /**
     * Every live lease.
     *
     * @param revision of the store.
     * @param ids      of the leases, ascending.
     */
    void onLeaseList(long revision, LongArrayList ids);

    /**
     * An alarm request was applied.
     *
     * @param revision of the store, unchanged.
     * @param alarms   listed, raised or cleared, as the action says.
     */
    void onAlarm(long revision, List<Alarm> alarms);

    /**
     * A compaction was applied.
     *
     * @param revision          of the store, unchanged.
     * @param compactedRevision the new compacted revision.
     */
    void onCompact(long revision, long compactedRevision);

    /**
     * Changes were read from the history.
     *
     * @param revision          of the store.
     * @param compactedRevision of the store.
     * @param nextRevision      the first revision not read.
     * @param changes           read, in revision order.
     */
    void onChanges(long revision, long compactedRevision, long nextRevision, ChangeList changes);

    /**
     * The request was refused as it asks for history no longer kept; nothing changed.
     *
     * @param revision          of the store, unchanged.
     * @param compactedRevision of the store.
     * @param message           for a person.
     */
    void onCompacted(long revision, long compactedRevision, String message);

    /**
     * The request was refused; nothing changed.
     *
     * @param revision of the store, unchanged.
     * @param code     why.
     * @param message  for a person.
     */
    void onError(long revision, ErrorCode code, String message);
}
