package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.storage.KvCursor;
import io.metastore.node.storage.KvStorage;
import io.metastore.protocol.KeyRanges;
import org.agrona.DirectBuffer;

/**
 * etcd's key-value semantics over {@link KvStorage}: a global revision that grows by one per write that changes
 * something, and per key its createRevision, modRevision, version and lease.
 * <p>
 * Requests arrive already checked for shape and limits ({@code IngressAdapter}); what depends on state (a lease
 * that does not exist, a revision no longer kept, a response that would be too large) is decided here, before
 * anything is written, so a refused request changes nothing. Deterministic: no clock, no randomness, no threads.
 * <p>
 * History is not kept: a range at a revision other than the current one is refused as compacted (or future).
 */
public final class KvStateMachine
{
    private final KvStorage storage;
    private final long maxResponseBytes;
    private final KeyValueList results = new KeyValueList();
    private final KeyIndex index = new KeyIndex();
    private long revision;

    /**
     * Build the state machine over storage, at the revision the storage last committed.
     *
     * @param storage          to read and write.
     * @param maxResponseBytes soft bound on the keys and values one response carries.
     */
    public KvStateMachine(final KvStorage storage, final long maxResponseBytes)
    {
        this.storage = storage;
        this.maxResponseBytes = maxResponseBytes;
        reloadFromStorage();
    }

    /**
     * @return the current revision, including writes not yet committed to storage.
     */
    public long revision()
    {
        return revision;
    }

    /**
     * Reload the revision and rebuild the key index from storage: at start, and after a snapshot replaced it.
     */
    public void reloadFromStorage()
    {
        revision = storage.appliedRevision();
        index.clear();
        try (KvCursor cursor = storage.cursor())
        {
            for (cursor.seekToFirst(); cursor.isValid(); cursor.next())
            {
                final byte[] record = cursor.record();
                index.put(
                    cursor.key(),
                    KeyValueRecord.createRevision(record),
                    KeyValueRecord.modRevision(record),
                    KeyValueRecord.version(record),
                    KeyValueRecord.lease(record));
            }
        }
    }

    /**
     * @return the number of live keys.
     */
    public int keyCount()
    {
        return index.size();
    }

    /**
     * Put a key.
     *
     * @param key         to put.
     * @param value       buffer holding the value.
     * @param valueOffset of the value.
     * @param valueLength of the value.
     * @param lease       to attach, 0 for none.
     * @param prevKv      return the previous pair.
     * @param ignoreValue keep the current value; the key must exist and the value be empty.
     * @param ignoreLease keep the current lease; the key must exist and the lease be 0.
     * @param responder   to answer.
     */
    public void put(
        final byte[] key,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength,
        final long lease,
        final boolean prevKv,
        final boolean ignoreValue,
        final boolean ignoreLease,
        final KvResponder responder)
    {
        if (ignoreValue && valueLength != 0)
        {
            responder.onError(revision, ErrorCode.INVALID_ARGUMENT, "value is provided with ignoreValue");
            return;
        }
        if (ignoreLease && lease != 0)
        {
            responder.onError(revision, ErrorCode.INVALID_ARGUMENT, "lease is provided with ignoreLease");
            return;
        }
        if (lease != 0)
        {
            responder.onError(revision, ErrorCode.LEASE_NOT_FOUND, "lease not found: " + Long.toHexString(lease));
            return;
        }

        final KeyIndex.Entry existing = index.get(key);
        if (null == existing && (ignoreValue || ignoreLease))
        {
            responder.onError(revision, ErrorCode.KEY_NOT_FOUND, "key not found");
            return;
        }

        // Only a put that returns or keeps the previous value reads it; the index knows the rest.
        final byte[] previous = null != existing && (prevKv || ignoreValue) ? storage.get(key) : null;
        final long newRevision = revision + 1;
        final long createRevision = null == existing ? newRevision : existing.createRevision;
        final long version = null == existing ? 1 : existing.version + 1;
        final long newLease = ignoreLease ? existing.lease : lease;
        final byte[] record = ignoreValue ?
            KeyValueRecord.encodeKeepingValue(createRevision, newRevision, version, newLease, previous) :
            KeyValueRecord.encode(createRevision, newRevision, version, newLease, value, valueOffset, valueLength);

        storage.put(key, record);
        index.put(key, createRevision, newRevision, version, newLease);
        revision = newRevision;

        results.clear();
        if (prevKv && null != previous)
        {
            results.add(key, previous);
        }
        responder.onPut(revision, results);
    }

