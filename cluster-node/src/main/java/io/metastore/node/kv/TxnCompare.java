package io.metastore.node.kv;

import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;

/**
 * One compare of a transaction, decoded: does the key (or every key of a range) hold the target value?
 */
public final class TxnCompare
{
    /**
     * What is compared.
     */
    public CompareTarget target;

    /**
     * How it is compared.
     */
    public CompareResult result;

    /**
     * Version, create or mod revision, or lease to compare with; unused for {@link CompareTarget#VALUE}.
     */
    public long targetValue;

    /**
     * The key, or first key of the range.
     */
    public byte[] key;

    /**
     * Empty for the key alone, else the exclusive end of the range (or the from-key marker).
     */
    public byte[] rangeEnd;

    /**
     * Value to compare with, for {@link CompareTarget#VALUE}.
     */
    public byte[] value;
}
