package io.metastore.node.service;

import io.metastore.codecs.AlarmRequestDecoder;
import io.metastore.codecs.ChangesRequestDecoder;
import io.metastore.codecs.CompactRequestDecoder;
import io.metastore.codecs.DefragmentRequestDecoder;
import io.metastore.codecs.DeleteRangeRequestDecoder;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.LeaseGrantRequestDecoder;
import io.metastore.codecs.LeaseKeepAliveRequestDecoder;
import io.metastore.codecs.LeaseListRequestDecoder;
import io.metastore.codecs.LeaseRevokeRequestDecoder;
import io.metastore.codecs.LeaseTimeToLiveRequestDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.TxnRequestDecoder;
import io.metastore.node.metrics.MetaStoreCounters;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The service's counters ({@link MetaStoreCounters}), each written by the service thread only, bumped with release
 * stores: arrays indexed by template id, error code and drop reason, so counting a request is an array load and a
 * store. Nothing the service decides reads them.
 */
final class ServiceCounters implements AutoCloseable
{
    /**
     * Kinds of request counted as applied, by template id: every request the ingress takes.
     */
    private static final int[] REQUEST_TEMPLATE_IDS =
    {
        PutRequestDecoder.TEMPLATE_ID,
        RangeRequestDecoder.TEMPLATE_ID,
        DeleteRangeRequestDecoder.TEMPLATE_ID,
        TxnRequestDecoder.TEMPLATE_ID,
        LeaseGrantRequestDecoder.TEMPLATE_ID,
        LeaseRevokeRequestDecoder.TEMPLATE_ID,
        LeaseKeepAliveRequestDecoder.TEMPLATE_ID,
        LeaseTimeToLiveRequestDecoder.TEMPLATE_ID,
        LeaseListRequestDecoder.TEMPLATE_ID,
        DefragmentRequestDecoder.TEMPLATE_ID,
        CompactRequestDecoder.TEMPLATE_ID,
        ChangesRequestDecoder.TEMPLATE_ID,
        AlarmRequestDecoder.TEMPLATE_ID,
    };

    private static final String[] REQUEST_KINDS =
    {
        "put",
        "range",
        "delete_range",
        "txn",
        "lease_grant",
        "lease_revoke",
        "lease_keep_alive",
        "lease_time_to_live",
        "lease_list",
        "defragment",
        "compact",
        "changes",
        "alarm",
    };

    private final List<AtomicCounter> all = new ArrayList<>();
    private final AtomicCounter[] appliedByTemplateId;
    private final AtomicCounter[] refusedByCode = new AtomicCounter[ErrorCode.values().length];
    private final AtomicCounter[] droppedByReason = new AtomicCounter[Egress.DropReason.values().length];
    private AtomicCounter rocksDbWrites;
    private AtomicCounter rocksDbUpdates;
    private AtomicCounter entriesCommitted;
    private AtomicCounter lastBatchEntries;
    private AtomicCounter committedRevision;
    private AtomicCounter leases;
    private AtomicCounter compactedRevision;
    private AtomicCounter removedRevision;

    /**
     * @param factory to allocate the counters with.
     */
    ServiceCounters(final MetaStoreCounters.CounterFactory factory)
    {
        int maxTemplateId = 0;
        for (final int templateId : REQUEST_TEMPLATE_IDS)
        {
            maxTemplateId = Math.max(maxTemplateId, templateId);
        }
        appliedByTemplateId = new AtomicCounter[maxTemplateId + 1];
        allocate(factory);
    }

    /**
     * Counters in memory of their own: for a service that has no cluster yet, or runs in a test without one.
     *
     * @return counters nothing outside this JVM reads.
     */
    static ServiceCounters inMemory()
    {
        return new ServiceCounters(MetaStoreCounters.inMemory());
    }