    /**
     * Read the keys in {@code [key, rangeEnd)}.
     *
     * @param key        first key, or the only key when rangeEnd is empty.
     * @param rangeEnd   exclusive end; empty for the key alone; a single zero byte for every key from key on.
     * @param limit      at most this many pairs, 0 for no limit.
     * @param atRevision revision to read at, 0 for the current one.
     * @param descending order by key descending rather than ascending.
     * @param keysOnly   leave the values out.
     * @param countOnly  return only the count.
     * @param responder  to answer.
     */
    public void range(
        final byte[] key,
        final byte[] rangeEnd,
        final long limit,
        final long atRevision,
        final boolean descending,
        final boolean keysOnly,
        final boolean countOnly,
        final KvResponder responder)
    {
        if (atRevision > revision)
        {
            responder.onError(
                revision, ErrorCode.FUTURE_REVISION, "required revision is a future revision: " + atRevision);
            return;
        }
        if (atRevision > 0 && atRevision < revision)
        {
            responder.onError(
                revision, ErrorCode.COMPACTED, "required revision has been compacted: " + atRevision +
                " (history is not kept; current revision " + revision + ")");
            return;
        }

        results.clear();
        long count = 0;
        if (0 == rangeEnd.length)
        {
            if (null != index.get(key))
            {
                count = 1;
                if (!countOnly)
                {
                    results.add(key, storage.get(key));
                }
            }
        }
        else
        {
            count = scan(key, rangeEnd, descending, limit, !countOnly, true, true);
        }

        final boolean more = count > results.size() && !countOnly;
        responder.onRange(revision, count, more, keysOnly, results);
    }

    /**
     * Delete the keys in {@code [key, rangeEnd)}; one revision for all of them, none if nothing was deleted.
     *
     * @param key       first key, or the only key when rangeEnd is empty.
     * @param rangeEnd  exclusive end; empty for the key alone; a single zero byte for every key from key on.
     * @param prevKv    return the deleted pairs.
     * @param responder to answer.
     */
    public void deleteRange(final byte[] key, final byte[] rangeEnd, final boolean prevKv, final KvResponder responder)
    {
        results.clear();
        if (0 == rangeEnd.length)
        {
            if (null != index.get(key))
            {
                results.add(key, prevKv ? storage.get(key) : null);
            }
        }
        else
        {
            scan(key, rangeEnd, false, 0, true, prevKv, false);
        }

        if (prevKv && results.encodedBytes() > maxResponseBytes && results.size() > 1)
        {
            responder.onError(
                revision, ErrorCode.RESPONSE_TOO_LARGE, "previous pairs of " + results.size() + " keys exceed " +
                maxResponseBytes + " bytes; delete in smaller ranges or without prevKv");
            return;
        }

        final int deleted = results.size();
        if (deleted > 0)
        {
            for (int i = 0; i < deleted; i++)
            {
                storage.delete(results.key(i));
                index.remove(results.key(i));
            }
            revision++;
        }

        if (!prevKv)
        {
            results.clear();
        }
        responder.onDeleteRange(revision, deleted, results);
    }

    /**
     * Walk a range, counting every key and collecting up to limit keys, with their records if asked, into the
     * results.
     *
     * @param key           start of the range.
     * @param rangeEnd      exclusive end, or the from-key marker.
     * @param descending    walk from the end.
     * @param limit         most pairs to collect, 0 for all.
     * @param collect       collect keys at all, rather than only count them.
     * @param withRecords   collect each key's record too.
     * @param boundResponse stop collecting once the results reach the response bound (always keeping one).
     * @return the number of keys in the range.
     */
    private long scan(
        final byte[] key,
        final byte[] rangeEnd,
        final boolean descending,
        final long limit,
        final boolean collect,
        final boolean withRecords,
        final boolean boundResponse)
    {
        final boolean toEnd = KeyRanges.isFromKey(rangeEnd);
        long count = 0;
        boolean collecting = collect;
        try (KvCursor cursor = storage.cursor())
        {
            if (descending)
            {
                if (toEnd)
                {
                    cursor.seekToLast();
                }
                else
                {
                    cursor.seekForPrev(rangeEnd);
                    if (cursor.isValid() && KeyRanges.compare(cursor.key(), rangeEnd) >= 0)
                    {
                        cursor.prev();
                    }
                }
            }
            else
            {
                cursor.seek(key);
            }

            while (cursor.isValid())
            {
                final byte[] current = cursor.key();
                if (descending ? KeyRanges.compare(current, key) < 0 :
                    !toEnd && KeyRanges.compare(current, rangeEnd) >= 0)
                {
                    break;
                }

                count++;
                if (collecting)
                {
                    final byte[] record = withRecords ? cursor.record() : null;
                    final int recordLength = null == record ? 0 : record.length;
                    if (boundResponse && results.size() > 0 &&
                        results.encodedBytes() + current.length + recordLength > maxResponseBytes)
                    {
                        collecting = false;
                    }
                    else
                    {
                        results.add(current, record);
                        collecting = 0 == limit || results.size() < limit;
                    }
                }

                if (descending)
                {
                    cursor.prev();
                }
                else
                {
                    cursor.next();
                }
            }
        }

        return count;
    }
}
