package io.metastore.node.kv;

import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.ErrorCode;
import io.metastore.node.alarm.Alarm;
import io.metastore.node.alarm.AlarmTable;
import io.metastore.node.lease.Lease;
import io.metastore.node.lease.LeaseLimits;
import io.metastore.node.lease.LeaseTable;
import io.metastore.node.lease.LeaseTimers;
import io.metastore.node.storage.KvCursor;
import io.metastore.node.storage.KvStorage;
import io.metastore.protocol.KeyRanges;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * etcd's key-value semantics over {@link KvStorage}: a global revision that grows by one per write that changes
 * something, per key its createRevision, modRevision, version and lease; leases that expire on cluster time and
 * take their keys with them; compare-and-swap transactions.
 * <p>
 * Requests arrive already checked for shape and limits ({@code IngressAdapter}); what depends on state (a lease
 * that does not exist, a revision no longer kept, a response that would be too large) is decided here, before
 * anything is written, so a refused request changes nothing. Deterministic: time is the cluster time passed in, no
 * randomness, no threads.
 * <p>
 * History is not kept: a range at a revision other than the current one is refused as compacted (or future).
 * <p>
 * Alarms, as etcd's: while a {@code NOSPACE} alarm is active, a put, a transaction holding a put in either branch
 * (nested ones included) and a lease grant are refused with {@link ErrorCode#NO_SPACE}, checked before anything else
 * about them; reads, deletes, other lease requests and alarm requests go on.
 */
public final class KvStateMachine
{
    /**
     * Most entries a list in a response holds: the largest count of an SBE group.
     */
    public static final int MAX_LIST_ENTRIES = 65_534;

    /**
     * The message of a write refused while a {@code NOSPACE} alarm is active: etcd's {@code ErrNoSpace}.
     */
    public static final String NO_SPACE_MESSAGE = "etcdserver: mvcc: database space exceeded";

    private static final long MS_PER_SECOND = 1000;

    private final KvStorage storage;
    private final long maxResponseBytes;
    private final LeaseLimits leaseLimits;
    private final LeaseTable leases;
    private final AlarmTable alarms;
    private final List<Alarm> alarmResults = new ArrayList<>();
    private final TxnRunner txnRunner;
    private final KeyValueList results = new KeyValueList();
    private final KeyIndex index;
    private final LongArrayList leaseIds = new LongArrayList();
    private long revision;

    /**
     * Build the state machine over storage with default lease limits and no lease timers.
     *
     * @param storage          to read and write.
     * @param maxResponseBytes soft bound on the keys and values one response carries.
     */
    public KvStateMachine(final KvStorage storage, final long maxResponseBytes)
    {
        this(storage, maxResponseBytes, LeaseLimits.DEFAULT, LeaseTimers.NONE);
    }

    /**
     * Build the state machine over storage, at the revision the storage last committed.
     *
     * @param storage          to read and write.
     * @param maxResponseBytes soft bound on the keys and values one response carries.
     * @param leaseLimits      bounds on leases.
     * @param leaseTimers      to expire leases with.
     */
    public KvStateMachine(
        final KvStorage storage,
        final long maxResponseBytes,
        final LeaseLimits leaseLimits,
        final LeaseTimers leaseTimers)
    {
        this.storage = storage;
        this.maxResponseBytes = maxResponseBytes;
        this.leaseLimits = leaseLimits;
        this.leases = new LeaseTable(storage, leaseTimers);
        this.alarms = new AlarmTable(storage);
        this.index = new KeyIndex(storage, this::onKeyLoaded);
        this.txnRunner = new TxnRunner(this, storage, index);
        reloadFromStorage();
    }

    /**
     * @return the current revision, including writes not yet committed to storage.
     */
    public long revision()
    {
        return revision;
    }

    /**
     * Reload the revision, the leases and the alarms from storage, and start loading the key index again: at start,
     * and after a snapshot replaced it. The index fills in {@link #loadIndex(int)} slices while the node serves.
     */
    public void reloadFromStorage()
    {
        revision = storage.appliedRevision();
        leases.reloadFromStorage();
        alarms.reloadFromStorage();
        index.reload();
    }

    /**
     * Load the next slice of the key index from storage, between batches; no answer depends on how far the
     * loading got, only the cost of a miss does.
     *
     * @param maxKeys most keys to read.
     * @return the keys read, 0 once the index holds every key.
     */
    public int loadIndex(final int maxKeys)
    {
        return index.loadSlice(maxKeys);
    }

    /**
     * @return the number of live keys; loads the rest of the key index first.
     */
    public int keyCount()
    {
        index.loadAll();
        return index.size();
    }

    /**
     * @return the number of live leases.
     */
    public int leaseCount()
    {
        return leases.size();
    }

    /**
     * @return true while a {@code NOSPACE} alarm is active and writes that grow the store are refused.
     */
    public boolean isNoSpace()
    {
        return alarms.isNoSpace();
    }

    /**
     * Put a key.
     *
     * @param key         to put.
     * @param value       buffer holding the value.
     * @param valueOffset of the value.
     * @param valueLength of the value.
     * @param lease       to attach, 0 for none.
     * @param prevKv      return the previous pair.
     * @param ignoreValue keep the current value; the key must exist and the value be empty.
     * @param ignoreLease keep the current lease; the key must exist and the lease be 0.
     * @param responder   to answer.
     */
    public void put(
        final byte[] key,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long lease,
        final boolean prevKv,
        final boolean ignoreValue,
        final boolean ignoreLease,
        final KvResponder responder)
    {
        if (isRefusedForSpace(responder))
        {
            return;
        }
        if (checkPut(key, valueLength, lease, ignoreValue, ignoreLease, responder))
        {
            revision++;
            applyPut(
                key, value, valueOffset, valueLength, lease, prevKv, ignoreValue, ignoreLease, revision, responder);
        }
    }

    /**
     * Read the keys in {@code [key, rangeEnd)}.
     *
     * @param key        first key, or the only key when rangeEnd is empty.
     * @param rangeEnd   exclusive end; empty for the key alone; a single zero byte for every key from key on.
     * @param limit      at most this many pairs, 0 for no limit.
     * @param atRevision revision to read at, 0 for the current one.
     * @param descending order by key descending rather than ascending.
     * @param keysOnly   leave the values out.
     * @param countOnly  return only the count.
     * @param responder  to answer.
     */
    public void range(
        final byte[] key,
        final byte[] rangeEnd,
        final long limit,
        final long atRevision,
        final boolean descending,
        final boolean keysOnly,
        final boolean countOnly,
        final KvResponder responder)
    {
        if (checkRange(atRevision, responder))
        {
            applyRange(key, rangeEnd, limit, descending, keysOnly, countOnly, revision, responder);
        }
    }

    /**
     * Delete the keys in {@code [key, rangeEnd)}; one revision for all of them, none if nothing was deleted.
     *
     * @param key       first key, or the only key when rangeEnd is empty.
     * @param rangeEnd  exclusive end; empty for the key alone; a single zero byte for every key from key on.
     * @param prevKv    return the deleted pairs.
     * @param responder to answer.
     */
    public void deleteRange(final byte[] key, final byte[] rangeEnd, final boolean prevKv, final KvResponder responder)
    {
        collectDeletes(key, rangeEnd, prevKv);
        if (prevKv && isTooLargeToReturn(responder))
        {
            return;
        }
        if (deleteCollected(prevKv, revision + 1, revision, responder))
        {
            revision++;
        }
    }

    /**
     * Run a transaction: compares are evaluated and every operation of the branch that runs is checked against the
     * state before anything is written; then the branch runs, all its writes at one new revision.
     *
     * @param txn       decoded and checked for shape.
     * @param responder to answer.
     */
    public void txn(final TxnRequest txn, final KvResponder responder)
    {
        // etcd refuses a transaction with a put in either branch, before evaluating it; so do we, nested ones too.
        if (alarms.isNoSpace() && TxnRunner.hasPut(txn))
        {
            responder.onError(revision, ErrorCode.NO_SPACE, NO_SPACE_MESSAGE);
            return;
        }
        if (txnRunner.hasDuplicateKey(txn))
        {
            responder.onError(revision, ErrorCode.DUPLICATE_KEY, "duplicate key given in txn request");
            return;
        }

        txnRunner.decide(txn);
        if (txnRunner.check(txn, responder) && txnRunner.checkLeaseKeyLimits(txn, responder))
        {
            if (txnRunner.run(txn, revision, responder))
            {
                revision++;
            }
        }
    }

    /**
     * Grant a lease.
     *
     * @param id        wanted, or 0 for one picked by the cluster.
     * @param ttl       in seconds; raised to the minimum if below it.
     * @param nowMs     cluster time.
     * @param responder to answer.
     */
    public void leaseGrant(final long id, final long ttl, final long nowMs, final KvResponder responder)
    {
        if (isRefusedForSpace(responder))
        {
            return;
        }
        if (ttl < 1 || ttl > leaseLimits.maxTtl())
        {
            responder.onError(revision, ErrorCode.TTL_OUT_OF_RANGE, "lease TTL " + ttl + " is not between 1 and " +
                leaseLimits.maxTtl() + " seconds");
            return;
        }
        if (0 != id && null != leases.get(id))
        {
            responder.onError(revision, ErrorCode.LEASE_EXISTS, "lease already exists: " + hex(id));
            return;
        }
        if (leases.size() >= leaseLimits.maxLeases())
        {
            responder.onError(revision, ErrorCode.LEASE_LIMIT_EXCEEDED, "too many leases: the limit is " +
                leaseLimits.maxLeases());
            return;
        }

        final long granted = Math.max(ttl, leaseLimits.minTtl());
        final Lease lease = leases.grant(0 == id ? leases.nextId() : id, granted, nowMs);
        responder.onLeaseGrant(revision, lease.id(), granted);
    }

    /**
     * Revoke a lease, deleting its keys in one revision.
     *
     * @param id        of the lease.
     * @param responder to answer.
     */
    public void leaseRevoke(final long id, final KvResponder responder)
    {
        final Lease lease = leases.get(id);
        if (null == lease)
        {
            responder.onError(revision, ErrorCode.LEASE_NOT_FOUND, "lease not found: " + hex(id));
            return;
        }

        revoke(lease);
        responder.onLeaseRevoke(revision);
    }

    /**
     * Renew a lease to its full TTL.
     *
     * @param id        of the lease.
     * @param nowMs     cluster time.
     * @param responder to answer.
     */
    public void leaseKeepAlive(final long id, final long nowMs, final KvResponder responder)
    {
        final Lease lease = leases.get(id);
        if (null == lease)
        {
            responder.onError(revision, ErrorCode.LEASE_NOT_FOUND, "lease not found: " + hex(id));
            return;
        }

        leases.renew(lease, nowMs);
        responder.onLeaseKeepAlive(revision, id, lease.ttl());
    }

    /**
     * Tell a lease's remaining and granted TTL; a lease that does not exist has TTL -1, as in etcd.
     *
     * @param id        of the lease.
     * @param withKeys  list the attached keys.
     * @param nowMs     cluster time.
     * @param responder to answer.
     */
    public void leaseTimeToLive(final long id, final boolean withKeys, final long nowMs, final KvResponder responder)
    {
        final Lease lease = leases.get(id);
        if (null == lease)
        {
            responder.onLeaseTimeToLive(revision, id, -1, 0, List.of());
            return;
        }

        final List<byte[]> keys = new ArrayList<>();
        if (withKeys)
        {
            index.loadAll();
            for (final ByteBuffer key : lease.keys())
            {
                keys.add(key.array());
            }
            keys.sort(KeyRanges::compare);
            truncateToResponseBound(keys);
        }
        final long remaining = Math.max(0, lease.deadline() - nowMs) / MS_PER_SECOND;
        responder.onLeaseTimeToLive(revision, id, remaining, lease.ttl(), keys);
    }

    /**
     * List the live leases, ascending, at most {@link #MAX_LIST_ENTRIES} of them.
     *
     * @param responder to answer.
     */
    public void leaseList(final KvResponder responder)
    {
        leases.ids(leaseIds);
        while (leaseIds.size() > MAX_LIST_ENTRIES)
        {
            leaseIds.removeAt(leaseIds.size() - 1);
        }
        responder.onLeaseList(revision, leaseIds);
    }

    /**
     * Get, raise or clear alarms, as etcd's {@code Alarm}; no revision is consumed. Raising an alarm that is active,
     * or clearing one that is not, is not an error.
     * <ul>
     *     <li>{@link AlarmAction#GET}: answers the active alarms of the type, or every one for
     *     {@link AlarmType#NONE}.</li>
     *     <li>{@link AlarmAction#ACTIVATE}: answers the alarm, now active; nothing for {@link AlarmType#NONE}.</li>
     *     <li>{@link AlarmAction#DEACTIVATE}: answers the alarm cleared, or nothing if it was not active;
     *     {@link AlarmType#NONE} clears every active alarm of every member (what {@code etcdctl alarm disarm} does
     *     with a list and one request per alarm) and answers them all.</li>
     * </ul>
     *
     * @param action    to take.
     * @param memberId  the alarm is for; unused for a GET and for clearing every alarm.
     * @param type      of the alarm.
     * @param responder to answer.
     */
    public void alarm(final AlarmAction action, final long memberId, final AlarmType type, final KvResponder responder)
    {
        alarmResults.clear();
        switch (action)
        {
            case GET -> alarms.list(type, alarmResults);
            case ACTIVATE ->
            {
                if (AlarmType.NONE != type)
                {
                    alarmResults.add(alarms.activate(memberId, type));
                }
            }
            case DEACTIVATE -> alarms.deactivate(memberId, type, alarmResults);
            default ->
            {
                responder.onError(revision, ErrorCode.INVALID_ARGUMENT, "unknown alarm action " + action);
                return;
            }
        }
        truncate(alarmResults);
        responder.onAlarm(revision, alarmResults);
    }

    private static void truncate(final List<Alarm> list)
    {
        if (list.size() > MAX_LIST_ENTRIES)
        {
            list.subList(MAX_LIST_ENTRIES, list.size()).clear();
        }
    }

    /**
     * @return true if a {@code NOSPACE} alarm is active, after refusing the request.
     */
    private boolean isRefusedForSpace(final KvResponder responder)
    {
        if (alarms.isNoSpace())
        {
            responder.onError(revision, ErrorCode.NO_SPACE, NO_SPACE_MESSAGE);
            return true;
        }

        return false;
    }

    /**
     * Keep the first keys of a list that fit one response: at most {@link #MAX_LIST_ENTRIES}, and at most the
     * response bound in bytes (always at least one).
     */
    private void truncateToResponseBound(final List<byte[]> keys)
    {
        long bytes = 0;
        for (int i = 0, size = keys.size(); i < size; i++)
        {
            bytes += keys.get(i).length;
            if (i >= MAX_LIST_ENTRIES || (i > 0 && bytes > maxResponseBytes))
            {
                keys.subList(i, size).clear();
                return;
            }
        }
    }

    /**
     * A lease's timer fired: expire the lease, deleting its keys in one revision, unless it was renewed or revoked
     * since the timer was set.
     *
     * @param id    of the lease.
     * @param nowMs cluster time of the timer event.
     * @return true if the lease expired.
     */
    public boolean onLeaseTimer(final long id, final long nowMs)
    {
        final Lease lease = leases.get(id);
        if (null == lease || lease.deadline() > nowMs)
        {
            return false;
        }

        revoke(lease);
        return true;
    }

    /**
     * A new leadership term began: every lease gets at least its full TTL from now, and its timer again.
     *
     * @param nowMs cluster time of the term's start.
     */
    public void onNewLeadershipTerm(final long nowMs)
    {
        leases.onNewTerm(nowMs);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Checks (read only) and applies (write only after every check passed), shared with transactions.
    // ------------------------------------------------------------------------------------------------------------

    boolean checkPut(
        final byte[] key,
        final int valueLength,
        final long lease,
        final boolean ignoreValue,
        final boolean ignoreLease,
        final KvResponder responder)
    {
        if (ignoreValue && valueLength != 0)
        {
            responder.onError(revision, ErrorCode.INVALID_ARGUMENT, "value is provided with ignoreValue");
            return false;
        }
        if (ignoreLease && lease != 0)
        {
            responder.onError(revision, ErrorCode.INVALID_ARGUMENT, "lease is provided with ignoreLease");
            return false;
        }
        if ((ignoreValue || ignoreLease) && null == index.get(key))
        {
            responder.onError(revision, ErrorCode.KEY_NOT_FOUND, "key not found");
            return false;
        }
        if (lease != 0)
        {
            index.loadAll();
            final Lease attachTo = leases.get(lease);
            if (null == attachTo)
            {
                responder.onError(revision, ErrorCode.LEASE_NOT_FOUND, "lease not found: " + hex(lease));
                return false;
            }
            if (attachTo.keys().size() >= leaseLimits.maxKeysPerLease() && !attachTo.hasKey(key))
            {
                responder.onError(revision, ErrorCode.KEY_LIMIT_EXCEEDED, "lease " + hex(lease) +
                    " already has " + leaseLimits.maxKeysPerLease() + " keys, the limit");
                return false;
            }
        }

        return true;
    }

    boolean isAttached(final long leaseId, final byte[] key)
    {
        index.loadAll();
        final Lease lease = leases.get(leaseId);
        return null != lease && lease.hasKey(key);
    }

    /**
     * @return true if the lease can take {@code added} more keys; otherwise the request was refused.
     */
    boolean checkLeaseKeyLimit(final long leaseId, final long added, final KvResponder responder)
    {
        index.loadAll();
        final Lease lease = leases.get(leaseId);
        if (null != lease && lease.keys().size() + added > leaseLimits.maxKeysPerLease())
        {
            responder.onError(revision, ErrorCode.KEY_LIMIT_EXCEEDED, "lease " + hex(leaseId) + " has " +
                lease.keys().size() + " keys; " + added + " more exceed the limit of " + leaseLimits.maxKeysPerLease());
            return false;
        }

        return true;
    }

    void applyPut(
        final byte[] key,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long lease,
        final boolean prevKv,
        final boolean ignoreValue,
        final boolean ignoreLease,
        final long newRevision,
        final KvResponder responder)
    {
        final KeyIndex.Entry existing = index.get(key);
        // Only a put that returns or keeps the previous value reads it; the index knows the rest.
        final byte[] previous = null != existing && (prevKv || ignoreValue) ? storage.get(key) : null;
        final long createRevision = null == existing ? newRevision : existing.createRevision;
        final long version = null == existing ? 1 : existing.version + 1;
        final long oldLease = null == existing ? 0 : existing.lease;
        final long newLease = ignoreLease ? oldLease : lease;
        final byte[] record = ignoreValue ?
            KeyValueRecord.encodeKeepingValue(createRevision, newRevision, version, newLease, previous) :
            KeyValueRecord.encode(createRevision, newRevision, version, newLease, value, valueOffset, valueLength);

        storage.put(key, record);
        index.put(key, createRevision, newRevision, version, newLease);
        if (oldLease != newLease)
        {
            leases.detach(oldLease, key);
            if (0 != newLease)
            {
                leases.attach(leases.get(newLease), key);
            }
        }

        results.clear();
        if (prevKv && null != previous)
        {
            results.add(key, previous);
        }
        responder.onPut(newRevision, results);
    }

    boolean checkRange(final long atRevision, final KvResponder responder)
    {
        if (atRevision > revision)
        {
            responder.onError(
                revision, ErrorCode.FUTURE_REVISION, "required revision is a future revision: " + atRevision);
            return false;
        }
        if (atRevision > 0 && atRevision < revision)
        {
            responder.onError(
                revision, ErrorCode.COMPACTED, "required revision has been compacted: " + atRevision +
                " (history is not kept; current revision " + revision + ")");
            return false;
        }

        return true;
    }

    void applyRange(
        final byte[] key,
        final byte[] rangeEnd,
        final long limit,
        final boolean descending,
        final boolean keysOnly,
        final boolean countOnly,
        final long readRevision,
        final KvResponder responder)
    {
        results.clear();
        long count = 0;
        if (0 == rangeEnd.length)
        {
            if (null != index.get(key))
            {
                count = 1;
                if (keysOnly)
                {
                    results.addWithoutValue(key, storage.get(key));
                }
                else if (!countOnly)
                {
                    results.add(key, storage.get(key));
                }
            }
        }
        else
        {
            count = scan(key, rangeEnd, descending, limit, !countOnly, true, !keysOnly, true);
        }

        final boolean more = count > results.size() && !countOnly;
        responder.onRange(readRevision, count, more, keysOnly, results);
    }

    boolean checkDeleteRange(
        final byte[] key, final byte[] rangeEnd, final boolean prevKv, final KvResponder responder)
    {
        if (!prevKv)
        {
            return true;
        }

        collectDeletes(key, rangeEnd, true);
        return !isTooLargeToReturn(responder);
    }

    /**
     * @return true if the collected previous pairs are too large for one response, after refusing the request.
     */
    private boolean isTooLargeToReturn(final KvResponder responder)
    {
        if ((results.encodedBytes() > maxResponseBytes && results.size() > 1) || results.size() > MAX_LIST_ENTRIES)
        {
            responder.onError(
                revision, ErrorCode.RESPONSE_TOO_LARGE, "previous pairs of " + results.size() + " keys exceed " +
                maxResponseBytes + " bytes; delete in smaller ranges or without prevKv");
            return true;
        }

        return false;
    }

    /**
     * @return true if anything was deleted.
     */
    boolean applyDeleteRange(
        final byte[] key,
        final byte[] rangeEnd,
        final boolean prevKv,
        final long newRevision,
        final long unchangedRevision,
        final KvResponder responder)
    {
        collectDeletes(key, rangeEnd, prevKv);
        return deleteCollected(prevKv, newRevision, unchangedRevision, responder);
    }

    /**
     * Delete the keys collected in the results and answer.
     *
     * @return true if anything was deleted.
     */
    private boolean deleteCollected(
        final boolean prevKv, final long newRevision, final long unchangedRevision, final KvResponder responder)
    {
        final int deleted = results.size();
        for (int i = 0; i < deleted; i++)
        {
            deleteKey(results.key(i));
        }

        if (!prevKv)
        {
            results.clear();
        }
        responder.onDeleteRange(deleted > 0 ? newRevision : unchangedRevision, deleted, results);

        return deleted > 0;
    }

    private void collectDeletes(final byte[] key, final byte[] rangeEnd, final boolean prevKv)
    {
        results.clear();
        if (0 == rangeEnd.length)
        {
            if (null != index.get(key))
            {
                results.add(key, prevKv ? storage.get(key) : null);
            }
        }
        else
        {
            scan(key, rangeEnd, false, 0, true, prevKv, prevKv, false);
        }
    }

    private void deleteKey(final byte[] key)
    {
        final KeyIndex.Entry entry = index.get(key);
        if (null != entry)
        {
            leases.detach(entry.lease, key);
        }
        storage.delete(key);
        index.remove(key);
    }

    /**
     * A key read into the index from storage: attach it to its lease, which storage holds attached.
     */
    private void onKeyLoaded(final byte[] key, final long leaseId)
    {
        if (0 != leaseId)
        {
            final Lease lease = leases.get(leaseId);
            if (null != lease)
            {
                leases.attach(lease, key);
            }
        }
    }

    private void revoke(final Lease lease)
    {
        index.loadAll();
        final ByteBuffer[] keys = lease.keys().toArray(new ByteBuffer[0]);
        leases.remove(lease);
        for (final ByteBuffer key : keys)
        {
            storage.delete(key.array());
            index.remove(key.array());
        }
        if (keys.length > 0)
        {
            revision++;
        }
    }

    /**
     * Walk a range, counting every key and collecting up to limit keys, with their records if asked, into the
     * results.
     *
     * @param key           start of the range.
     * @param rangeEnd      exclusive end, or the from-key marker.
     * @param descending    walk from the end.
     * @param limit         most pairs to collect, 0 for all.
     * @param collect       collect keys at all, rather than only count them.
     * @param withRecords   collect each key's record too.
     * @param withValues    the response carries the values: else only keys and record headers count towards the
     *                      response bound, as only they are sent.
     * @param boundResponse stop collecting once the results reach the response bound (always keeping one) or
     *                      {@link #MAX_LIST_ENTRIES}.
     * @return the number of keys in the range.
     */
    private long scan(
        final byte[] key,
        final byte[] rangeEnd,
        final boolean descending,
        final long limit,
        final boolean collect,
        final boolean withRecords,
        final boolean withValues,
        final boolean boundResponse)
    {
        long count = 0;
        boolean collecting = collect;
        try (KvCursor cursor = openRange(storage, key, rangeEnd, descending))
        {
            while (isInRange(cursor, key, rangeEnd, descending))
            {
                final byte[] current = cursor.key();
                count++;
                if (collecting)
                {
                    final byte[] record = withRecords ? cursor.record() : null;
                    final int sentLength = KeyValueList.sentLength(record, withValues);
                    if (boundResponse && results.size() > 0 &&
                        results.encodedBytes() + current.length + sentLength > maxResponseBytes)
                    {
                        collecting = false;
                    }
                    else
                    {
                        if (withValues || null == record)
                        {
                            results.add(current, record);
                        }
                        else
                        {
                            results.addWithoutValue(current, record);
                        }
                        collecting = (0 == limit || results.size() < limit) &&
                            (!boundResponse || results.size() < MAX_LIST_ENTRIES);
                    }
                }

                if (descending)
                {
                    cursor.prev();
                }
                else
                {
                    cursor.next();
                }
            }
        }

        return count;
    }

    /**
     * Open a cursor on the first key of a range in the order asked.
     */
    static KvCursor openRange(
        final KvStorage storage, final byte[] key, final byte[] rangeEnd, final boolean descending)
    {
        final KvCursor cursor = storage.cursor();
        if (descending)
        {
            if (KeyRanges.isFromKey(rangeEnd))
            {
                cursor.seekToLast();
            }
            else
            {
                cursor.seekForPrev(rangeEnd);
                if (cursor.isValid() && KeyRanges.compare(cursor.key(), rangeEnd) >= 0)
                {
                    cursor.prev();
                }
            }
        }
        else
        {
            cursor.seek(key);
        }

        return cursor;
    }

    /**
     * @return true while the cursor is on a key of the range.
     */
    static boolean isInRange(final KvCursor cursor, final byte[] key, final byte[] rangeEnd, final boolean descending)
    {
        if (!cursor.isValid())
        {
            return false;
        }

        final byte[] current = cursor.key();
        return descending ? KeyRanges.compare(current, key) >= 0 :
            KeyRanges.isFromKey(rangeEnd) || KeyRanges.compare(current, rangeEnd) < 0;
    }

    /**
     * A lease id as etcdctl prints it: 16 hex digits.
     */
    private static String hex(final long leaseId)
    {
        return String.format("%016x", leaseId);
    }

    static boolean contains(final byte[] key, final byte[] rangeEnd, final byte[] candidate)
    {
        if (0 == rangeEnd.length)
        {
            return Arrays.equals(key, candidate);
        }

        return KeyRanges.compare(candidate, key) >= 0 &&
            (KeyRanges.isFromKey(rangeEnd) || KeyRanges.compare(candidate, rangeEnd) < 0);
    }
}
