package io.metastore.tools.bench;

import java.util.SplittableRandom;

/**
 * Keys of a fixed size over a key space, sequential or uniformly random: the key's index in decimal, zero padded,
 * behind a {@code k} and cut or padded to the key size.
 */
final class KeyGenerator
{
    private final int keySize;
    private final long keySpaceSize;
    private final boolean sequential;
    private final SplittableRandom random = new SplittableRandom(42);
    private long next;

    KeyGenerator(final int keySize, final long keySpaceSize, final boolean sequential)
    {
        this.keySize = keySize;
        this.keySpaceSize = keySpaceSize;
        this.sequential = sequential;
    }

    byte[] nextKey()
    {
        final long index = sequential ? next++ % keySpaceSize : random.nextLong(keySpaceSize);
        return key(index);
    }

    byte[] key(final long index)
    {
        final byte[] key = new byte[keySize];
        key[0] = 'k';
        long value = index;
        for (int i = keySize - 1; i > 0; i--)
        {
            key[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        return key;
    }
}
