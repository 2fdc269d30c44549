package io.metastore.node.kv;

import org.agrona.DirectBuffer;

/**
 * Layout of a stored key's record: a fixed header of four longs (createRevision, modRevision, version, lease)
 * followed by the value bytes, little endian.
 */
public final class KeyValueRecord
{
    /**
     * Offset of the revision at which the key was created.
     */
    public static final int CREATE_REVISION_OFFSET = 0;

    /**
     * Offset of the revision of the key's last modification.
     */
    public static final int MOD_REVISION_OFFSET = CREATE_REVISION_OFFSET + Long.BYTES;

    /**
     * Offset of the number of puts since the key was created.
     */
    public static final int VERSION_OFFSET = MOD_REVISION_OFFSET + Long.BYTES;

    /**
     * Offset of the attached lease id, 0 for none.
     */
    public static final int LEASE_OFFSET = VERSION_OFFSET + Long.BYTES;

    /**
     * Length of the header; the value follows.
     */
    public static final int HEADER_LENGTH = LEASE_OFFSET + Long.BYTES;

    private KeyValueRecord()
    {
    }

    /**
     * Encode a record, copying the value from a buffer.
     *
     * @param createRevision of the key.
     * @param modRevision    of the key.
     * @param version        of the key.
     * @param lease          attached, 0 for none.
     * @param value          buffer holding the value.
     * @param valueOffset    of the value in the buffer.
     * @param valueLength    of the value.
     * @return a new record.
     */
    public static byte[] encode(
        final long createRevision,
        final long modRevision,
        final long version,
        final long lease,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        final byte[] record = new byte[HEADER_LENGTH + valueLength];
        putHeader(record, createRevision, modRevision, version, lease);
        value.getBytes(valueOffset, record, HEADER_LENGTH, valueLength);

        return record;
    }

    /**
     * Write the header of a record whose value is already in place.
     *
     * @param record         to write into.
     * @param createRevision of the key.
     * @param modRevision    of the key.
     * @param version        of the key.
     * @param lease          attached, 0 for none.
     */
    public static void putHeader(
        final byte[] record, final long createRevision, final long modRevision, final long version, final long lease)
    {
        putLong(record, CREATE_REVISION_OFFSET, createRevision);
        putLong(record, MOD_REVISION_OFFSET, modRevision);
        putLong(record, VERSION_OFFSET, version);
        putLong(record, LEASE_OFFSET, lease);
    }

    /**
     * Encode a record with a new header and the value of an existing record.
     *
     * @param createRevision of the key.
     * @param modRevision    of the key.
     * @param version        of the key.
     * @param lease          attached, 0 for none.
     * @param previous       record whose value is kept.
     * @return a new record.
     */
    public static byte[] encodeKeepingValue(
        final long createRevision,
        final long modRevision,
        final long version,
        final long lease,
        final byte[] previous)
    {
        final byte[] record = previous.clone();
        putHeader(record, createRevision, modRevision, version, lease);

        return record;
    }

    /**
     * @param record to read.
     * @return the revision at which the key was created.
     */
    public static long createRevision(final byte[] record)
    {
        return getLong(record, CREATE_REVISION_OFFSET);
    }

    /**
     * @param record to read.
     * @return the revision of the key's last modification.
     */
    public static long modRevision(final byte[] record)
    {
        return getLong(record, MOD_REVISION_OFFSET);
    }

    /**
     * @param record to read.
     * @return the number of puts since the key was created.
     */
    public static long version(final byte[] record)
    {
        return getLong(record, VERSION_OFFSET);
    }

    /**
     * @param record to read.
     * @return the attached lease id, 0 for none.
     */
    public static long lease(final byte[] record)
    {
        return getLong(record, LEASE_OFFSET);
    }

    /**
     * @param record to read.
     * @return the length of the value it holds.
     */
    public static int valueLength(final byte[] record)
    {
        return record.length - HEADER_LENGTH;
    }

    private static void putLong(final byte[] record, final int offset, final long value)
    {
        for (int i = 0; i < Long.BYTES; i++)
        {
            record[offset + i] = (byte)(value >>> (8 * i));
        }
    }

    private static long getLong(final byte[] record, final int offset)
    {
        long value = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--)
        {
            value = (value << 8) | (record[offset + i] & 0xFFL);
        }

        return value;
    }
}
