package io.metastore.tools;

/**
 * How a range result prints: the flags of {@code get} that change its output, kept per operation of a {@code txn}.
 *
 * @param keysOnly  values were not asked for.
 * @param countOnly only the count was asked for.
 * @param valueOnly print values without their keys, in simple output.
 */
record RangeFormat(boolean keysOnly, boolean countOnly, boolean valueOnly)
{
    /**
     * Keys and values, as a plain {@code get} prints them.
     */
    static final RangeFormat DEFAULT = new RangeFormat(false, false, false);
}
