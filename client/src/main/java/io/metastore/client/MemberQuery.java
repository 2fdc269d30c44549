package io.metastore.client;

import io.metastore.codecs.HashKvRequestEncoder;
import io.metastore.codecs.HashKvResponseDecoder;
import io.metastore.codecs.MemberStatusRequestEncoder;
import io.metastore.codecs.MemberStatusResponseDecoder;
import io.metastore.codecs.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * A question to one member's read port about the member itself: its status, or a hash of its history. Sent on a read
 * session with that member alone ({@link MemberQueries}); rare, so it may allocate.
 */
final class MemberQuery extends ReadPortRequest
{
    final int memberId;
    /**
     * The revision to hash up to, or -1 for a status request.
     */
    final long hashRevision;

    private MemberQuery(
        final ClientConductor conductor,
        final long awaitTimeoutNs,
        final long correlationId,
        final int responseTemplateId,
        final long deadlineNs,
        final int memberId,
        final long hashRevision)
    {
        super(conductor, awaitTimeoutNs, correlationId, responseTemplateId, deadlineNs);
        this.memberId = memberId;
        this.hashRevision = hashRevision;
    }

    static MemberQuery status(
        final ClientConductor conductor,
        final long awaitTimeoutNs,
        final long correlationId,
        final long deadlineNs,
        final int memberId)
    {
        return new MemberQuery(conductor, awaitTimeoutNs, correlationId, MemberStatusResponseDecoder.TEMPLATE_ID,
            deadlineNs, memberId, -1);
    }

    static MemberQuery hashKv(
        final ClientConductor conductor,
        final long awaitTimeoutNs,
        final long correlationId,
        final long deadlineNs,
        final int memberId,
        final long revision)
    {
        return new MemberQuery(conductor, awaitTimeoutNs, correlationId, HashKvResponseDecoder.TEMPLATE_ID,
            deadlineNs, memberId, revision);
    }

    @Override
    int length()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + (hashRevision < 0 ?
            MemberStatusRequestEncoder.BLOCK_LENGTH : HashKvRequestEncoder.BLOCK_LENGTH);
    }

    @Override
    void encode(
        final RequestEncoder encoder,
        final MutableDirectBuffer buffer,
        final int offset,
        final long clientId,
        final long minRevision)
    {
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        if (hashRevision < 0)
        {
            new MemberStatusRequestEncoder().wrapAndApplyHeader(buffer, offset, headerEncoder)
                .header().correlationId(correlationId).clientId(clientId).sequence(0);
        }
        else
        {
            new HashKvRequestEncoder().wrapAndApplyHeader(buffer, offset, headerEncoder)
                .revision(hashRevision)
                .header().correlationId(correlationId).clientId(clientId).sequence(0);
        }
    }
}
