package io.metastore.node.storage;

import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of a member's replicated state as committed to storage: equal on replicas that hold the same state, so
 * tests, and later replay tooling, compare members and replays by it.
 * <p>
 * Covers the committed keys and records in key order, then the leases, the lease id sequence, then the active
 * alarms if any (so a store without alarms digests as it did before they existed), then the compacted revision and
 * the kept history: what a read at any revision not compacted can see, whatever physical removal has reached. Not
 * covered: what is not replicated state, such as the applied log position and the cluster id.
 */
public final class StateDigest
{
    private StateDigest()
    {
    }

    /**
     * On the thread that owns the store (the service's, a replay's, a loader's): the kept history is filtered through
     * the store's in-memory index, which the service changes as it removes compacted history. From any other thread
     * use {@link #of(CommittedView)}.
     *
     * @param storage to digest.
     * @return a SHA-256 digest in hex.
     */
    public static String of(final RocksDbStorage storage)
    {
        try (KvCursor cursor = storage.committedCursor())
        {
            return of(cursor, storage);
        }
    }

    /**
     * Safe from any thread: a view reads one RocksDB snapshot and finds what compaction hides without the service's
     * index, so the digest is of one committed state, whatever the service does meanwhile.
     *
     * @param view to digest.
     * @return a SHA-256 digest in hex.
     */
    public static String of(final CommittedView view)
    {
        try (KvCursor cursor = view.cursor())
        {
            return of(cursor, view);
        }
    }

    private static String of(final KvCursor cursor, final CommittedState storage)
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }

        for (cursor.seekToFirst(); cursor.isValid(); cursor.next())
        {
            final byte[] key = cursor.key();
            final byte[] record = cursor.record();
            digest.update(intBytes(key.length));
            digest.update(key);
            digest.update(intBytes(record.length));
            digest.update(record);
        }
        storage.forEachCommittedLease((id, ttl, deadline) ->
        {
            digest.update(longBytes(id));
            digest.update(longBytes(ttl));
            digest.update(longBytes(deadline));
        });
        digest.update(longBytes(storage.committedLeaseSequence()));
        final byte[] alarms = storage.committedAlarms();
        if (null != alarms)
        {
            digest.update(intBytes(alarms.length));
            digest.update(alarms);
        }
        digest.update(longBytes(storage.committedCompactedRevision()));
        storage.forEachKeptChange((revision, subRevision, timestampMs, key, record) ->
        {
            digest.update(longBytes(revision));
            digest.update(intBytes(subRevision));
            digest.update(longBytes(timestampMs));
            digest.update(intBytes(key.length));
            digest.update(key);
            digest.update(intBytes(null == record ? -1 : record.length));
            if (null != record)
            {
                digest.update(record);
            }
            return true;
        });

        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] longBytes(final long value)
    {
        final byte[] bytes = new byte[Long.BYTES];
        new UnsafeBuffer(bytes).putLong(0, value);
        return bytes;
    }

    private static byte[] intBytes(final int value)
    {
        return new byte[]{ (byte)(value >>> 24), (byte)(value >>> 16), (byte)(value >>> 8), (byte)value };
    }
}
