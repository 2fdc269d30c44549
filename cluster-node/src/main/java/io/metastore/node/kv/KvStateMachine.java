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
import io.metastore.node.storage.KvStorage;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.collections.LongArrayList;

import java.nio.ByteBuffer;
import java.util.ArrayList;
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
 * History, as etcd's MVCC: every change is kept, by key and by revision, until compacted; a range reads at any
 * revision above the compacted one ({@link KvOps}), and compaction and the reading of changes are
 * {@link HistoryOps}'.
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
    public static final int MAX_LIST_ENTRIES = Protocol.MAX_GROUP_ENTRIES;

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
    private final KvOps ops;
    private final TxnRunner txnRunner;
    private final HistoryOps history;
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
        this(storage, maxResponseBytes, leaseLimits, leaseTimers, KeyIndex.EAGER_LOAD_KEYS);
    }

    /**
     * As {@link #KvStateMachine(KvStorage, long, LeaseLimits, LeaseTimers)}, loading only so many keys of the key
     * index before the first request: tests of the index's lazy loading.
     */
    KvStateMachine(
        final KvStorage storage,
        final long maxResponseBytes,
        final LeaseLimits leaseLimits,
        final LeaseTimers leaseTimers,
        final int eagerIndexKeys)
    {
        this.storage = storage;
        this.maxResponseBytes = maxResponseBytes;
        this.leaseLimits = leaseLimits;
        this.leases = new LeaseTable(storage, leaseTimers);
        this.alarms = new AlarmTable(storage);
        this.ops = new KvOps(storage, maxResponseBytes, leaseLimits, leases, eagerIndexKeys);
        this.txnRunner = new TxnRunner(ops, storage, ops.index());
        this.history = new HistoryOps(storage, maxResponseBytes);
        reloadFromStorage();
    }

    /**
     * The log entry about to be applied was made at this cluster time: the changes it makes carry it in the history.
     *
     * @param timestampMs cluster time of the entry.
     */
    public void entryTime(final long timestampMs)
    {
        ops.entryTime(timestampMs);
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
        ops.index().reload();
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
        return ops.index().loadSlice(maxKeys);
    }

    /**
     * @return the number of live keys; loads the rest of the key index first.
     */
    public int keyCount()
    {
        ops.loadIndex();
        return ops.index().size();
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
     * Put a key: {@code op} holds the key, the value (buffer, offset, length), the lease to attach (0 for none), and
     * the prevKv, ignoreValue (keep the current value; the key must exist and the value be empty) and ignoreLease
     * (keep the current lease; the key must exist and the lease be 0) options.
     *
     * @param op        a put, as decoded.
     * @param responder to answer.
     */
    public void put(final TxnOp op, final KvResponder responder)
    {
        if (isRefusedForSpace(responder))
        {
            return;
        }
        if (ops.checkPut(op, revision, responder))
        {
            revision++;
            ops.applyPut(op, revision, responder);
        }
    }

    /**
     * Read the keys in {@code [key, rangeEnd)}: {@code op} holds the key (the only key when rangeEnd is empty),
     * the range end (a single zero byte for every key from key on), the limit (0 for none), the revision to read at
     * (0 for the current one), and the descending, keysOnly and countOnly options.
     *
     * @param op        a range, as decoded.
     * @param responder to answer.
     */
    public void range(final TxnOp op, final KvResponder responder)
    {
        if (ops.checkRange(op.revision, revision, responder))
        {
            ops.applyRange(op, revision, responder);
        }
    }

    /**
     * Delete the keys in {@code [key, rangeEnd)}, one revision for all of them, none if nothing was deleted:
     * {@code op} holds the key, the range end and the prevKv option.
     *
     * @param op        a delete-range, as decoded.
     * @param responder to answer.
     */
    public void deleteRange(final TxnOp op, final KvResponder responder)
    {
        if (ops.deleteRange(op, revision, responder))
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
        if (txnRunner.check(txn, revision, responder) && txnRunner.checkLeaseKeyLimits(txn, revision, responder))
        {
            if (txnRunner.run(txn, revision, responder))
            {
                revision++;
            }
        }
    }

    /**
     * Compact the history at a revision: reads below it are refused from now on. Refused, as etcd, for a revision
     * above the current one or at or below the compacted one. Moves no revision.
     *
     * @param atRevision to compact at.
     * @param responder  to answer.
     */
    public void compact(final long atRevision, final KvResponder responder)
    {
        history.compact(atRevision, revision, responder);
    }

    /**
     * Read the changes of revisions {@code [fromRevision, toRevision]} to the keys of {@code [key, rangeEnd)}, in
     * revision order, whole revisions only, as many as one response holds; the answer says where to go on from.
     *
     * @param op           holds the key, the range end and the limit (0 for none).
     * @param fromRevision first revision, above the compacted one.
     * @param toRevision   last revision, 0 for the current one.
     * @param responder    to answer.
     */
    public void changes(final TxnOp op, final long fromRevision, final long toRevision, final KvResponder responder)
    {
        history.changes(op, fromRevision, toRevision, revision, responder);
    }

    /**
     * An automatic compaction's timer fired: compact as the setting it carries says.
     *
     * @param timerId of the timer, which carries the setting ({@link AutoCompaction#timerId()}).
     * @param nowMs   cluster time of the timer event.
     * @return the revision compacted at, 0 if none.
     */
    public long onCompactionTimer(final long timerId, final long nowMs)
    {
        final AutoCompaction setting = AutoCompaction.ofTimer(timerId);
        return setting.isOn() ? history.autoCompact(setting, nowMs, revision) : 0;
    }

    /**
     * @return the revision at and below which history is compacted, including writes not yet committed.
     */
    public long compactedRevision()
    {
        return storage.compactedRevision();
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
            responder.onError(revision, ErrorCode.LEASE_EXISTS, "lease already exists: " + KvOps.hex(id));
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
            responder.onError(revision, ErrorCode.LEASE_NOT_FOUND, "lease not found: " + KvOps.hex(id));
            return;
        }

        if (ops.revoke(lease, revision + 1))
        {
            revision++;
        }
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
            responder.onError(revision, ErrorCode.LEASE_NOT_FOUND, "lease not found: " + KvOps.hex(id));
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
            ops.loadIndex();
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

        ops.entryTime(nowMs);
        if (ops.revoke(lease, revision + 1))
        {
            revision++;
        }
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
}
