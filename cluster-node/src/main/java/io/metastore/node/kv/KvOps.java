package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.lease.KeyDeleter;
import io.metastore.node.lease.Lease;
import io.metastore.node.lease.LeaseLimits;
import io.metastore.node.lease.LeaseTable;
import io.metastore.node.storage.KvCursor;
import io.metastore.node.storage.KvStorage;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;

import java.util.Arrays;

/**
 * The checks and applies of put, range and delete-range over storage and the key index, shared by requests on
 * their own ({@link KvStateMachine}) and the operations of a transaction ({@link TxnRunner}): a check only reads
 * and refuses through the responder at the revision it is given; an apply writes, only after every check of its
 * request passed, at the revision it is given. The revision itself is the state machine's.
 * <p>
 * Also the key index's load (a key loaded is attached to its lease) and the deletion of a revoked lease's keys.
 */
final class KvOps
{
    private final KvStorage storage;
    private final long maxResponseBytes;
    private final LeaseLimits leaseLimits;
    private final LeaseTable leases;
    private final KeyIndex index;
    private final KeyValueList results = new KeyValueList();
    private final KeyDeleter revokedKeyDeleter = this::deleteRevokedKey;
    private long timestampMs;
    private long changeRevision;
    private int nextSubRevision;
    private long revokeRevision;

    KvOps(
        final KvStorage storage,
        final long maxResponseBytes,
        final LeaseLimits leaseLimits,
        final LeaseTable leases,
        final int eagerIndexKeys)
    {
        this.storage = storage;
        this.maxResponseBytes = maxResponseBytes;
        this.leaseLimits = leaseLimits;
        this.leases = leases;
        this.index = new KeyIndex(storage, this::onKeyLoaded, eagerIndexKeys);
    }

    /**
     * @param timestampMs cluster time of the log entry being applied, stamped on the changes it makes.
     */
    void entryTime(final long timestampMs)
    {
        this.timestampMs = timestampMs;
    }

    /**
     * Record a change in the history: the changes of one revision are numbered in the order they are applied.
     */
    private Object recordChange(final byte[] key, final long revision, final byte[] record, final Object hint)
    {
        if (revision != changeRevision)
        {
            changeRevision = revision;
            nextSubRevision = 0;
        }
        return storage.putHistory(key, revision, nextSubRevision++, timestampMs, record, hint);
    }

