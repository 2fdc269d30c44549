package io.metastore.node.kv;

import io.metastore.codecs.CompareTarget;
import io.metastore.node.storage.KvCursor;
import io.metastore.node.storage.KvStorage;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs transactions for {@link KvStateMachine}, in etcd's three steps: every compare, nested ones included, is
 * evaluated against the state before the transaction, which fixes the path; every operation on the path is checked
 * against that state; only then does the path run, its writes at one new revision. A check that fails refuses the
 * whole transaction with nothing written. Checking against the state before the transaction is exact because a
 * transaction may not write a key twice nor put a key it deletes ({@link #hasDuplicateKey(TxnRequest)}).
 */
final class TxnRunner
{
    private final KvOps ops;
    private final KvStorage storage;
    private final KeyIndex index;
    private final Long2LongHashMap attachmentsByLease = new Long2LongHashMap(0);
    private final LongArrayList leasesAttachedTo = new LongArrayList();
    private boolean changed;

    TxnRunner(final KvOps ops, final KvStorage storage, final KeyIndex index)
    {
        this.ops = ops;
        this.storage = storage;
        this.index = index;
    }

    /**
     * etcd's rule: within the operations that may run together, a key is put at most once and never inside a range
     * that is deleted. The success and failure lists of a nested transaction exclude each other, so each may put the
     * same key.
     *
     * @param txn to check.
     * @return true if the transaction must be refused.
     */
    boolean hasDuplicateKey(final TxnRequest txn)
    {
        if (writes(txn) < 2)
        {
            return false; // the common compare-and-swap of one key: nothing to check, nothing to allocate
        }

        return hasDuplicateKey(txn.success, new HashSet<>(), new ArrayList<>()) ||
            hasDuplicateKey(txn.failure, new HashSet<>(), new ArrayList<>());
    }

    /**
     * Does the transaction hold a put anywhere: in either branch, or in a nested transaction's? What a
     * {@code NOSPACE} alarm refuses, whichever branch would run.
     *
     * @param txn to look into.
     * @return true if it holds a put.
     */
    static boolean hasPut(final TxnRequest txn)
    {
        return hasPut(txn.success) || hasPut(txn.failure);
    }

    private static boolean hasPut(final List<TxnOp> ops)
    {
        for (final TxnOp op : ops)
        {
            if (TxnOp.PUT == op.type || (TxnOp.TXN == op.type && hasPut(op.txn)))
            {
                return true;
            }
        }

        return false;
    }

    /**
     * Evaluate the compares of the transaction and of the nested ones on its path, fixing the path.
     *
     * @param txn to decide.
     */
    void decide(final TxnRequest txn)
    {
        boolean succeeded = true;
        for (int i = 0, size = txn.compares.size(); i < size && succeeded; i++)
        {
            succeeded = holds(txn.compares.get(i));
        }
        txn.succeeded = succeeded;

        for (final TxnOp op : txn.path())
        {
            if (TxnOp.TXN == op.type)
            {
                decide(op.txn);
            }
        }
    }

    /**
     * Check every operation on the decided path.
     *
     * @param txn       decided.
     * @param revision  of the store before the transaction.
     * @param responder to refuse through.
     * @return true if the transaction may run; otherwise it was refused through the responder.
     */
    boolean check(final TxnRequest txn, final long revision, final KvResponder responder)
    {
        for (final TxnOp op : txn.path())
        {
            final boolean isValid = switch (op.type)
            {
                case TxnOp.PUT -> ops.checkPut(op, revision, responder);
                case TxnOp.RANGE -> ops.checkRange(op.revision, revision, responder);
                case TxnOp.DELETE_RANGE -> ops.checkDeleteRange(op, revision, responder);
                default -> check(op.txn, revision, responder);
            };
            if (!isValid)
            {
                return false;
            }
        }

        return true;
    }

    /**
     * Check that the keys the path attaches to each lease, counted together, keep it within its key limit: each put
     * alone was checked against the state before the transaction, which a transaction of many puts could overshoot.
     *
     * @return true if every lease stays within its limit; otherwise it was refused through the responder.
     */
    boolean checkLeaseKeyLimits(final TxnRequest txn, final long revision, final KvResponder responder)
    {
        attachmentsByLease.clear();
        leasesAttachedTo.clear();
        countAttachments(txn);
        for (int i = 0, size = leasesAttachedTo.size(); i < size; i++)
        {
            final long leaseId = leasesAttachedTo.getLong(i);
            if (!ops.checkLeaseKeyLimit(leaseId, attachmentsByLease.get(leaseId), revision, responder))
            {
                return false;
            }
        }

        return true;
    }

    private void countAttachments(final TxnRequest txn)
    {
        for (final TxnOp op : txn.path())
        {
            if (TxnOp.PUT == op.type && 0 != op.lease && !ops.isAttached(op.lease, op.key))
            {
                if (0 == attachmentsByLease.get(op.lease))
                {
                    leasesAttachedTo.addLong(op.lease);
                }
                attachmentsByLease.put(op.lease, attachmentsByLease.get(op.lease) + 1);
            }
            else if (TxnOp.TXN == op.type)
            {
                countAttachments(op.txn);
            }
        }
    }

    /**
     * Run the decided and checked path.
     *
     * @param txn       to run.
     * @param revision  of the store before the transaction.
     * @param responder to answer.
     * @return true if anything was written, so the store moves to revision + 1.
     */
    boolean run(final TxnRequest txn, final long revision, final KvResponder responder)
    {
        changed = false;
        runPath(txn, revision, responder);

        return changed;
    }

    private void runPath(final TxnRequest txn, final long revision, final KvResponder responder)
    {
        final long txnRevision = revision + 1;
        responder.onTxnBegin(txn.succeeded);
        for (final TxnOp op : txn.path())
        {
            switch (op.type)
            {
                case TxnOp.PUT:
                    ops.applyPut(op, txnRevision, responder);
                    changed = true;
                    break;

                case TxnOp.RANGE:
                    ops.applyRange(op, changed ? txnRevision : revision, responder);
                    break;

                case TxnOp.DELETE_RANGE:
                    changed |= ops.applyDeleteRange(op, txnRevision, changed ? txnRevision : revision, responder);
                    break;

                default:
                    runPath(op.txn, revision, responder);
                    break;
            }
        }
        responder.onTxnEnd(changed ? txnRevision : revision);
    }

    private boolean holds(final TxnCompare compare)
    {
        if (0 == compare.rangeEnd.length)
        {
            final KeyIndex.Entry entry = index.get(compare.key);
            if (null == entry)
            {
                return holdsForMissingKey(compare);
            }
            final byte[] record = CompareTarget.VALUE == compare.target ? storage.get(compare.key) : null;
            return holds(compare, entry.createRevision, entry.modRevision, entry.version, entry.lease, record);
        }

        boolean any = false;
        try (KvCursor cursor = KvCursor.openRange(storage.cursor(), compare.key, compare.rangeEnd, false))
        {
            for (; KvCursor.isInRange(cursor, compare.key, compare.rangeEnd, false); cursor.next())
            {
                any = true;
                final byte[] record = cursor.record();
                if (!holds(compare, KeyValueRecord.createRevision(record), KeyValueRecord.modRevision(record),
                    KeyValueRecord.version(record), KeyValueRecord.lease(record), record))
                {
                    return false;
                }
            }
        }

        return any || holdsForMissingKey(compare);
    }

    /**
     * etcd compares a key that does not exist as one with every number 0, and never holds a value compare for it.
     */
    private static boolean holdsForMissingKey(final TxnCompare compare)
    {
        return CompareTarget.VALUE != compare.target && holds(compare, 0, 0, 0, 0, null);
    }

    private static boolean holds(
        final TxnCompare compare,
        final long createRevision,
        final long modRevision,
        final long version,
        final long lease,
        final byte[] record)
    {
        final int result = switch (compare.target)
        {
            case VERSION -> Long.compare(version, compare.targetValue);
            case CREATE -> Long.compare(createRevision, compare.targetValue);
            case MOD -> Long.compare(modRevision, compare.targetValue);
            case LEASE -> Long.compare(lease, compare.targetValue);
            default -> Arrays.compareUnsigned(
                record, KeyValueRecord.HEADER_LENGTH, record.length, compare.value, 0, compare.value.length);
        };

        return switch (compare.result)
        {
            case EQUAL -> 0 == result;
            case GREATER -> result > 0;
            case LESS -> result < 0;
            default -> 0 != result;
        };
    }

    private static boolean hasDuplicateKey(final List<TxnOp> ops, final Set<ByteBuffer> puts, final List<TxnOp> deletes)
    {
        for (final TxnOp op : ops)
        {
            if (TxnOp.DELETE_RANGE == op.type)
            {
                deletes.add(op);
            }
        }

        for (final TxnOp op : ops)
        {
            if (TxnOp.TXN != op.type)
            {
                continue;
            }
            final Set<ByteBuffer> successPuts = new HashSet<>();
            final List<TxnOp> successDeletes = new ArrayList<>();
            final Set<ByteBuffer> failurePuts = new HashSet<>();
            final List<TxnOp> failureDeletes = new ArrayList<>();
            if (hasDuplicateKey(op.txn.success, successPuts, successDeletes) ||
                hasDuplicateKey(op.txn.failure, failurePuts, failureDeletes))
            {
                return true;
            }
            for (final ByteBuffer key : successPuts)
            {
                if (puts.contains(key) || isDeleted(deletes, key.array()))
                {
                    return true;
                }
                puts.add(key);
            }
            for (final ByteBuffer key : failurePuts)
            {
                if ((puts.contains(key) && !successPuts.contains(key)) || isDeleted(deletes, key.array()))
                {
                    return true;
                }
                puts.add(key);
            }
            deletes.addAll(successDeletes);
            deletes.addAll(failureDeletes);
        }

        for (final TxnOp op : ops)
        {
            if (TxnOp.PUT == op.type)
            {
                final ByteBuffer key = ByteBuffer.wrap(op.key);
                if (!puts.add(key) || isDeleted(deletes, op.key))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static int writes(final TxnRequest txn)
    {
        return writes(txn.success) + writes(txn.failure);
    }

    private static int writes(final List<TxnOp> ops)
    {
        int writes = 0;
        for (final TxnOp op : ops)
        {
            writes += TxnOp.TXN == op.type ? writes(op.txn) : (TxnOp.RANGE == op.type ? 0 : 1);
        }

        return writes;
    }

    private static boolean isDeleted(final List<TxnOp> deletes, final byte[] key)
    {
        for (final TxnOp delete : deletes)
        {
            if (KvOps.contains(delete.key, delete.rangeEnd, key))
            {
                return true;
            }
        }

        return false;
    }
}
