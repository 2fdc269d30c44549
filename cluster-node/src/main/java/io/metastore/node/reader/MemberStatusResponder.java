package io.metastore.node.reader;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.metastore.codecs.MemberStatusResponseEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.node.storage.CommittedView;
import io.metastore.node.storage.RocksDbStorage;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Answers {@code MemberStatusRequest} on the read port's thread: the member's role, leader, term, commit and applied
 * positions, store and log sizes, errors, version, and its own counters (type ids {@link #FIRST_COUNTER_TYPE_ID} up to
 * {@link #END_COUNTER_TYPE_ID}, exclusive) from its media driver. Rare requests: this may allocate.
 */
final class MemberStatusResponder
{
    /**
     * First type id of MetaStore's own counters.
     */
    static final int FIRST_COUNTER_TYPE_ID = 9000;
    /**
     * Type id past MetaStore's own counters.
     */
    static final int END_COUNTER_TYPE_ID = 9100;
    private static final int OFFER_ATTEMPTS = 1000;
    private static final int MAX_COUNTERS = 1000;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MemberStatusResponseEncoder encoder = new MemberStatusResponseEncoder();
    private final long[] logPositions = new long[2];
    private final int[] counterIds = new int[MAX_COUNTERS];
    private final int[] counterTypeIds = new int[MAX_COUNTERS];
    private final String[] counterLabels = new String[MAX_COUNTERS];
    private final RocksDbStorage storage;
    private final CountersReader counters;
    private final int clusterId;
    private final int memberId;
    private MemberStatusSource source = MemberStatusSource.NONE;

    MemberStatusResponder(
        final RocksDbStorage storage, final CountersReader counters, final int clusterId, final int memberId)
    {
        this.storage = storage;
        this.counters = counters;
        this.clusterId = clusterId;
        this.memberId = memberId;
    }

    void source(final MemberStatusSource source)
    {
        this.source = source;
    }

    /**
     * @return false if the answer could not be offered.
     */
    boolean answer(final ExclusivePublication publication, final long correlationId, final long leadershipTermId)
    {
        final long appliedPosition;
        final long appliedRevision;
        final long compacted;
        try (CommittedView view = storage.openCommittedView())
        {
            appliedPosition = view.appliedPosition();
            appliedRevision = view.revision();
            compacted = view.compactedRevision();
        }
        source.logPositions(logPositions);
        final long logStart = logPositions[0];
        final long logEnd = logPositions[1];

        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        encoder.header().correlationId(correlationId).clusterId(clusterId).memberId(memberId)
            .revision(appliedRevision).leadershipTermId(leadershipTermId);
        encoder
            .role(source.role())
            .leaderMemberId(source.leaderMemberId())
            .commitPosition(source.commitPosition())
            .appliedPosition(appliedPosition)
            .appliedRevision(appliedRevision)
            .compactRevision(compacted)
            .storeBytes(source.storeBytes())
            .logBytes(logStart >= 0 && logEnd >= logStart ? logEnd - logStart : -1)
            .logStartPosition(logStart)
            .errorCount(source.errorCount());

        final int count = findCounters();
        final MemberStatusResponseEncoder.CountersEncoder group = encoder.countersCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next().typeId(counterTypeIds[i]).value(counters.getCounterValue(counterIds[i]))
                .label(counterLabels[i]);
            counterLabels[i] = null;
        }
        encoder.version(source.version());

        return offer(publication, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private int findCounters()
    {
        final int[] count = { 0 };
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId >= FIRST_COUNTER_TYPE_ID && typeId < END_COUNTER_TYPE_ID && count[0] < MAX_COUNTERS)
            {
                counterIds[count[0]] = counterId;
                counterTypeIds[count[0]] = typeId;
                counterLabels[count[0]] = label;
                count[0]++;
            }
        });

        return count[0];
    }

    private boolean offer(final ExclusivePublication publication, final int length)
    {
        if (length > publication.maxMessageLength())
        {
            return false;
        }
        for (int i = 0; i < OFFER_ATTEMPTS; i++)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return true;
            }
            if (Publication.ADMIN_ACTION != result && Publication.BACK_PRESSURED != result)
            {
                return false;
            }
            Thread.onSpinWait();
        }

        return false;
    }
}
