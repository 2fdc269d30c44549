package io.metastore.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.metastore.codecs.ErrorCode;
import io.metastore.protocol.Protocol;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableDirectByteBuffer;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static io.aeron.Aeron.NULL_VALUE;

/**
 * The client's read session with one member, on its I/O thread: the Aeron glue between {@link WatchConductor} and
 * {@link SerializableReads} and the member's read port, which serves watches and serializable reads off the log.
 * <p>
 * Opened on the first watch or serializable read and kept until the client closes: a subscription on the client's
 * response channel, its port resolved once bound, an exclusive publication to the member's read port, then a
 * {@code ReadConnectRequest} naming the channel, sent again every keep-alive interval until the member answers. Open,
 * it sends a {@code ReadKeepAliveRequest} every keep-alive interval, which the member answers, and each cycle the
 * serializable reads taken, in one message.
 * <p>
 * The member is deemed lost when nothing comes from it for the read silence timeout (connect unanswered included),
 * when the publication stays not connected that long, or when the member no longer knows the session. Then the
 * publication and subscription are closed, the watches told ({@link WatchConductor#onSessionLost(int)}), the reads
 * not answered kept to be sent again ({@link SerializableReads#onSessionLost()}), and a session opened with the next
 * member in member order, round robin, with the read port of the leader the client sends to after the last when it
 * is none of theirs; attempts start at most once per keep-alive interval. The first member is the one configured,
 * else the one the client believes leads.
 * <p>
 * Aeron resources are added and removed asynchronously, so the I/O thread never waits on the media driver.
 * <p>
 * The session's own requests take correlation ids from {@link #FIRST_CORRELATION_ID} up, far above any the client
 * gives its requests, so a response says by its id alone whether it answers a serializable read or the session.
 */
final class ReadSession implements ReadRequests, ReadResponseAdapter.Listener, AutoCloseable
{
    /**
     * First correlation id of the session's own requests: connect, keep-alive and watch requests.
     */
    static final long FIRST_CORRELATION_ID = 1L << 62;

    private static final int FRAGMENT_LIMIT = 16;
    private static final int IDLE = 0;
    private static final int CONNECTING = 1;
    private static final int CONNECTED = 2;

    private final Aeron aeron;
    private final long clientId;
    private final ReadEndpoints endpoints;
    private final int readMemberId;
    private final IntSupplier leaderMemberId;
    private final Supplier<String> leaderReadEndpoint;
    private final String responseChannel;
    private final int responseStreamId;
    private final long keepAliveIntervalNs;
    private final long silenceTimeoutNs;
    private final WatchConductor watches;
    private final SerializableReads reads;
    private final SerializableReads.Sender readsSender = this::offer;
    private final ErrorHandler errorHandler;
    private final ReadRequestEncoder encoder = new ReadRequestEncoder();
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
    private final FragmentAssembler fragmentAssembler;
    private int state = IDLE;
    private int memberIndex = -1;
    private int attemptMemberId = NULL_VALUE;
    private String attemptChannel;
    private long subscriptionRegistrationId = NULL_VALUE;
    private long publicationRegistrationId = NULL_VALUE;
    private Subscription subscription;
    private ExclusivePublication publication;
    private String resolvedResponseChannel;
    private long nextCorrelationId = FIRST_CORRELATION_ID;
    private long nowNs;
    private long nextAttemptNs;
    private long attemptDeadlineNs;
    private long nextConnectNs;
    private long nextKeepAliveNs;
    private long timeOfLastMessageNs;
    private long notConnectedSinceNs;
    private boolean isPublicationNotConnected;
    private String lostReason;
    private String lastLossReason;
    private volatile int sessionMemberId = NULL_VALUE;