    /**
     * @param op        a put.
     * @param revision  current, for a refusal.
     * @param responder to refuse through.
     * @return true if the put can run; otherwise it was refused.
     */
    boolean checkPut(final TxnOp op, final long revision, final KvResponder responder)
    {
        final byte[] key = op.key;
        final int valueLength = op.valueLength;
        final long lease = op.lease;
        final boolean ignoreValue = op.ignoreValue;
        final boolean ignoreLease = op.ignoreLease;
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

    /**
     * @return true if the key is attached to the lease.
     */
    boolean isAttached(final long leaseId, final byte[] key)
    {
        index.loadAll();
        final Lease lease = leases.get(leaseId);
        return null != lease && lease.hasKey(key);
    }

    /**
     * @return true if the lease can take {@code added} more keys; otherwise the request was refused.
     */
    boolean checkLeaseKeyLimit(
        final long leaseId, final long added, final long revision, final KvResponder responder)
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

    /**
     * Put, after {@link #checkPut} passed, and answer.
     *
     * @param op          a put.
     * @param newRevision of the write.
     * @param responder   to answer.
     */
    void applyPut(final TxnOp op, final long newRevision, final KvResponder responder)
    {
        final byte[] key = op.key;
        final boolean prevKv = op.prevKv;
        final boolean ignoreValue = op.ignoreValue;
        final KeyIndex.Entry existing = index.get(key);
        // Only a put that returns or keeps the previous value reads it; the index knows the rest.
        final byte[] previous = null != existing && (prevKv || ignoreValue) ? storage.get(key) : null;
        final long createRevision = null == existing ? newRevision : existing.createRevision;
        final long version = null == existing ? 1 : existing.version + 1;
        final long oldLease = null == existing ? 0 : existing.lease;
        final long newLease = op.ignoreLease ? oldLease : op.lease;
        final byte[] record = ignoreValue ?
            KeyValueRecord.encodeKeepingValue(createRevision, newRevision, version, newLease, previous) :
            KeyValueRecord.encode(
                createRevision, newRevision, version, newLease, op.valueBuffer, op.valueOffset, op.valueLength);

        storage.put(key, record);
        final Object history = recordChange(key, newRevision, record, null == existing ? null : existing.history);
        index.put(existing, key, createRevision, newRevision, version, newLease).history = history;
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

    /**
     * @param atRevision asked to read at, 0 for the current one.
     * @param revision   current.
     * @param responder  to refuse through.
     * @return true if the range can be read at that revision; otherwise it was refused.
     */
    boolean checkRange(final long atRevision, final long revision, final KvResponder responder)
    {
        if (atRevision > revision)
        {
            responder.onError(
                revision, ErrorCode.FUTURE_REVISION, futureMessage(atRevision, revision));
            return false;
        }
        final long compactedRevision = storage.compactedRevision();
        if (atRevision > 0 && atRevision < compactedRevision)
        {
            responder.onCompacted(revision, compactedRevision, compactedMessage(compactedRevision));
            return false;
        }

        return true;
    }

    /**
     * etcd's message for a revision not reached yet, with the revision asked for and the current one.
     *
     * @param atRevision asked for.
     * @param revision   current.
     * @return the message.
     */
    static String futureMessage(final long atRevision, final long revision)
    {
        return "mvcc: required revision is a future revision (revision " + atRevision + ", current revision " +
            revision + ")";
    }

    /**
     * etcd's message for a revision no longer kept, with the compacted revision.
     *
     * @param compactedRevision of the store.
     * @return the message.
     */
    static String compactedMessage(final long compactedRevision)
    {
        return "mvcc: required revision has been compacted (compacted revision " + compactedRevision + ")";
    }

    /**
     * Read a range, after {@link #checkRange} passed, and answer: at the current revision from the current state,
     * at an earlier one from the history.
     *
     * @param op              a range.
     * @param currentRevision the revision of the store, which the answer reports.
     * @param responder       to answer.
     */
    void applyRange(final TxnOp op, final long currentRevision, final KvResponder responder)
    {
        final byte[] key = op.key;
        final byte[] rangeEnd = op.rangeEnd;
        final boolean keysOnly = op.keysOnly;
        final boolean countOnly = op.countOnly;
        final long atRevision = op.revision > 0 && op.revision < currentRevision ? op.revision : 0;
        results.clear();
        long count = 0;
        if (0 != atRevision)
        {
            count = 0 == rangeEnd.length ?
                getAt(key, atRevision, keysOnly, countOnly) :
                scan(storage.cursorAt(atRevision), key, rangeEnd, op.descending, op.limit, !countOnly, true,
                !keysOnly, true);
        }
        else if (0 == rangeEnd.length)
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
            count = scan(storage.cursor(), key, rangeEnd, op.descending, op.limit, !countOnly, true, !keysOnly, true);
        }

        final boolean more = count > results.size() && !countOnly;
        responder.onRange(currentRevision, count, more, keysOnly, results);
    }

    /**
     * Read one key as it was at a revision into the results: from the current state when it has not changed since,
     * else from the history.
     *
     * @return 1 if the key existed at the revision, else 0.
     */
    private long getAt(final byte[] key, final long atRevision, final boolean keysOnly, final boolean countOnly)
    {
        final KeyIndex.Entry entry = index.get(key);
        byte[] record = null;
        if (null != entry && entry.modRevision <= atRevision)
        {
            record = countOnly ? null : storage.get(key);
        }
        else
        {
            record = storage.getAt(key, atRevision);
            if (null == record)
            {
                return 0;
            }
        }

        if (keysOnly)
        {
            results.addWithoutValue(key, record);
        }
        else if (!countOnly)
        {
            results.add(key, record);
        }
        return 1;
    }

    /**
     * @param op        a delete-range.
     * @param revision  current, for a refusal.
     * @param responder to refuse through.
     * @return true if the delete can run: its previous pairs, if asked for, fit one response.
     */
    boolean checkDeleteRange(final TxnOp op, final long revision, final KvResponder responder)
    {
        if (!op.prevKv)
        {
            return true;
        }

        collectDeletes(op.key, op.rangeEnd, true);
        return !isTooLargeToReturn(revision, responder);
    }

    /**
     * Delete a range on its own, reading it once, and answer.
     *
     * @param op        a delete-range.
     * @param revision  current: the deletes are at the next one.
     * @param responder to answer.
     * @return true if anything was deleted.
     */
    boolean deleteRange(final TxnOp op, final long revision, final KvResponder responder)
    {
        collectDeletes(op.key, op.rangeEnd, op.prevKv);
        if (op.prevKv && isTooLargeToReturn(revision, responder))
        {
            return false;
        }

        return deleteCollected(op.prevKv, revision + 1, revision, responder);
    }

    /**
     * @return true if the collected previous pairs are too large for one response, after refusing the request.
     */
    private boolean isTooLargeToReturn(final long revision, final KvResponder responder)
    {
        if ((results.encodedBytes() > maxResponseBytes && results.size() > 1) ||
            results.size() > Protocol.MAX_GROUP_ENTRIES)
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
        final TxnOp op, final long newRevision, final long unchangedRevision, final KvResponder responder)
    {
        collectDeletes(op.key, op.rangeEnd, op.prevKv);
        return deleteCollected(op.prevKv, newRevision, unchangedRevision, responder);
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
            deleteKey(results.key(i), newRevision);
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
            scan(storage.cursor(), key, rangeEnd, false, 0, true, prevKv, prevKv, false);
        }
    }

