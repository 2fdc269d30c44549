package io.metastore.node.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * etcd's {@code HashKV}: a digest of the history a member keeps up to a revision, equal on members that hold the same
 * state, whatever their physical removal of compacted history has reached.
 * <p>
 * What is hashed is what compaction keeps: every change above the compacted revision C up to the revision R, and of
 * the changes at or below C, each key's newest if it is a put (what a read at C sees), in revision and sub revision
 * order, then C itself. A change is its revision, sub revision, cluster time, key and record (none for a delete).
 * <p>
 * CRC-32C, as etcd's (it prints a uint32): the digest is for comparing members, not for security; CRC-32C is computed
 * in hardware, so a hash over gigabytes is bound by reading them.
 */
public final class HistoryHash
{
    private static final Comparator<long[]> REVISION_ORDER =
        Comparator.<long[]>comparingLong(change -> change[0]).thenComparingLong(change -> change[1]);

    private HistoryHash()
    {
    }

    /**
     * The digest and what it covers.
     *
     * @param hash              CRC-32C as an unsigned 32 bit value.
     * @param revision          hashed up to.
     * @param compactedRevision of the state hashed.
     */
    public record Result(long hash, long revision, long compactedRevision)
    {
    }

    /**
     * Hash a view's kept history up to a revision. Runs for as long as reading that history takes: never on a thread
     * that serves requests.
     *
     * @param view     the committed state to hash, kept open by the caller.
     * @param revision to hash up to, at or above the view's compacted revision and at or below its revision.
     * @param isStopped  asked before each change: true stops the reading, and the digest is of no use.
     * @return the digest.
     */
    public static Result of(final CommittedView view, final long revision, final BooleanSupplier isStopped)
    {
        final long compacted = view.compactedRevision();
        // Of the changes at or below the compacted revision, each key's newest: {revision, sub revision, crc, delete}.
        final HashMap<ByteBuffer, long[]> newestCompacted = new HashMap<>();
        final CRC32C change = new CRC32C();
        final CRC32C above = new CRC32C();
        final ByteBuffer scratch = ByteBuffer.allocate(2 * Long.BYTES + 2 * Integer.BYTES);
        final long[] aboveCount = { 0 };
        view.forEachChange(revision, (changeRevision, subRevision, timestampMs, key, record) ->
        {
            if (isStopped.getAsBoolean())
            {
                return false;
            }
            change.reset();
            scratch.clear();
            scratch.putLong(changeRevision).putInt(subRevision).putLong(timestampMs).putInt(key.length);
            change.update(scratch.array(), 0, scratch.position());
            change.update(key);
            if (null != record)
            {
                change.update(record);
            }
            if (changeRevision <= compacted)
            {
                newestCompacted.put(ByteBuffer.wrap(key),
                    new long[]{ changeRevision, subRevision, change.getValue(), null == record ? 1 : 0 });
            }
            else
            {
                update(above, changeRevision, subRevision, change.getValue());
                aboveCount[0]++;
            }
            return true;
        });

        final ArrayList<long[]> kept = new ArrayList<>(newestCompacted.size());
        for (final long[] newest : newestCompacted.values())
        {
            if (0 == newest[3])
            {
                kept.add(newest);
            }
        }
        kept.sort(REVISION_ORDER);
        final CRC32C hash = new CRC32C();
        for (final long[] keptChange : kept)
        {
            update(hash, keptChange[0], keptChange[1], keptChange[2]);
        }
        update(hash, compacted, kept.size(), above.getValue());
        update(hash, revision, 0, aboveCount[0]);

        return new Result(hash.getValue(), revision, compacted);
    }

    private static void update(final CRC32C crc, final long a, final long b, final long c)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(3 * Long.BYTES);
        buffer.putLong(a).putLong(b).putLong(c);
        crc.update(buffer.array(), 0, buffer.position());
    }
}