    /**
     * @param aeron               to add the publication and subscription with.
     * @param clientId            names the session at the member.
     * @param endpoints           read ports of the members.
     * @param readMemberId        member to open the session with first, or -1 for the leader.
     * @param leaderMemberId      the member the client believes leads.
     * @param leaderReadEndpoint  {@code host:port} of the read port of the member the client sends to as leader, or
     *                            null if not known:
     *                            tried after the members of {@code endpoints} when it is none of theirs, so a
     *                            session given one member's endpoint does not wait for that member alone.
     * @param responseChannel     the member answers on; a port 0 is resolved once bound.
     * @param responseStreamId    the member answers on.
     * @param keepAliveIntervalNs between keep-alives, and between attempts to open a session.
     * @param silenceTimeoutNs    after which a silent member is deemed lost.
     * @param watches             served by the session.
     * @param reads               served by the session.
     * @param errorHandler        for errors no watch can be told of.
     */
    ReadSession(
        final Aeron aeron,
        final long clientId,
        final ReadEndpoints endpoints,
        final int readMemberId,
        final IntSupplier leaderMemberId,
        final Supplier<String> leaderReadEndpoint,
        final String responseChannel,
        final int responseStreamId,
        final long keepAliveIntervalNs,
        final long silenceTimeoutNs,
        final WatchConductor watches,
        final SerializableReads reads,
        final ErrorHandler errorHandler)
    {
        this.aeron = aeron;
        this.clientId = clientId;
        this.endpoints = endpoints;
        this.readMemberId = readMemberId;
        this.leaderMemberId = leaderMemberId;
        this.leaderReadEndpoint = leaderReadEndpoint;
        this.responseChannel = responseChannel;
        this.responseStreamId = responseStreamId;
        this.keepAliveIntervalNs = keepAliveIntervalNs;
        this.silenceTimeoutNs = silenceTimeoutNs;
        this.watches = watches;
        this.reads = reads;
        this.errorHandler = errorHandler;
        this.fragmentAssembler = new FragmentAssembler(new ReadResponseAdapter(this, reads, errorHandler));
    }

    /**
     * One duty cycle: open, poll and keep alive the session, the watches' work and the reads' sending, then fail
     * over if the member is lost.
     *
     * @param nowNs the time now.
     * @return work done.
     */
    int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int workCount = 0;
        switch (state)
        {
            case IDLE ->
            {
                if ((watches.isSessionWanted() || reads.isSessionWanted()) && nowNs - nextAttemptNs >= 0)
                {
                    startAttempt();
                    workCount++;
                }
            }
            case CONNECTING -> workCount += pollConnecting();
            default -> workCount += pollConnected();
        }

        workCount += watches.doWork(nowNs, this);
        if (isOpen())
        {
            workCount += reads.doWork(readsSender, nowNs);
        }
        if (null != lostReason)
        {
            onMemberLost();
            workCount++;
        }

