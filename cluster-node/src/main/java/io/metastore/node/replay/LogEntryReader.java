package io.metastore.node.replay;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.codecs.ClusterActionRequestDecoder;
import io.aeron.cluster.codecs.MessageHeaderDecoder;
import io.aeron.cluster.codecs.NewLeadershipTermEventDecoder;
import io.aeron.cluster.codecs.SessionCloseEventDecoder;
import io.aeron.cluster.codecs.SessionMessageHeaderDecoder;
import io.aeron.cluster.codecs.SessionOpenEventDecoder;
import io.aeron.cluster.codecs.TimerEventDecoder;
import io.aeron.cluster.service.ClusterClock;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

/**
 * Decodes the entries of a cluster's log with Aeron's own cluster codecs, as the service container's log adapter
 * does, and hands each to a {@link LogEntryListener}. Reassembled entries only: wrap it in a fragment assembler.
 * An entry of another schema, or one too short for its header, is reported to the listener's caller as a
 * {@link DamagedLogException} with its position.
 */
final class LogEntryReader implements ControlledFragmentHandler
{
    private final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder();
    private final SessionMessageHeaderDecoder sessionHeader = new SessionMessageHeaderDecoder();
    private final TimerEventDecoder timerEvent = new TimerEventDecoder();
    private final SessionOpenEventDecoder openEvent = new SessionOpenEventDecoder();
    private final SessionCloseEventDecoder closeEvent = new SessionCloseEventDecoder();
    private final ClusterActionRequestDecoder actionRequest = new ClusterActionRequestDecoder();
    private final NewLeadershipTermEventDecoder newTermEvent = new NewLeadershipTermEventDecoder();
    private final LogEntryListener listener;
    private final long toPosition;
    private long position;
    private boolean isStopped;
    private RuntimeException failure;

    /**
     * @param listener     given each entry.
     * @param fromPosition where reading starts.
     * @param toPosition   the end of the last entry to read: one that ends after it is not read, even when the
     *                     archive replays the frame it ends in whole.
     */
    LogEntryReader(final LogEntryListener listener, final long fromPosition, final long toPosition)
    {
        this.listener = listener;
        this.position = fromPosition;
        this.toPosition = toPosition;
    }

    /**
     * Rethrow what stopped the reading, if it was a failure: Aeron's image hands an exception thrown by a fragment
     * handler to its error handler and polls on, so it is kept here instead.
     */
    void rethrowFailure()
    {
        if (null != failure)
        {
            throw failure;
        }
    }

    /**
     * @return the end of the last entry the listener took.
     */
    long position()
    {
        return position;
    }

    /**
     * @return true once the listener refused an entry: reading stops before it.
     */
    boolean isStopped()
    {
        return isStopped;
    }

    @Override
    public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (isStopped)
        {
            return Action.ABORT;
        }
        try
        {
            return read(buffer, offset, length, header);
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
            isStopped = true;
            return Action.ABORT;
        }
    }

    private Action read(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        // A frame's header is not covered by its checksum, which is of its body: the position it gives must at least
        // move forward, frame-aligned, or the header is damaged.
        if (0 != (header.termOffset() & (FrameDescriptor.FRAME_ALIGNMENT - 1)) || header.position() <= this.position)
        {
            throw new DamagedLogException(this.position, "the header of the frame after it names term offset " +
                header.termOffset() + ", position " + header.position());
        }
        final long position = header.position();
        if (position > toPosition)
        {
            isStopped = true;
            return Action.ABORT;
        }
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new DamagedLogException(position, "an entry of " + length + " bytes, shorter than its header");
        }
        messageHeader.wrap(buffer, offset);
        if (MessageHeaderDecoder.SCHEMA_ID != messageHeader.schemaId())
        {
            throw new DamagedLogException(position, "an entry of schema " + messageHeader.schemaId() +
                ", not the cluster's (" + MessageHeaderDecoder.SCHEMA_ID + ")");
        }

        final boolean isTaken = onEntry(buffer, offset, length, header, position);
        if (!isTaken)
        {
            isStopped = true;
            return Action.ABORT;
        }
        this.position = position;

        return Action.CONTINUE;
    }

    @SuppressWarnings("MethodLength")
    private boolean onEntry(
        final DirectBuffer buffer, final int offset, final int length, final Header header, final long position)
    {
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = messageHeader.blockLength();
        final int version = messageHeader.version();
        switch (messageHeader.templateId())
        {
            case SessionMessageHeaderDecoder.TEMPLATE_ID:
                if (length < AeronCluster.SESSION_HEADER_LENGTH)
                {
                    throw new DamagedLogException(position, "a session message shorter than its header");
                }
                sessionHeader.wrap(buffer, bodyOffset, blockLength, version);
                return listener.onSessionMessage(
                    position,
                    sessionHeader.leadershipTermId(),
                    sessionHeader.clusterSessionId(),
                    sessionHeader.timestamp(),
                    buffer,
                    offset + AeronCluster.SESSION_HEADER_LENGTH,
                    length - AeronCluster.SESSION_HEADER_LENGTH,
                    header);

            case TimerEventDecoder.TEMPLATE_ID:
                timerEvent.wrap(buffer, bodyOffset, blockLength, version);
                return listener.onTimerEvent(
                    position, timerEvent.leadershipTermId(), timerEvent.correlationId(), timerEvent.timestamp());

            case SessionOpenEventDecoder.TEMPLATE_ID:
                openEvent.wrap(buffer, bodyOffset, blockLength, version);
                return listener.onSessionOpen(
                    position,
                    openEvent.leadershipTermId(),
                    openEvent.clusterSessionId(),
                    openEvent.timestamp(),
                    openEvent.responseChannel());

            case SessionCloseEventDecoder.TEMPLATE_ID:
                closeEvent.wrap(buffer, bodyOffset, blockLength, version);
                return listener.onSessionClose(
                    position,
                    closeEvent.leadershipTermId(),
                    closeEvent.clusterSessionId(),
                    closeEvent.timestamp(),
                    closeEvent.closeReason());

            case ClusterActionRequestDecoder.TEMPLATE_ID:
                actionRequest.wrap(buffer, bodyOffset, blockLength, version);
                return listener.onClusterAction(
                    position,
                    actionRequest.leadershipTermId(),
                    actionRequest.logPosition(),
                    actionRequest.timestamp(),
                    actionRequest.action());

            case NewLeadershipTermEventDecoder.TEMPLATE_ID:
                newTermEvent.wrap(buffer, bodyOffset, blockLength, version);
                return listener.onNewLeadershipTerm(
                    position,
                    newTermEvent.leadershipTermId(),
                    newTermEvent.logPosition(),
                    newTermEvent.timestamp(),
                    newTermEvent.termBaseLogPosition(),
                    newTermEvent.leaderMemberId(),
                    newTermEvent.logSessionId(),
                    ClusterClock.map(newTermEvent.timeUnit()),
                    newTermEvent.appVersion());

            default:
                // Entries of templates the service does not act on (a removed membership change): passed over.
                return true;
        }
    }
}
