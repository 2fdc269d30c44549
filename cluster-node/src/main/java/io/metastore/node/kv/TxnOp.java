package io.metastore.node.kv;

import org.agrona.DirectBuffer;

/**
 * One operation of a transaction, decoded and checked for shape: a put, range, delete-range or nested transaction.
 * A put's value stays in the ingress buffer it arrived in, valid while the transaction is applied.
 */
public final class TxnOp
{
    /**
     * Put a key.
     */
    public static final int PUT = 1;

    /**
     * Read a range.
     */
    public static final int RANGE = 2;

    /**
     * Delete a range.
     */
    public static final int DELETE_RANGE = 3;

    /**
     * A nested transaction.
     */
    public static final int TXN = 4;

    /**
     * One of {@link #PUT}, {@link #RANGE}, {@link #DELETE_RANGE}, {@link #TXN}.
     */
    public int type;

    /**
     * The key, or first key of the range.
     */
    public byte[] key;

    /**
     * Range and delete-range: empty for the key alone, else the exclusive end (or the from-key marker).
     */
    public byte[] rangeEnd;

    /**
     * Put: buffer holding the value.
     */
    public DirectBuffer valueBuffer;

    /**
     * Put: offset of the value.
     */
    public int valueOffset;

    /**
     * Put: length of the value.
     */
    public int valueLength;

    /**
     * Put: lease to attach, 0 for none.
     */
    public long lease;

    /**
     * Put and delete-range: return the previous pair(s).
     */
    public boolean prevKv;

    /**
     * Put: keep the current value.
     */
    public boolean ignoreValue;

    /**
     * Put: keep the current lease.
     */
    public boolean ignoreLease;

    /**
     * Range: at most this many pairs, 0 for no limit.
     */
    public long limit;

    /**
     * Range: revision to read at, 0 for the current one.
     */
    public long revision;

    /**
     * Range: order by key descending.
     */
    public boolean descending;

    /**
     * Range: leave the values out.
     */
    public boolean keysOnly;

    /**
     * Range: return only the count.
     */
    public boolean countOnly;

    /**
     * The nested transaction, for {@link #TXN}.
     */
    public TxnRequest txn;
}