        return workCount;
    }

    /**
     * @return the member the session is open with, or -1 if none is.
     */
    int sessionMemberId()
    {
        return sessionMemberId;
    }

    /**
     * @param correlationId of a response on a read session.
     * @return true if it is a serializable read's: one the client gave a request, not one of the session's own.
     */
    static boolean isRangeReadCorrelationId(final long correlationId)
    {
        return correlationId > 0 && correlationId < FIRST_CORRELATION_ID;
    }

    /**
     * @return why the last member was deemed lost, or null if none was; for tests and debugging.
     */
    String lastLossReason()
    {
        return lastLossReason;
    }

    /**
     * Close the publication and subscription and end every watch.
     */
    @Override
    public void close()
    {
        closeTransport();
        state = IDLE;
        sessionMemberId = NULL_VALUE;
        watches.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ReadRequests
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public boolean isOpen()
    {
        return CONNECTED == state && null == lostReason;
    }

    @Override
    public long watchCreate(final long watchId, final long startRevision, final WatchSpec spec)
    {
        if (!isOpen())
        {
            return 0;
        }

        final long correlationId = nextCorrelationId++;
        return offer(encoder.encodeWatchCreate(buffer, 0, correlationId, clientId, watchId, startRevision, spec)) ?
            correlationId : 0;
    }

    @Override
    public long watchCancel(final long watchId)
    {
        if (!isOpen())
        {
            return 0;
        }

        final long correlationId = nextCorrelationId++;
        return offer(encoder.encodeWatchCancel(buffer, 0, correlationId, clientId, watchId)) ? correlationId : 0;
    }

    @Override
    public long watchProgress()
    {
        if (!isOpen())
        {
            return 0;
        }

        final long correlationId = nextCorrelationId++;
        return offer(encoder.encodeWatchProgress(buffer, 0, correlationId, clientId)) ? correlationId : 0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ReadResponseAdapter.Listener
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public void onReadConnected(
        final long correlationId, final int memberId, final long revision, final long compactRevision)
    {
        if (CONNECTING == state)
        {
            state = CONNECTED;
            timeOfLastMessageNs = nowNs;
            nextKeepAliveNs = nowNs + keepAliveIntervalNs;
            isPublicationNotConnected = false;
            // The id the member gives, which the endpoints' numbering may not (one plain endpoint is member 0).
            attemptMemberId = memberId;
            this.sessionMemberId = memberId;
            watches.onSessionOpened(memberId);
            reads.onSessionOpened(memberId, publication.maxMessageLength());
        }
    }

    @Override
    public void onReadKeepAlive(final long correlationId)
    {
    }

    @Override
    public void onWatchCreated(final long correlationId, final long watchId, final long startRevision)
    {
        if (CONNECTED == state)
        {
            watches.onWatchCreated(correlationId, watchId, startRevision);
        }
    }

    @Override
    public void onWatchCancelResponse(final long correlationId, final long watchId)
    {
    }

    @Override
    public void onError(
        final long correlationId, final ErrorCode code, final long compactRevision, final String message)
    {
        if (CONNECTING == state)
        {
            errorHandler.onError(new MetaStoreException(code, "member " + attemptMemberId +
                " refused the read session: " + message));
            lostReason = "the read session refused";
        }
        else if (ErrorCode.NOT_CONNECTED == code)
        {
            lostReason = "the member no longer knows the read session";
        }
        else if (CONNECTED == state)
        {
            watches.onError(correlationId, code, compactRevision, message);
        }
    }

    @Override
    public void onWatchEvents(
        final long watchId, final boolean fragment, final List<WatchEvent> events, final ResponseHeader header)
    {
        if (CONNECTED == state)
        {
            watches.onWatchEvents(watchId, fragment, events, header);
        }
    }

    @Override
    public void onWatchCanceled(
        final long watchId, final ErrorCode code, final long compactRevision, final String message)
    {
        if (CONNECTED == state)
        {
            watches.onWatchCanceled(watchId, code, compactRevision, message);
        }
    }

    @Override
    public void onWatchProgress(final long correlationId, final long watchId, final ResponseHeader header)
    {
        if (CONNECTED == state)
        {
            watches.onWatchProgress(correlationId, watchId, header);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void startAttempt()
    {
        memberIndex = nextMemberIndex();
        if (memberIndex < endpoints.count())
        {
            attemptChannel = endpoints.channel(memberIndex);
            attemptMemberId = endpoints.memberId(memberIndex);
        }
        else
        {
            attemptMemberId = leaderMemberId.getAsInt();
        }
        state = CONNECTING;
        nextAttemptNs = nowNs + keepAliveIntervalNs;
        attemptDeadlineNs = nowNs + silenceTimeoutNs;
        nextConnectNs = nowNs;
        try
        {
            subscriptionRegistrationId = aeron.asyncAddSubscription(responseChannel, responseStreamId);
            publicationRegistrationId = aeron.asyncAddExclusivePublication(
                attemptChannel, Protocol.READ_STREAM_ID);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            lostReason = "cannot add the read session's publication or subscription";
        }
    }

    private int nextMemberIndex()
    {
        if (memberIndex >= 0)
        {
            final int next = memberIndex + 1;
            if (next < endpoints.count())
            {
                return next;
            }
            final String endpoint = next == endpoints.count() ? leaderReadEndpoint() : null;
            if (null != endpoint && !endpoints.containsEndpoint(endpoint))
            {
                // Without the loopback MTU, which would look the host up on this thread: the channel carries only
                // the session's requests; the events come on the response channel, which has it.
                attemptChannel = "aeron:udp?endpoint=" + endpoint;
                return next;
            }
            return 0;
        }

        final int index = endpoints.indexOf(readMemberId >= 0 ? readMemberId : leaderMemberId.getAsInt());
        return Math.max(index, 0);
    }

    private String leaderReadEndpoint()
    {
        try
        {
            return leaderReadEndpoint.get();
        }
        catch (final RuntimeException ex)
        {
            // An endpoint the cluster named that cannot be read: the members given are tried as before.
            errorHandler.onError(ex);
            return null;
        }
    }

    private int pollConnecting()
    {
        int workCount = 0;
        try
        {
            if (null == subscription)
            {
                subscription = aeron.getSubscription(subscriptionRegistrationId);
            }
            if (null == publication)
            {
                publication = aeron.getExclusivePublication(publicationRegistrationId);
            }
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            lostReason = "cannot add the read session's publication or subscription";
            return 1;
        }

        if (null != subscription)
        {
            if (null == resolvedResponseChannel)
            {
                resolvedResponseChannel = subscription.tryResolveChannelEndpointPort();
            }
            workCount += subscription.poll(fragmentAssembler, FRAGMENT_LIMIT);
        }

        if (CONNECTING == state)
        {
            if (null != resolvedResponseChannel && null != publication && publication.isConnected() &&
                nowNs - nextConnectNs >= 0)
            {
                nextConnectNs = nowNs + keepAliveIntervalNs;
                final long correlationId = nextCorrelationId++;
                if (offer(encoder.encodeReadConnect(
                    buffer, 0, correlationId, clientId, responseStreamId, resolvedResponseChannel)))
                {
                    workCount++;
                }
            }

            if (nowNs - attemptDeadlineNs >= 0 && null == lostReason)
            {
                lostReason = (null == publication || !publication.isConnected() ?
                    "its read port not connected" : "no answer to connect") + " within " +
                    TimeUnit.NANOSECONDS.toMillis(silenceTimeoutNs) + " ms";
            }
        }

        return workCount;
    }

    private int pollConnected()
    {
        final int fragments = subscription.poll(fragmentAssembler, FRAGMENT_LIMIT);
        if (fragments > 0)
        {
            timeOfLastMessageNs = nowNs;
        }

        int workCount = fragments;
        if (nowNs - nextKeepAliveNs >= 0)
        {
            nextKeepAliveNs = nowNs + keepAliveIntervalNs;
            final long correlationId = nextCorrelationId++;
            if (offer(encoder.encodeReadKeepAlive(buffer, 0, correlationId, clientId)))
            {
                workCount++;
            }
        }

        if (publication.isConnected())
        {
            isPublicationNotConnected = false;
        }
        else if (!isPublicationNotConnected)
        {
            isPublicationNotConnected = true;
            notConnectedSinceNs = nowNs;
        }

        if (null == lostReason)
        {
            if (isPublicationNotConnected && nowNs - notConnectedSinceNs >= silenceTimeoutNs)
            {
                lostReason = "its read port not connected for " +
                    TimeUnit.NANOSECONDS.toMillis(nowNs - notConnectedSinceNs) + " ms";
            }
            else if (nowNs - timeOfLastMessageNs >= silenceTimeoutNs)
            {
                lostReason = "nothing from it for " + TimeUnit.NANOSECONDS.toMillis(nowNs - timeOfLastMessageNs) +
                    " ms";
            }
        }

        return workCount;
    }

    /**
     * Offer a request encoded at the start of the buffer. Back pressure and a publication not connected leave it to
     * be sent again later (the silence timeout bounds how long); a closed publication loses the member.
     */
    private boolean offer(final int length)
    {
        return offer(buffer, 0, length);
    }

    /**
     * Offer requests back to back, as {@link #offer(int)}.
     */
    private boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final long result = publication.offer(buffer, offset, length);
        if (result > 0)
        {
            return true;
        }

        if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
        {
            lostReason = "its read port publication " +
                (Publication.CLOSED == result ? "closed" : "at its max position");
        }

        return false;
    }

    private void onMemberLost()
    {
        final boolean wasConnected = CONNECTED == state;
        final int lostMemberId = attemptMemberId;
        lastLossReason = "member " + lostMemberId + " lost: " + lostReason;
        lostReason = null;
        closeTransport();
        state = IDLE;
        sessionMemberId = NULL_VALUE;
        reads.onSessionLost();
        if (wasConnected)
        {
            watches.onSessionLost(lostMemberId);
        }
    }

    private void closeTransport()
    {
        try
        {
            if (NULL_VALUE != subscriptionRegistrationId)
            {
                aeron.asyncRemoveSubscription(subscriptionRegistrationId);
            }
            if (NULL_VALUE != publicationRegistrationId)
            {
                aeron.asyncRemovePublication(publicationRegistrationId);
            }
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
        finally
        {
            subscriptionRegistrationId = NULL_VALUE;
            publicationRegistrationId = NULL_VALUE;
            subscription = null;
            publication = null;
            resolvedResponseChannel = null;
            fragmentAssembler.clear();
        }
    }
}
