package io.metastore.tools;

import io.metastore.client.Compare;
import io.metastore.client.DeleteOptions;
import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.Op;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.client.Txn;
import io.metastore.client.TxnResult;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.SortOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and deletes ranges larger than one response, as etcdctl's get and del return them: whole.
 * <p>
 * A range is read in pages: the first as asked, each next one from just past the last key returned (just before
 * it, descending) at the revision of the first, so the listing is one snapshot. A serializable read's first page is
 * served by a member's own state, the next ones, at a past revision, through the log. The cluster keeps no history,
 * so a write between two pages makes the next page fail with {@code COMPACTED}; the read then starts over, up to
 * {@link #MAX_ATTEMPTS} times.
 * <p>
 * A delete whose previous pairs exceed one response reads them in pages at a revision R, then deletes the range
 * in one transaction guarded by {@code mod(range) < R + 1}: it runs only if no key of the range was put since R,
 * so the pairs read are the pairs deleted, and the delete stays one atomic request. If a key was put in between,
 * the transaction deletes nothing and it all starts over.
 */
final class PagedRange
{
    /**
     * Most times a paged read or delete starts over because the range changed under it.
     */
    static final int MAX_ATTEMPTS = 10;

    private PagedRange()
    {
    }

    /**
     * Read a range whole, up to its limit, in as many responses as it takes.
     *
     * @param client   connected to the cluster.
     * @param key      first key of the range.
     * @param rangeEnd exclusive end of the range in etcd's encoding.
     * @param options  of the range; their range end is ignored.
     * @return the pairs of every page, with the header and count of the first.
     * @throws MetaStoreException if a request fails, or the range changed under every attempt.
     */
    static RangeResult read(
        final MetaStoreClient client, final byte[] key, final byte[] rangeEnd, final RangeOptions options)
    {
        for (int attempt = 1; true; attempt++)
        {
            try
            {
                return readOnce(client, key, rangeEnd, options);
            }
            catch (final MetaStoreException ex)
            {
                if (ErrorCode.COMPACTED != ex.code() || 0 != options.revision())
                {
                    throw ex;
                }
                if (attempt >= MAX_ATTEMPTS)
                {
                    throw new MetaStoreException(ErrorCode.COMPACTED, "the range changed while it was read in " +
                        "pages, " + attempt + " times over; read it with --limit or in smaller ranges");
                }
            }
        }
    }

    /**
     * Delete a range and return its previous pairs, however many: the delete is one atomic request.
     *
     * @param client   connected to the cluster.
     * @param key      first key of the range.
     * @param rangeEnd exclusive end of the range in etcd's encoding.
     * @return the result of the delete with every deleted pair.
     * @throws MetaStoreException if a request fails, or keys of the range were put under every attempt.
     */
    static DeleteResult deleteWithPrevKvs(final MetaStoreClient client, final byte[] key, final byte[] rangeEnd)
    {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)
        {
            final RangeResult read = read(client, key, rangeEnd, new RangeOptions());
            final long readRevision = read.header().revision();
            final TxnResult result = client.txn(Txn.txn()
                .when(Compare.modRevision(key, CompareResult.LESS, readRevision + 1).withRangeEnd(rangeEnd))
                .then(Op.delete(key, new DeleteOptions().rangeEnd(rangeEnd))));
            if (result.succeeded())
            {
                final DeleteResult deleted = result.deleteResult(0);
                return new DeleteResult(deleted.header(), deleted.deleted(), read.kvs());
            }
        }

        throw new MetaStoreException(ErrorCode.COMPACTED, "keys of the range were put while its previous pairs " +
            "were read, " + MAX_ATTEMPTS + " times over; nothing was deleted");
    }

    private static RangeResult readOnce(
        final MetaStoreClient client, final byte[] key, final byte[] rangeEnd, final RangeOptions options)
    {
        final RangeResult first = client.range(key, page(options, rangeEnd, options.limit(), options.revision()));
        if (!first.more() || options.countOnly() || first.kvs().isEmpty())
        {
            return first;
        }

        final long limit = options.limit();
        final long wanted = 0 == limit ? first.count() : Math.min(limit, first.count());
        final boolean descending = SortOrder.DESCEND == options.sortOrder();
        final long revision = first.header().revision();
        final List<KeyValue> kvs = new ArrayList<>(first.kvs());
        RangeResult page = first;
        while (page.more() && kvs.size() < wanted)
        {
            final byte[] last = kvs.get(kvs.size() - 1).key();
            final long pageLimit = 0 == limit ? 0 : limit - kvs.size();
            page = descending ?
                client.range(key, page(options, last, pageLimit, revision)) :
                client.range(successor(last), page(options, rangeEnd, pageLimit, revision));
            if (page.kvs().isEmpty())
            {
                break;
            }
            kvs.addAll(page.kvs());
        }

        return new RangeResult(first.header(), kvs, first.count(), kvs.size() < first.count());
    }

    private static RangeOptions page(
        final RangeOptions options, final byte[] rangeEnd, final long limit, final long revision)
    {
        return new RangeOptions()
            .rangeEnd(rangeEnd)
            .limit(limit)
            .revision(revision)
            .sortOrder(options.sortOrder())
            .keysOnly(options.keysOnly())
            .countOnly(options.countOnly())
            .serializable(options.serializable());
    }

    /**
     * @return the least key greater than the given one: the key and a zero byte.
     */
    private static byte[] successor(final byte[] key)
    {
        return Arrays.copyOf(key, key.length + 1);
    }
}
