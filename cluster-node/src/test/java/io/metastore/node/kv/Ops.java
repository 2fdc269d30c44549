package io.metastore.node.kv;

import org.agrona.DirectBuffer;

/**
 * Requests as the ingress decoder hands them to the state machine, built from their fields for tests.
 */
public final class Ops
{
    private Ops()
    {
    }

    public static TxnOp put(
        final byte[] key,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long lease,
        final boolean prevKv,
        final boolean ignoreValue,
        final boolean ignoreLease)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.PUT;
        op.key = key;
        op.valueBuffer = value;
        op.valueOffset = valueOffset;
        op.valueLength = valueLength;
        op.lease = lease;
        op.prevKv = prevKv;
        op.ignoreValue = ignoreValue;
        op.ignoreLease = ignoreLease;
        return op;
    }

    public static TxnOp range(
        final byte[] key,
        final byte[] rangeEnd,
        final long limit,
        final long atRevision,
        final boolean descending,
        final boolean keysOnly,
        final boolean countOnly)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.RANGE;
        op.key = key;
        op.rangeEnd = rangeEnd;
        op.limit = limit;
        op.revision = atRevision;
        op.descending = descending;
        op.keysOnly = keysOnly;
        op.countOnly = countOnly;
        return op;
    }

    public static TxnOp deleteRange(final byte[] key, final byte[] rangeEnd, final boolean prevKv)
    {
        final TxnOp op = new TxnOp();
        op.type = TxnOp.DELETE_RANGE;
        op.key = key;
        op.rangeEnd = rangeEnd;
        op.prevKv = prevKv;
        return op;
    }
}
