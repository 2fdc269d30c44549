package io.metastore.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One operation of a {@link Txn} branch, as etcd's {@code Op}: a put, a range, a delete-range or a nested
 * transaction. Immutable: the options are copied when the operation is made, so changing them later has no effect.
 */
public final class Op
{
    /**
     * The kinds of operation.
     */
    public enum Type
    {
        /**
         * Put one key.
         */
        PUT,

        /**
         * Read a key or range.
         */
        RANGE,

        /**
         * Delete a key or range.
         */
        DELETE_RANGE,

        /**
         * A nested transaction.
         */
        TXN
    }

    private static final byte[] EMPTY = new byte[0];

    private final Type type;
    private final byte[] key;
    private final byte[] value;
    private final byte[] rangeEnd;
    private final PutOptions putOptions;
    private final RangeOptions rangeOptions;
    private final DeleteOptions deleteOptions;
    private final Txn txn;

    private Op(
        final Type type,
        final byte[] key,
        final byte[] value,
        final byte[] rangeEnd,
        final PutOptions putOptions,
        final RangeOptions rangeOptions,
        final DeleteOptions deleteOptions,
        final Txn txn)
    {
        this.type = type;
        this.key = key;
        this.value = value;
        this.rangeEnd = rangeEnd;
        this.putOptions = putOptions;
        this.rangeOptions = rangeOptions;
        this.deleteOptions = deleteOptions;
        this.txn = txn;
    }

    /**
     * @param key     to put.
     * @param value   to store.
     * @param options of the put; copied.
     * @return the operation.
     */
    public static Op put(final byte[] key, final byte[] value, final PutOptions options)
    {
        final PutOptions copy = new PutOptions()
            .lease(options.lease())
            .prevKv(options.prevKv())
            .ignoreValue(options.ignoreValue())
            .ignoreLease(options.ignoreLease());

        return new Op(Type.PUT, key.clone(), value.clone(), EMPTY, copy, null, null, null);
    }

    /**
     * @param key   to put.
     * @param value to store.
     * @return the operation.
     */
    public static Op put(final byte[] key, final byte[] value)
    {
        return put(key, value, new PutOptions());
    }

    /**
     * @param key   to put, UTF-8.
     * @param value to store, UTF-8.
     * @return the operation.
     */
    public static Op put(final String key, final String value)
    {
        return put(utf8(key), utf8(value));
    }

    /**
     * @param key     the range starts at.
     * @param options of the range; copied, its range end resolved for the key.
     * @return the operation.
     */
    public static Op get(final byte[] key, final RangeOptions options)
    {
        final RangeOptions copy = new RangeOptions()
            .limit(options.limit())
            .revision(options.revision())
            .sortOrder(options.sortOrder())
            .keysOnly(options.keysOnly())
            .countOnly(options.countOnly());

        return new Op(Type.RANGE, key.clone(), EMPTY, options.rangeEndFor(key).clone(), null, copy, null, null);
    }

    /**
     * @param key to read.
     * @return the operation.
     */
    public static Op get(final byte[] key)
    {
        return get(key, new RangeOptions());
    }

    /**
     * @param key to read, UTF-8.
     * @return the operation.
     */
    public static Op get(final String key)
    {
        return get(utf8(key));
    }

    /**
     * @param key     the range starts at.
     * @param options of the delete; copied, its range end resolved for the key.
     * @return the operation.
     */
    public static Op delete(final byte[] key, final DeleteOptions options)
    {
        final DeleteOptions copy = new DeleteOptions().prevKv(options.prevKv());

        return new Op(Type.DELETE_RANGE, key.clone(), EMPTY, options.rangeEndFor(key).clone(), null, null, copy, null);
    }

    /**
     * @param key to delete.
     * @return the operation.
     */
    public static Op delete(final byte[] key)
    {
        return delete(key, new DeleteOptions());
    }

    /**
     * @param key to delete, UTF-8.
     * @return the operation.
     */
    public static Op delete(final String key)
    {
        return delete(utf8(key));
    }

    /**
     * @param txn to nest; it runs, with its own compares, as one operation of the enclosing branch.
     * @return the operation.
     */
    public static Op txn(final Txn txn)
    {
        return new Op(Type.TXN, EMPTY, EMPTY, EMPTY, null, null, null, Objects.requireNonNull(txn, "txn"));
    }

    /**
     * @return the kind of operation.
     */
    public Type type()
    {
        return type;
    }

    /**
     * @return a copy of the key, or the first key of the range; empty for a nested transaction.
     */
    public byte[] key()
    {
        return key.clone();
    }

    /**
     * @return the nested transaction, or null if this is not one.
     */
    public Txn txn()
    {
        return txn;
    }

    byte[] keyBytes()
    {
        return key;
    }

    byte[] valueBytes()
    {
        return value;
    }

    byte[] rangeEndBytes()
    {
        return rangeEnd;
    }

    PutOptions putOptions()
    {
        return putOptions;
    }

    RangeOptions rangeOptions()
    {
        return rangeOptions;
    }

    DeleteOptions deleteOptions()
    {
        return deleteOptions;
    }

    @Override
    public String toString()
    {
        return Type.TXN == type ? "Op{TXN " + txn + '}' :
            "Op{" + type + ' ' + new String(key, StandardCharsets.UTF_8) +
            (rangeEnd.length > 0 ? ".." + new String(rangeEnd, StandardCharsets.UTF_8) : "") + '}';
    }

    private static byte[] utf8(final String text)
    {
        return Objects.requireNonNull(text).getBytes(StandardCharsets.UTF_8);
    }
}
