package io.metastore.client;

import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.protocol.KeyRanges;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One condition of a {@link Txn}, as etcd's {@code Compare}: a key's value, version, create revision, mod revision
 * or lease tested with {@code =}, {@code !=}, {@code <} or {@code >}. Immutable.
 * <p>
 * By default the compare reads the key alone. {@link #withRangeEnd(byte[])}, {@link #withPrefix()} and
 * {@link #withFromKey()} make it read every key in a range instead, and then every key in the range must satisfy it.
 * A key that does not exist has version, create revision, mod revision and lease 0, and no value (etcd's rule).
 * <pre>{@code
 * Compare.version("config/a", CompareResult.EQUAL, 0)          // the key does not exist
 * Compare.modRevision("config/", CompareResult.LESS, 42).withPrefix()
 * }</pre>
 */
public final class Compare
{
    private static final byte[] EMPTY = new byte[0];

    private final CompareTarget target;
    private final CompareResult result;
    private final byte[] key;
    private final byte[] rangeEnd;
    private final long targetValue;
    private final byte[] value;

    private Compare(
        final CompareTarget target,
        final CompareResult result,
        final byte[] key,
        final byte[] rangeEnd,
        final long targetValue,
        final byte[] value)
    {
        this.target = Objects.requireNonNull(target, "target");
        this.result = Objects.requireNonNull(result, "result");
        this.key = Objects.requireNonNull(key, "key").clone();
        this.rangeEnd = rangeEnd.clone();
        this.targetValue = targetValue;
        this.value = value.clone();
    }

    /**
     * @param key    to read.
     * @param result test to apply: {@code value(key) <result> value}, bytes compared unsigned.
     * @param value  to compare with.
     * @return the compare.
     */
    public static Compare value(final byte[] key, final CompareResult result, final byte[] value)
    {
        return new Compare(CompareTarget.VALUE, result, key, EMPTY, 0, Objects.requireNonNull(value, "value"));
    }

    /**
     * @param key    to read, UTF-8.
     * @param result test to apply.
     * @param value  to compare with, UTF-8.
     * @return the compare.
     */
    public static Compare value(final String key, final CompareResult result, final String value)
    {
        return value(utf8(key), result, utf8(value));
    }

    /**
     * @param key     to read.
     * @param result  test to apply: {@code version(key) <result> version}.
     * @param version to compare with; 0 is a key that does not exist.
     * @return the compare.
     */
    public static Compare version(final byte[] key, final CompareResult result, final long version)
    {
        return new Compare(CompareTarget.VERSION, result, key, EMPTY, version, EMPTY);
    }

    /**
     * @param key     to read, UTF-8.
     * @param result  test to apply.
     * @param version to compare with.
     * @return the compare.
     */
    public static Compare version(final String key, final CompareResult result, final long version)
    {
        return version(utf8(key), result, version);
    }

    /**
     * @param key      to read.
     * @param result   test to apply: {@code createRevision(key) <result> revision}.
     * @param revision to compare with.
     * @return the compare.
     */
    public static Compare createRevision(final byte[] key, final CompareResult result, final long revision)
    {
        return new Compare(CompareTarget.CREATE, result, key, EMPTY, revision, EMPTY);
    }

    /**
     * @param key      to read, UTF-8.
     * @param result   test to apply.
     * @param revision to compare with.
     * @return the compare.
     */
    public static Compare createRevision(final String key, final CompareResult result, final long revision)
    {
        return createRevision(utf8(key), result, revision);
    }

    /**
     * @param key      to read.
     * @param result   test to apply: {@code modRevision(key) <result> revision}.
     * @param revision to compare with.
     * @return the compare.
     */
    public static Compare modRevision(final byte[] key, final CompareResult result, final long revision)
    {
        return new Compare(CompareTarget.MOD, result, key, EMPTY, revision, EMPTY);
    }

    /**
     * @param key      to read, UTF-8.
     * @param result   test to apply.
     * @param revision to compare with.
     * @return the compare.
     */
    public static Compare modRevision(final String key, final CompareResult result, final long revision)
    {
        return modRevision(utf8(key), result, revision);
    }

    /**
     * @param key     to read.
     * @param result  test to apply: {@code lease(key) <result> leaseId}.
     * @param leaseId to compare with; 0 is no lease.
     * @return the compare.
     */
    public static Compare lease(final byte[] key, final CompareResult result, final long leaseId)
    {
        return new Compare(CompareTarget.LEASE, result, key, EMPTY, leaseId, EMPTY);
    }

    /**
     * @param key     to read, UTF-8.
     * @param result  test to apply.
     * @param leaseId to compare with.
     * @return the compare.
     */
    public static Compare lease(final String key, final CompareResult result, final long leaseId)
    {
        return lease(utf8(key), result, leaseId);
    }

    /**
     * @param rangeEnd exclusive end of the keys to test, {@code [key, rangeEnd)}; empty for the key alone.
     * @return a compare of every key in the range.
     */
    public Compare withRangeEnd(final byte[] rangeEnd)
    {
        return new Compare(target, result, key, Objects.requireNonNull(rangeEnd, "rangeEnd"), targetValue, value);
    }

    /**
     * @return a compare of every key that starts with the key.
     */
    public Compare withPrefix()
    {
        return withRangeEnd(KeyRanges.prefixEnd(key));
    }

    /**
     * @return a compare of every key greater than or equal to the key.
     */
    public Compare withFromKey()
    {
        return withRangeEnd(KeyRanges.fromKey());
    }

    /**
     * @return what the compare reads.
     */
    public CompareTarget target()
    {
        return target;
    }

    /**
     * @return how the compare tests.
     */
    public CompareResult result()
    {
        return result;
    }

    /**
     * @return a copy of the key, or the first key of the range.
     */
    public byte[] key()
    {
        return key.clone();
    }

    /**
     * @return a copy of the exclusive end of the range, empty for the key alone.
     */
    public byte[] rangeEnd()
    {
        return rangeEnd.clone();
    }

    /**
     * @return the version, revision or lease compared with; 0 for a value compare.
     */
    public long targetValue()
    {
        return targetValue;
    }

    /**
     * @return a copy of the value compared with; empty unless the target is the value.
     */
    public byte[] value()
    {
        return value.clone();
    }

    int encodedDataLength()
    {
        return key.length + rangeEnd.length + value.length;
    }

    byte[] keyBytes()
    {
        return key;
    }

    byte[] rangeEndBytes()
    {
        return rangeEnd;
    }

    byte[] valueBytes()
    {
        return value;
    }

    @Override
    public String toString()
    {
        return "Compare{" + target + "(" + new String(key, StandardCharsets.UTF_8) +
            (rangeEnd.length > 0 ? ".." + new String(rangeEnd, StandardCharsets.UTF_8) : "") + ") " + result + " " +
            (CompareTarget.VALUE == target ? new String(value, StandardCharsets.UTF_8) : targetValue) + '}';
    }

    private static byte[] utf8(final String text)
    {
        return Objects.requireNonNull(text).getBytes(StandardCharsets.UTF_8);
    }
}
