package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.storage.KvStorage;
import io.metastore.protocol.Protocol;

/**
 * What is asked of the history as a whole: compaction, by request or automatic, and reading the changes of a span
 * of revisions. Reads at a revision are {@link KvOps}'.
 * <p>
 * Compaction is logical here: the compacted revision is replicated state, set in the batch of the entry that
 * asks for it, and from then on a read below it is refused. What it makes unreadable is removed from storage
 * later, in small steps between batches, which never changes an answer.
 */
final class HistoryOps
{
    /**
     * Most changes one read of changes looks at, matching or not: it runs on the service's thread.
     */
    static final int MAX_CHANGES_SCANNED = 64 * 1024;

    private final KvStorage storage;
    private final long maxResponseBytes;
    private final ChangeList changes = new ChangeList();
    private final KvStorage.ChangeConsumer onChange = this::onChange;
    private byte[] key;
    private byte[] rangeEnd;
    private long limit;
    private long fromRevision;
    private long pendingRevision;
    private int pendingRevisionStart;
    private long nextRevision;
    private boolean isTooLarge;

    HistoryOps(final KvStorage storage, final long maxResponseBytes)
    {
        this.storage = storage;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Compact at a revision, as etcd: refused above the current revision and at or below the compacted one.
     *
     * @param atRevision to compact at.
     * @param revision   current.
     * @param responder  to answer.
     */
    void compact(final long atRevision, final long revision, final KvResponder responder)
    {
        final long compactedRevision = storage.compactedRevision();
        if (atRevision > revision)
        {
            responder.onError(revision, ErrorCode.FUTURE_REVISION, KvOps.futureMessage(atRevision, revision));
            return;
        }
        if (atRevision <= compactedRevision)
        {
            responder.onCompacted(revision, compactedRevision, KvOps.compactedMessage(compactedRevision));
            return;
        }

        storage.putCompactedRevision(atRevision);
        responder.onCompact(revision, atRevision);
    }

    /**
     * Compact as an automatic compaction's timer says, if that moves the compacted revision.
     *
     * @param setting  the timer carries.
     * @param nowMs    cluster time of the timer event.
     * @param revision current.
     * @return the revision compacted at, or 0 if nothing was compacted.
     */
    long autoCompact(final AutoCompaction setting, final long nowMs, final long revision)
    {
        final long atRevision = setting.compactionRevision(nowMs, revision, storage);
        if (atRevision > storage.compactedRevision() && atRevision <= revision)
        {
            storage.putCompactedRevision(atRevision);
            return atRevision;
        }

        return 0;
    }

    /**
     * Read the changes of revisions {@code [fromRevision, toRevision]} to keys of {@code [key, rangeEnd)}, whole
     * revisions only, as many as one response holds.
     *
     * @param op           a changes request: key, range end, limit (0 for none).
     * @param fromRevision first revision.
     * @param toRevision   last revision, 0 for the current one.
     * @param revision     current.
     * @param responder    to answer.
     */
    void changes(
        final TxnOp op,
        final long fromRevision,
        final long toRevision,
        final long revision,
        final KvResponder responder)
    {
        final long compactedRevision = storage.compactedRevision();
        final long lastRevision = 0 == toRevision ? revision : toRevision;
        if (fromRevision <= compactedRevision)
        {
            responder.onCompacted(revision, compactedRevision, KvOps.compactedMessage(compactedRevision));
            return;
        }
        if (lastRevision > revision)
        {
            responder.onError(revision, ErrorCode.FUTURE_REVISION, KvOps.futureMessage(lastRevision, revision));
            return;
        }

        changes.clear();
        key = op.key;
        rangeEnd = op.rangeEnd;
        limit = op.limit;
        this.fromRevision = fromRevision;
        pendingRevision = 0;
        pendingRevisionStart = 0;
        nextRevision = lastRevision + 1;
        isTooLarge = false;
        if (fromRevision <= lastRevision)
        {
            final int scanned = storage.readChanges(fromRevision, lastRevision, MAX_CHANGES_SCANNED, onChange);
            if (scanned >= MAX_CHANGES_SCANNED && nextRevision > lastRevision)
            {
                // Stopped by the scan bound, maybe in the middle of a revision: end before it.
                endBefore(pendingRevision);
            }
        }
        else
        {
            nextRevision = fromRevision;
        }

        if (isTooLarge)
        {
            responder.onError(revision, ErrorCode.RESPONSE_TOO_LARGE, "the changes of revision " + pendingRevision +
                " exceed one response (" + maxResponseBytes + " bytes, " + Protocol.MAX_GROUP_ENTRIES +
                " changes, or the limit); read its keys with a range at that revision");
            return;
        }
        responder.onChanges(revision, compactedRevision, nextRevision, changes);
    }

    private boolean onChange(
        final long changeRevision, final int subRevision, final long timestampMs, final byte[] key, final byte[] record)
    {
        if (changeRevision != pendingRevision)
        {
            pendingRevision = changeRevision;
            pendingRevisionStart = changes.size();
        }
        if (!KvOps.contains(this.key, rangeEnd, key))
        {
            return true;
        }

        final long bytes = key.length + (null == record ? KeyValueRecord.HEADER_LENGTH : record.length);
        if (changes.size() >= Protocol.MAX_GROUP_ENTRIES || (limit > 0 && changes.size() >= limit) ||
            (changes.size() > 0 && changes.encodedBytes() + bytes > maxResponseBytes))
        {
            endBefore(changeRevision);
            return false;
        }

        changes.add(changeRevision, timestampMs, key, record);
        return true;
    }

    /**
     * End the read before a revision not read whole, or refuse the read if that is its first revision.
     */
    private void endBefore(final long partialRevision)
    {
        if (partialRevision <= fromRevision)
        {
            isTooLarge = true;
            return;
        }
        changes.truncate(pendingRevisionStart);
        nextRevision = partialRevision;
    }
}
