package io.metastore.benchmarks;

import java.util.SplittableRandom;

/**
 * The fields of one put request as primitives and byte arrays: what the SBE encoder reads and what the SBE decoder
 * fills in. Allocated once with room for the largest key and value, so that neither direction allocates.
 */
final class PutRequestFields
{
    /**
     * Key length of the project's workload, as {@code metastore bench --key-size} defaults to.
     */
    static final int KEY_LENGTH = 16;

    /**
     * Value length of the project's workload, as {@code metastore bench --value-size} defaults to.
     */
    static final int VALUE_LENGTH = 256;

    long correlationId;
    long clientId;
    long sequence;
    long lease;
    boolean prevKv;
    boolean ignoreValue;
    boolean ignoreLease;
    final byte[] key;
    int keyLength;
    final byte[] value;
    int valueLength;

    PutRequestFields(final int keyCapacity, final int valueCapacity)
    {
        key = new byte[keyCapacity];
        value = new byte[valueCapacity];
    }

    /**
     * The put request every benchmark encodes: a 16-byte key shaped like the ones {@code metastore bench} generates
     * ('k' and fifteen digits), a 256-byte value of seeded pseudo-random bytes, a lease, and prevKv requested.
     *
     * @return a new instance holding the sample request.
     */
    static PutRequestFields sample()
    {
        final PutRequestFields fields = new PutRequestFields(KEY_LENGTH, VALUE_LENGTH);
        fields.correlationId = 1_000_042L;
        fields.clientId = 0x5EED_CAFE_F00DL;
        fields.sequence = 42;
        fields.lease = 7_587_869_224_938_913_792L;
        fields.prevKv = true;

        long index = 12_345;
        fields.key[0] = 'k';
        for (int i = KEY_LENGTH - 1; i > 0; i--)
        {
            fields.key[i] = (byte)('0' + (index % 10));
            index /= 10;
        }
        fields.keyLength = KEY_LENGTH;

        new SplittableRandom(42).nextBytes(fields.value);
        fields.valueLength = VALUE_LENGTH;

        return fields;
    }
}
