package io.metastore.client;

import io.aeron.Aeron;
import io.metastore.protocol.Protocol;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

import java.security.SecureRandom;

/**
 * Questions about one member, put to that member's read port whatever member serves the client's watches and
 * serializable reads: {@link MetaStoreClient#memberStatusAsync(int)} and
 * {@link MetaStoreClient#hashKvAsync(int, long)}.
 * <p>
 * Each member asked gets a read session of its own, opened on the first question and kept until the client closes,
 * with that member alone ({@link ReadEndpoints#only(int)}): it never moves to another member, so an answer is always
 * the member's asked; a member that does not answer fails its questions at their deadline. Each session has a
 * client id of its own, since a member knows one read session per client id, and its own response stream.
 * <p>
 * Callers queue questions from any thread; the I/O thread takes them, and drives the sessions, in
 * {@link #doWork(long)}.
 */
final class MemberQueries implements AutoCloseable
{
    private static final long EXPIRE_INTERVAL_NS = 10_000_000L;

    private final Aeron aeron;
    private final ReadEndpoints endpoints;
    private final String responseChannel;
    private final boolean isIpc;
    private final MetaStoreClient.Context ctx;
    private final ErrorHandler errorHandler;
    private final ManyToOneConcurrentLinkedQueue<MemberQuery> queue = new ManyToOneConcurrentLinkedQueue<>();
    private final Int2ObjectHashMap<Member> members = new Int2ObjectHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private long nextExpireNs;
    private boolean isClosed;

    private static final class Member
    {
        final ReadSession session;
        final SerializableReads reads;

        Member(final ReadSession session, final SerializableReads reads)
        {
            this.session = session;
            this.reads = reads;
        }
    }

    MemberQueries(
        final Aeron aeron,
        final ReadEndpoints endpoints,
        final String responseChannel,
        final boolean isIpc,
        final MetaStoreClient.Context ctx)
    {
        this.aeron = aeron;
        this.endpoints = endpoints;
        this.responseChannel = responseChannel;
        this.isIpc = isIpc;
        this.ctx = ctx;
        this.errorHandler = ctx.errorHandler();
    }

    /**
     * @param memberId asked about.
     * @return true if the client knows that member.
     */
    boolean isMember(final int memberId)
    {
        return endpoints.indexOf(memberId) >= 0;
    }

    /**
     * Queue a question, from any thread.
     *
     * @param query to ask.
     */
    void submit(final MemberQuery query)
    {
        queue.offer(query);
    }

    /**
     * Take the questions queued, drive every member's session, and fail the questions past their deadline.
     *
     * @param nowNs the time now.
     * @return work done.
     */
    int doWork(final long nowNs)
    {
        int workCount = 0;
        MemberQuery query;
        while (null != (query = queue.poll()))
        {
            workCount++;
            if (isClosed)
            {
                query.completeExceptionally(new MetaStoreException(null, "client closed"));
                continue;
            }
            if (!query.isDone())
            {
                member(query.memberId).reads.onQuery(query);
            }
        }

        final boolean isExpiring = nowNs - nextExpireNs >= 0;
        if (isExpiring)
        {
            nextExpireNs = nowNs + EXPIRE_INTERVAL_NS;
        }
        for (final Member member : members.values())
        {
            workCount += member.session.doWork(nowNs);
            if (isExpiring)
            {
                workCount += member.reads.expire(nowNs);
            }
        }

        return workCount;
    }

    /**
     * Fail every question waiting and close every session; called on the I/O thread as the client closes.
     */
    @Override
    public void close()
    {
        isClosed = true;
        final MetaStoreException closed = new MetaStoreException(null, "client closed");
        MemberQuery query;
        while (null != (query = queue.poll()))
        {
            query.completeExceptionally(closed);
        }
        for (final Member member : members.values())
        {
            member.reads.failAll(closed);
            CloseHelper.quietClose(member.session);
        }
        members.clear();
    }

    private Member member(final int memberId)
    {
        Member member = members.get(memberId);
        if (null == member)
        {
            final long clientId = random.nextLong() & Long.MAX_VALUE | 1;
            // Not resent to a member that lives: a hash may take longer than the silence timeout to answer.
            final SerializableReads reads = new SerializableReads(clientId, ctx.requestTimeoutNs(), 1, 4096,
                new SeenRevision(), errorHandler);
            final WatchConductor noWatches = new WatchConductor(ctx.watchQueueRevisions(), Runnable::run, errorHandler);
            final int streamId = isIpc ? MetaStoreClient.ipcReadResponseStreamId(clientId) :
                Protocol.READ_RESPONSE_STREAM_ID + 1 + endpoints.indexOf(memberId);
            final ReadSession session = new ReadSession(
                aeron,
                clientId,
                endpoints.only(memberId),
                memberId,
                () -> memberId,
                () -> null,
                responseChannel,
                streamId,
                ctx.readKeepAliveIntervalNs(),
                ctx.readSilenceTimeoutNs(),
                noWatches,
                reads,
                errorHandler);
            member = new Member(session, reads);
            members.put(memberId, member);
        }

        return member;
    }
}