    private void deleteKey(final byte[] key, final long newRevision)
    {
        final KeyIndex.Entry entry = index.get(key);
        if (null != entry)
        {
            leases.detach(entry.lease, key);
        }
        storage.delete(key);
        recordChange(key, newRevision, null, null == entry ? null : entry.history);
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

    /**
     * Revoke a lease: its keys are deleted, all of them at one revision.
     *
     * @param lease       to revoke.
     * @param newRevision of the deletes, if there are any.
     * @return true if keys were deleted, so the store moves to a new revision.
     */
    boolean revoke(final Lease lease, final long newRevision)
    {
        index.loadAll();
        revokeRevision = newRevision;
        return leases.revoke(lease, revokedKeyDeleter) > 0;
    }

    /**
     * Load the rest of the key index, so that every lease knows all its keys.
     */
    void loadIndex()
    {
        index.loadAll();
    }

    /**
     * @return the key index, for the state machine's own operations on it.
     */
    KeyIndex index()
    {
        return index;
    }

    private void deleteRevokedKey(final byte[] key)
    {
        storage.delete(key);
        recordChange(key, revokeRevision, null, null);
        index.remove(key);
    }

    /**
     * Walk a range, counting every key and collecting up to limit keys, with their records if asked, into the
     * results.
     *
     * @param opened        cursor to walk with, closed here.
     * @param key           start of the range.
     * @param rangeEnd      exclusive end, or the from-key marker.
     * @param descending    walk from the end.
     * @param limit         most pairs to collect, 0 for all.
     * @param collect       collect keys at all, rather than only count them.
     * @param withRecords   collect each key's record too.
     * @param withValues    the response carries the values: else only keys and record headers count towards the
     *                      response bound, as only they are sent.
     * @param boundResponse stop collecting once the results reach the response bound (always keeping one) or
     *                      {@link #Protocol.MAX_GROUP_ENTRIES}.
     * @return the number of keys in the range.
     */
    private long scan(
        final KvCursor opened,
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
        try (KvCursor cursor = KvCursor.openRange(opened, key, rangeEnd, descending))
        {
            while (KvCursor.isInRange(cursor, key, rangeEnd, descending))
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
                            (!boundResponse || results.size() < Protocol.MAX_GROUP_ENTRIES);
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
     * A lease id as etcdctl prints it: 16 hex digits.
     */
    static String hex(final long leaseId)
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