    /**
     * Allocate the counters again, from zero, closing those held: the service's start moves them from memory of
     * their own to the member's media driver. Everything that counts holds this object, not the counters.
     *
     * @param factory to allocate the counters with.
     */
    void allocate(final MetaStoreCounters.CounterFactory factory)
    {
        close();
        all.clear();
        for (int i = 0; i < REQUEST_TEMPLATE_IDS.length; i++)
        {
            appliedByTemplateId[REQUEST_TEMPLATE_IDS[i]] = add(MetaStoreCounters.newCounter(
                factory, MetaStoreCounters.REQUESTS_APPLIED_TYPE_ID, REQUEST_TEMPLATE_IDS[i], REQUEST_KINDS[i]));
        }
        for (final ErrorCode code : ErrorCode.values())
        {
            if (ErrorCode.NULL_VAL != code)
            {
                refusedByCode[code.ordinal()] = add(MetaStoreCounters.newCounter(
                    factory, MetaStoreCounters.REQUESTS_REFUSED_TYPE_ID, code.value(), code.name()));
            }
        }
        for (final Egress.DropReason reason : Egress.DropReason.values())
        {
            droppedByReason[reason.ordinal()] = add(MetaStoreCounters.newCounter(factory,
                MetaStoreCounters.RESPONSES_DROPPED_TYPE_ID, reason.ordinal(), reason.name().toLowerCase(Locale.ROOT)));
        }
        rocksDbWrites = add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.ROCKSDB_WRITES_TYPE_ID));
        rocksDbUpdates = add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.ROCKSDB_UPDATES_TYPE_ID));
        entriesCommitted = add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.ENTRIES_COMMITTED_TYPE_ID));
        lastBatchEntries = add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.LAST_BATCH_ENTRIES_TYPE_ID));
        committedRevision = add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.COMMITTED_REVISION_TYPE_ID));
        leases = add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.LEASES_TYPE_ID));
        compactedRevision = add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.COMPACTED_REVISION_TYPE_ID));
        removedRevision =
            add(MetaStoreCounters.newCounter(factory, MetaStoreCounters.HISTORY_REMOVED_REVISION_TYPE_ID));
    }

    /**
     * Where compaction and the removal of compacted history stand, when either moved.
     *
     * @param compacted the compacted revision, committed.
     * @param removed   the compacted revision below which history is removed from disk.
     */
    void onHistory(final long compacted, final long removed)
    {
        compactedRevision.setRelease(compacted);
        removedRevision.setRelease(removed);
    }

    /**
     * A request was answered without an error.
     *
     * @param templateId of the request: one the ingress takes.
     */
    void onApplied(final int templateId)
    {
        appliedByTemplateId[templateId].incrementRelease();
    }

    /**
     * A request was answered with an error.
     *
     * @param code of the error.
     */
    void onRefused(final ErrorCode code)
    {
        refusedByCode[code.ordinal()].incrementRelease();
    }

    /**
     * A response was dropped.
     *
     * @param reason why.
     */
    void onDropped(final Egress.DropReason reason)
    {
        droppedByReason[reason.ordinal()].incrementRelease();
    }

    /**
     * A batch was written to RocksDB.
     *
     * @param updates    of RocksDB keys it held.
     * @param entries    log entries it held.
     * @param revision   it reached.
     * @param leaseCount leases live after it.
     */
    void onCommitted(final int updates, final int entries, final long revision, final int leaseCount)
    {
        rocksDbWrites.incrementRelease();
        rocksDbUpdates.getAndAddRelease(updates);
        entriesCommitted.getAndAddRelease(entries);
        lastBatchEntries.setRelease(entries);
        committedRevision.setRelease(revision);
        leases.setRelease(leaseCount);
    }

    /**
     * The service started from what storage holds.
     *
     * @param revision   committed.
     * @param leaseCount leases live.
     */
    void onStarted(final long revision, final int leaseCount)
    {
        committedRevision.setRelease(revision);
        leases.setRelease(leaseCount);
    }

    /**
     * @param templateId of a request kind.
     * @return its requests applied.
     */
    long applied(final int templateId)
    {
        return appliedByTemplateId[templateId].get();
    }

    /**
     * @param code of an error.
     * @return requests refused with it.
     */
    long refused(final ErrorCode code)
    {
        return refusedByCode[code.ordinal()].get();
    }

    public void close()
    {
        CloseHelper.closeAll(all);
    }

    private AtomicCounter add(final AtomicCounter counter)
    {
        all.add(counter);
        return counter;
    }
}
