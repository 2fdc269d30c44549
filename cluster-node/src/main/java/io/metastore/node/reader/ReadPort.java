package io.metastore.node.reader;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.metastore.codecs.ErrorCode;
import io.metastore.codecs.HashKvRequestDecoder;
import io.metastore.codecs.MemberStatusRequestDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.RangeRequestDecoder;
import io.metastore.codecs.ReadConnectRequestDecoder;
import io.metastore.codecs.ReadKeepAliveRequestDecoder;
import io.metastore.codecs.RequestHeaderDecoder;
import io.metastore.codecs.SnapshotSaveRequestDecoder;
import io.metastore.codecs.SnapshotTakeRequestDecoder;
import io.metastore.codecs.WatchCancelRequestDecoder;
import io.metastore.codecs.WatchCreateRequestDecoder;
import io.metastore.codecs.WatchEventsDecoder;
import io.metastore.codecs.WatchProgressRequestDecoder;
import io.metastore.node.metrics.MetaStoreCounters;
import io.metastore.node.storage.HistoryReader;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.protocol.KeyRanges;
import io.metastore.protocol.Protocol;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.SystemUtil;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A member's read port, on a thread of its own: clients open read sessions and watch ranges of keys here, never
 * through the log nor on the service's thread, on the leader and followers alike.
 * <p>
 * Each duty cycle polls requests, then follows the committed revision: the changes committed since the last cycle
 * are read from the history once, and every watcher that was up to date (etcd's synced watchers) is sent its share of
 * them. A watcher behind (new from a past revision, or whose session was back pressured) is caught up from the
 * history a bounded number of bytes per cycle (etcd's unsynced watchers), so a slow client holds nothing but its
 * position: memory per watcher is bounded, and no watcher, client or the log waits for another. A watcher whose next
 * revision compaction has passed is canceled with the compacted revision, as etcd does.
 */
public final class ReadPort implements Agent
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final long HOUSEKEEPING_INTERVAL_NS = 50_000_000L;
    /**
     * Read sessions at once: each holds a publication of the member's driver, so a flood of connects is bounded.
     */
    private static final int MAX_SESSIONS = 4096;

    /**
     * Longest term of the publication answering a client, whatever term its channel names: Aeron's default, room for
     * 2 MiB messages. Without a bound a client naming {@code term-length=1g} would have the member map 3 GiB.
     */
    static final int MAX_ANSWER_TERM_LENGTH = 16 * 1024 * 1024;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /**
     * Watches of one read session: every duty cycle looks at each.
     */
    private static final int MAX_WATCHES_PER_SESSION = 10_000;
    /**
     * Snapshot requests waiting for their snapshot: they share it, so a few suffice.
     */
    private static final int MAX_SNAPSHOT_TAKE_WAITERS = 1024;

    private final Aeron aeron;
    private final String channel;
    private final String ipcChannel;
    private final int streamId;
    private final HistoryReader history;
    private final BooleanSupplier isServiceStarted;
    private final NanoClock nanoClock;
    private final Settings settings;
    private final ReadResponses responses;
    private final WatchEventsPublisher publisher;
    private final SerializableReads serializableReads;
    private final MemberStatusResponder statusResponder;
    private final HashKvWorker hashKvWorker;
    private final HashKvRequestDecoder hashKvDecoder = new HashKvRequestDecoder();
    private final FragmentAssembler fragmentHandler = new FragmentAssembler(this::onFragment);
    private final FragmentAssembler ipcFragmentHandler = new FragmentAssembler(this::onFragment);
    private final Long2ObjectHashMap<ReadSession> sessions = new Long2ObjectHashMap<>();
    private final ArrayList<byte[]> tailChunks = new ArrayList<>();
    private final ArrayList<byte[]> catchUpChunks = new ArrayList<>();
    private final WatcherGroups groups = new WatcherGroups(WatchEventsPublisher.MAX_WATCHERS_A_MESSAGE);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final RequestHeaderDecoder requestHeaderDecoder = new RequestHeaderDecoder();
    private final ReadConnectRequestDecoder connectDecoder = new ReadConnectRequestDecoder();
    private final WatchCreateRequestDecoder createDecoder = new WatchCreateRequestDecoder();
    private final WatchCancelRequestDecoder cancelDecoder = new WatchCancelRequestDecoder();
    private final int[] fieldOffsets = new int[2];
    private final int[] fieldLengths = new int[2];
    private final AtomicCounter sessionsCounter;
    private final AtomicCounter watchersCounter;
    private final AtomicCounter eventsSentCounter;
    private Subscription subscription;
    private Subscription ipcSubscription;
    private long tailRevision = -1;
    private long nowNs;
    private long nextHousekeepingNs;
    private long droppedRequests;
    private SnapshotRequests snapshots;
    private final ArrayList<long[]> takeWaiters = new ArrayList<>();

    /**
     * What a read port may do, and how much.
     *
     * @param maxKeyBytes              largest key or range end a watch may name.
     * @param sessionTimeoutNs         a session that sends nothing for this long is closed, its watches with it.
     * @param progressNotifyIntervalNs a watch asking for progress notifications gets one after this long without
     *                                 anything to send.
     * @param targetMessageBytes       events are sent in messages of about this size.
     * @param catchUpBytes             history read per cycle for a watcher that is behind.
     * @param maxMessageBytes          the largest message the read port encodes.
     * @param maxResponseBytes         the most a serializable read's answer holds, as the log path's.
     * @param serializableWaitNs       longest a serializable read waits for the member to reach the revision its
     *                                 client has seen.
     */
    public record Settings(
        int maxKeyBytes,
        long sessionTimeoutNs,
        long progressNotifyIntervalNs,
        int targetMessageBytes,
        int catchUpBytes,
        int maxMessageBytes,
        int maxResponseBytes,
        long serializableWaitNs)
    {
    }

    /**
     * @param aeron            client of the member's media driver; owned by the caller.
     * @param channel          to take requests on.
     * @param ipcChannel       to take requests on from clients of the member's own media driver, or null.
     * @param streamId         of the requests.
     * @param storage          whose committed state serializable reads read.
     * @param history          to read the committed changes from; closed with this.
     * @param isServiceStarted true once the service has loaded its state: no request is read before.
     * @param clusterId        for the responses' headers.
     * @param memberId         for the responses' headers.
     * @param leadershipTermId the member's leadership term, for the responses' headers.
     * @param settings         limits and intervals.
     * @param nanoClock        for timeouts and intervals.
     */
    public ReadPort(
        final Aeron aeron,
        final String channel,
        final String ipcChannel,
        final int streamId,
        final RocksDbStorage storage,
        final HistoryReader history,
        final BooleanSupplier isServiceStarted,
        final int clusterId,
        final int memberId,
        final LongSupplier leadershipTermId,
        final Settings settings,
        final NanoClock nanoClock)
    {
        this.aeron = aeron;
        this.channel = channel;
        this.ipcChannel = ipcChannel;
        this.streamId = streamId;
        this.history = history;
        this.isServiceStarted = isServiceStarted;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.responses = new ReadResponses(clusterId, memberId, leadershipTermId);
        this.publisher = new WatchEventsPublisher(history, clusterId, memberId, leadershipTermId,
            settings.targetMessageBytes(), settings.maxMessageBytes());
        this.serializableReads = new SerializableReads(storage, responses, clusterId, memberId,
            settings.maxKeyBytes(), settings.maxResponseBytes(), settings.serializableWaitNs());
        this.statusResponder = new MemberStatusResponder(storage, aeron.countersReader(), clusterId, memberId);
        this.hashKvWorker = new HashKvWorker(storage);
        // In the member's media driver, for AeronStat and the metrics endpoint; closed with the read port.
        this.sessionsCounter = MetaStoreCounters.newCounter(aeron::addCounter, MetaStoreCounters.READ_SESSIONS_TYPE_ID);
        this.watchersCounter = MetaStoreCounters.newCounter(aeron::addCounter, MetaStoreCounters.WATCHERS_TYPE_ID);
        this.eventsSentCounter =
            MetaStoreCounters.newCounter(aeron::addCounter, MetaStoreCounters.WATCH_EVENTS_SENT_TYPE_ID);
    }

    /**
     * Where the member's status answers come from beyond its store; set before the read port runs.
     *
     * @param source of the member's role, leader, log and errors.
     * @return this.
     */
    public ReadPort memberStatusSource(final MemberStatusSource source)
    {
        statusResponder.source(source);
        return this;
    }

    @Override
    public String roleName()
    {
        return "metastore-read-port";
    }

    @Override
    public int doWork()
    {
        if (aeron.isClosed())
        {
            // The driver timed the client out (the process was paused past its liveness timeout, say): the client
            // unmaps the driver's files a moment after it says it is closed, and the counters live there.
            throw new AgentTerminationException("the read port's Aeron client is closed");
        }
        if (null == subscription)
        {
            if (!isServiceStarted.getAsBoolean())
            {
                return 0;
            }
            tailRevision = history.committedRevision();
            // A client gone leaves its reassembly buffer behind unless freed with its image.
            subscription = aeron.addSubscription(channel, streamId, image -> {},
                image -> fragmentHandler.freeSessionBuffer(image.sessionId()));
            ipcSubscription = null == ipcChannel ? null : aeron.addSubscription(ipcChannel, streamId, image -> {},
                image -> ipcFragmentHandler.freeSessionBuffer(image.sessionId()));
        }

        nowNs = nanoClock.nanoTime();
        int workCount = subscription.poll(fragmentHandler, FRAGMENT_LIMIT);
        if (null != ipcSubscription)
        {
            workCount += ipcSubscription.poll(ipcFragmentHandler, FRAGMENT_LIMIT);
        }
        workCount += serializableReads.retryWaiting(history.committedRevision(), nowNs);
        serializableReads.releaseStaleView();
        workCount += hashKvWorker.drain(this::onHashKvAnswer);
        workCount += followTail();
        workCount += catchUp();
        if (nowNs - nextHousekeepingNs >= 0)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            workCount += housekeeping();
        }

        return workCount;
    }

    @Override
    public void onClose()
    {
        for (final ReadSession session : sessions.values())
        {
            session.close();
        }
        sessions.clear();
        CloseHelper.closeAll(hashKvWorker, serializableReads, subscription, ipcSubscription, history,
            sessionsCounter, watchersCounter, eventsSentCounter);
    }

    /**
     * How the read port waits: as {@code whileServing} while it has read sessions, else a millisecond at a time, so an
     * unused read port costs nothing worth measuring (it wakes for every commit otherwise); a first connect waits up
     * to a millisecond more.
     *
     * @param whileServing idle strategy while sessions are open.
     * @return the read port's idle strategy.
     */
    public IdleStrategy idleStrategy(final IdleStrategy whileServing)
    {
        return new IdleStrategy()
        {
            private final IdleStrategy unused = new SleepingMillisIdleStrategy(1);

            public void idle(final int workCount)
            {
                choose().idle(workCount);
            }

            public void idle()
            {
                choose().idle();
            }

            // Out of the serving strategy, reset it: a wakeable one then stops being woken by every commit.
            private IdleStrategy choose()
            {
                if (sessions.isEmpty())
                {
                    whileServing.reset();
                    return unused;
                }
                return whileServing;
            }

            public void reset()
            {
                whileServing.reset();
            }
        };
    }

    /**
     * Serve snapshot saves and snapshots on request; set before the read port runs. Without, they are refused.
     *
     * @param snapshots the member's snapshots.
     * @return this.
     */
    public ReadPort snapshotRequests(final SnapshotRequests snapshots)
    {
        this.snapshots = snapshots;
        return this;
    }

    /**
     * @return requests dropped: malformed beyond an answer, or from a client with no session here.
     */
    public long droppedRequests()
    {
        return droppedRequests;
    }

    /**
     * Send the changes committed since the last cycle to every watcher that had all before them, reading them once.
     */
    private int followTail()
    {
        final long committed = history.committedRevision();
        if (committed <= tailRevision)
        {
            return 0;
        }

        if (!hasWatcherAtTail(committed))
        {
            // Nobody to send the new revisions to: they are not read.
            tailRevision = committed;
            return 0;
        }

        tailChunks.clear();
        final long from = tailRevision + 1;
        final long to = history.readChunks(from, 0, committed, settings.catchUpBytes(), tailChunks);
        final long compacted = history.compactedRevision();
        for (final ReadSession session : sessions.values())
        {
            if (!session.hasRoomFor(settings.targetMessageBytes()))
            {
                continue;
            }
            groups.clear();
            for (final Watcher watcher : session.watchers.values())
            {
                if (watcher.nextRevision >= from && watcher.nextRevision <= to)
                {
                    group(session, watcher);
                }
            }
            for (int i = 0, size = groups.size(); i < size; i++)
            {
                publish(session, groups.get(i).watchers, tailChunks, to, compacted, committed);
            }
        }
        tailRevision = to;

        return 1;
    }

    private boolean hasWatcherAtTail(final long committed)
    {
        for (final ReadSession session : sessions.values())
        {
            for (final Watcher watcher : session.watchers.values())
            {
                if (watcher.nextRevision > tailRevision && watcher.nextRevision <= committed)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /**
     * Catch up, a bounded read for each group of watchers at one position, the watchers behind the tail.
     */
    private int catchUp()
    {
        int workCount = 0;
        for (final ReadSession session : sessions.values())
        {
            if (!session.hasRoomFor(settings.catchUpBytes()))
            {
                continue;
            }
            groups.clear();
            final long compactedBefore = history.compactedRevision();
            for (final Iterator<Watcher> it = session.watchers.values().iterator(); it.hasNext(); )
            {
                final Watcher watcher = it.next();
                if (watcher.nextRevision > tailRevision)
                {
                    continue;
                }
                if (watcher.nextRevision <= compactedBefore)
                {
                    workCount++;
                    cancelCompacted(session, watcher, compactedBefore);
                    it.remove();
                    continue;
                }
                group(session, watcher);
            }
            for (int i = 0, size = groups.size(); i < size && session.hasRoomFor(settings.catchUpBytes()); i++)
            {
                workCount++;
                final Watcher lead = groups.get(i).lead();
                catchUpChunks.clear();
                // From the change it is owed, not its revision's start: a huge revision sent in part is not read again.
                final long to = history.readChunks(lead.nextRevision, lead.nextSubRevision, tailRevision,
                    settings.catchUpBytes(), catchUpChunks);
                publish(session, groups.get(i).watchers, catchUpChunks, to, history.compactedRevision(), tailRevision);
            }
        }

        return workCount;
    }

    private void group(final ReadSession session, final Watcher watcher)
    {
        if (session.takesSharedEvents)
        {
            groups.add(watcher);
        }
        else
        {
            groups.addAlone(watcher);
        }
    }

    /**
     * Send a group of watchers at one position what they are owed; those to go (canceled for compaction, or an
     * event too large to send) are removed from their session.
     */
    private void publish(
        final ReadSession session,
        final ArrayList<Watcher> watchers,
        final ArrayList<byte[]> chunks,
        final long toRevision,
        final long compacted,
        final long headerRevision)
    {
        // What compaction passed may have been read in part: such a watcher is canceled, never sent a gap.
        final Watcher lead = watchers.get(0);
        if (lead.nextRevision <= compacted)
        {
            for (int i = 0, size = watchers.size(); i < size; i++)
            {
                cancelCompacted(session, watchers.get(i), compacted);
                session.watchers.remove(watchers.get(i).watchId);
            }
            return;
        }

        if (WatchEventsPublisher.TOO_LARGE ==
            publisher.publish(session, watchers, chunks, toRevision, headerRevision, nowNs))
        {
            // Each watcher, now at the event too large, alone: the others' ids took room in a message.
            for (int i = 0, size = watchers.size(); i < size; i++)
            {
                final Watcher watcher = watchers.get(i);
                if (WatchEventsPublisher.TOO_LARGE ==
                    publisher.publish(session, watcher, chunks, toRevision, headerRevision, nowNs))
                {
                    responses.watchCanceled(session.publication, watcher.watchId, ErrorCode.RESPONSE_TOO_LARGE, 0,
                        headerRevision, "an event at revision " + watcher.nextRevision + " is larger than a message");
                    session.watchers.remove(watcher.watchId);
                }
            }
        }
    }

    private void cancelCompacted(final ReadSession session, final Watcher watcher, final long compacted)
    {
        responses.watchCanceled(session.publication, watcher.watchId, ErrorCode.COMPACTED, compacted,
            history.committedRevision(), "required revision " + watcher.nextRevision +
            " has been compacted; compacted revision " + compacted);
    }

    /**
     * Answer connects whose publication is now connected, close sessions gone silent, send progress notifications.
     */
    private int housekeeping()
    {
        int workCount = takeWaiters.isEmpty() ? 0 : answerTakes();
        int watcherCount = 0;
        final long committed = history.committedRevision();
        for (final Iterator<ReadSession> it = sessions.values().iterator(); it.hasNext(); )
        {
            final ReadSession session = it.next();
            if (nowNs - session.lastRequestNs > settings.sessionTimeoutNs())
            {
                session.close();
                it.remove();
                workCount++;
                continue;
            }
            watcherCount += session.watchers.size();
            if (0 != session.newerVersion)
            {
                if (session.publication.isConnected())
                {
                    refuse(session, session.connectCorrelationId, ErrorCode.UNSUPPORTED_SCHEMA, "the client's schema " +
                        "version " + session.newerVersion + " is newer than this member's " +
                        ReadConnectRequestDecoder.SCHEMA_VERSION + ": upgrade the member");
                    session.close();
                    it.remove();
                    workCount++;
                }
                continue;
            }
            if (!session.isConnectAnswered)
            {
                if (session.publication.isConnected() && responses.readConnected(
                    session.publication, session.connectCorrelationId, committed, history.compactedRevision()))
                {
                    session.isConnectAnswered = true;
                    workCount++;
                }
                continue;
            }
            for (final Watcher watcher : session.watchers.values())
            {
                if (watcher.isProgressNotify && watcher.nextRevision > tailRevision &&
                    nowNs - watcher.lastSentNs >= settings.progressNotifyIntervalNs() &&
                    responses.watchProgress(
                        session.publication, 0, watcher.watchId, Math.min(watcher.nextRevision - 1, tailRevision)))
                {
                    watcher.lastSentNs = nowNs;
                    workCount++;
                }
            }
        }
        sessionsCounter.setRelease(sessions.size());
        watchersCounter.setRelease(watcherCount);
        eventsSentCounter.setRelease(publisher.eventsSent());

        return workCount;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        // Requests come back to back in a message, as on ingress; the answers to reads leave together after it.
        final int end = offset + length;
        int position = offset;
        while (position < end)
        {
            final int requestLength = onRequest(buffer, position, end);
            if (requestLength <= 0)
            {
                break;
            }
            position += requestLength;
        }
        serializableReads.flush();
    }

    /**
     * @return the length of the request, or -1 if the rest of the message cannot be read.
     */
    private int onRequest(final DirectBuffer buffer, final int offset, final int end)
    {
        final int blockOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (end - offset < MessageHeaderDecoder.ENCODED_LENGTH + RequestHeaderDecoder.ENCODED_LENGTH)
        {
            droppedRequests++;
            return -1;
        }
        headerDecoder.wrap(buffer, offset);
        requestHeaderDecoder.wrap(buffer, blockOffset);
        final long correlationId = requestHeaderDecoder.correlationId();
        final long clientId = requestHeaderDecoder.clientId();
        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final boolean isOurSchemaId = headerDecoder.schemaId() == ReadConnectRequestDecoder.SCHEMA_ID;
        final boolean isOurSchema = isOurSchemaId && version <= ReadConnectRequestDecoder.SCHEMA_VERSION;

        // A newer connect is read as far as this version knows it, to tell the client it is too new (onConnect).
        if (ReadConnectRequestDecoder.TEMPLATE_ID == templateId && isOurSchemaId)
        {
            return onConnect(buffer, offset, end, blockLength, version, correlationId, clientId);
        }

        final ReadSession session = sessions.get(clientId);
        if (null == session || !session.isConnectAnswered)
        {
            // No publication to answer on: the client finds out by its read session's silence, and connects again.
            droppedRequests++;
            return -1;
        }
        session.lastRequestNs = nowNs;

        if (!isOurSchema)
        {
            refuse(session, correlationId, ErrorCode.UNSUPPORTED_SCHEMA, "schema " + headerDecoder.schemaId() +
                " version " + version + " is not supported");
            return -1;
        }

        final int varFields = switch (templateId)
        {
            case WatchCreateRequestDecoder.TEMPLATE_ID, RangeRequestDecoder.TEMPLATE_ID -> 2;
            case ReadKeepAliveRequestDecoder.TEMPLATE_ID, WatchCancelRequestDecoder.TEMPLATE_ID,
                WatchProgressRequestDecoder.TEMPLATE_ID, MemberStatusRequestDecoder.TEMPLATE_ID,
                HashKvRequestDecoder.TEMPLATE_ID, SnapshotSaveRequestDecoder.TEMPLATE_ID,
                SnapshotTakeRequestDecoder.TEMPLATE_ID -> 0;
            default -> -1;
        };
        if (varFields < 0)
        {
            refuse(session, correlationId, ErrorCode.UNKNOWN_TEMPLATE, "template " + templateId +
                " is not a read port request");
            return -1;
        }
        final int length = framedLength(buffer, offset, blockOffset + blockLength, end, varFields);
        if (length < 0)
        {
            refuse(session, correlationId, ErrorCode.MALFORMED, "request runs past the end of its message");
            return -1;
        }
        final int requestEnd = offset + length;

        switch (templateId)
        {
            case RangeRequestDecoder.TEMPLATE_ID:
                serializableReads.onRange(session, buffer, offset, requestEnd, blockLength, version, correlationId,
                    history.committedRevision(), nowNs);
                break;

            case ReadKeepAliveRequestDecoder.TEMPLATE_ID:
                responses.keepAlive(session.publication, correlationId, history.committedRevision());
                break;

            case WatchCreateRequestDecoder.TEMPLATE_ID:
                onWatchCreate(session, buffer, offset, requestEnd, blockLength, version, correlationId);
                break;

            case WatchCancelRequestDecoder.TEMPLATE_ID:
                onWatchCancel(session, buffer, offset, requestEnd, blockLength, version, correlationId);
                break;

            case MemberStatusRequestDecoder.TEMPLATE_ID:
                statusResponder.answer(session.publication, correlationId, responses.leadershipTermId());
                break;

            case HashKvRequestDecoder.TEMPLATE_ID:
                onHashKv(session, buffer, offset, requestEnd, blockLength, version, correlationId);
                break;

            case SnapshotSaveRequestDecoder.TEMPLATE_ID:
            case SnapshotTakeRequestDecoder.TEMPLATE_ID:
                onSnapshotRequest(session, templateId, correlationId);
                break;

            default:
                onWatchProgress(session, correlationId);
        }

        return length;
    }

    /**
     * The channel to answer a client on, with any host name in it resolved here, on the read port's thread: the
     * member's driver runs shared, and a name that resolved slowly there would hold up the log's I/O with it.
     * <p>
     * What the member's own memory holds is the member's to decide, not a client's: a term above
     * {@link #MAX_ANSWER_TERM_LENGTH} is cut to it (messages are cut to the publication's longest, so answers still
     * fit), an IPC channel naming none gets it, and {@code linger} and {@code sparse} are dropped, the driver's
     * defaults holding.
     *
     * @param channel a client named.
     * @return the channel to add a publication for, or null if it is not one to answer on (not IPC nor UDP with an
     *         endpoint, not a channel, a term length that is not one, a name that does not resolve).
     */
    static String answerableChannel(final String channel)
    {
        try
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            final boolean isBounded = bound(uri);
            if (uri.isIpc())
            {
                return isBounded ? uri.toString() : channel;
            }
            final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
            final int colon = null == endpoint ? -1 : endpoint.lastIndexOf(':');
            if (!uri.isUdp() || colon <= 0)
            {
                return null;
            }
            final String host = endpoint.substring(0, colon);
            if (host.startsWith("[") || IPV4.matcher(host).matches())
            {
                return isBounded ? uri.toString() : channel;
            }
            final InetAddress address = InetAddress.getByName(host);
            final String literal = address instanceof Inet6Address ?
                "[" + address.getHostAddress() + "]" : address.getHostAddress();
            uri.put(CommonContext.ENDPOINT_PARAM_NAME, literal + endpoint.substring(colon));
            return uri.toString();
        }
        catch (final RuntimeException | UnknownHostException ex)
        {
            return null;
        }
    }

    /**
     * @return true if the channel was changed to keep within what the member gives a client.
     * @throws IllegalArgumentException if the term length named is not a size.
     */
    private static boolean bound(final ChannelUri uri)
    {
        boolean isChanged = null != uri.remove(CommonContext.LINGER_PARAM_NAME);
        isChanged |= null != uri.remove(CommonContext.SPARSE_PARAM_NAME);
        final String termLength = uri.get(CommonContext.TERM_LENGTH_PARAM_NAME);
        // Unnamed, an IPC term is the member driver's for IPC, the log's term length, which may be up to 1 GiB.
        if ((null == termLength && uri.isIpc()) || (null != termLength &&
            SystemUtil.parseSize(CommonContext.TERM_LENGTH_PARAM_NAME, termLength) > MAX_ANSWER_TERM_LENGTH))
        {
            uri.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(MAX_ANSWER_TERM_LENGTH));
            isChanged = true;
        }

        return isChanged;
    }

    /**
     * @return the length of a request whose variable length fields start at {@code fieldsOffset}, or -1 if it runs
     *         past {@code end}.
     */
    static int framedLength(
        final DirectBuffer buffer, final int offset, final int fieldsOffset, final int end, final int varFields)
    {
        long position = fieldsOffset;
        if (position > end)
        {
            return -1;
        }
        for (int i = 0; i < varFields; i++)
        {
            if (position + Protocol.VAR_DATA_LENGTH_PREFIX > end)
            {
                return -1;
            }
            position += Protocol.VAR_DATA_LENGTH_PREFIX + (buffer.getInt((int)position) & 0xFFFF_FFFFL);
            if (position > end)
            {
                return -1;
            }
        }

        return (int)(position - offset);
    }

    private int onConnect(
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final long correlationId,
        final long clientId)
    {
        if (blockLength < ReadConnectRequestDecoder.BLOCK_LENGTH ||
            !frameVarFields(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength, end, 1))
        {
            droppedRequests++;
            return -1;
        }
        connectDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final int responseStreamId = connectDecoder.responseStreamId();
        final int length = fieldOffsets[0] + fieldLengths[0] - offset;
        final String responseChannel =
            answerableChannel(buffer.getStringWithoutLengthUtf8(fieldOffsets[0], fieldLengths[0]));
        if (null == responseChannel)
        {
            droppedRequests++;
            return read(length, version);
        }

        ReadSession session = sessions.get(clientId);
        if (null == session && sessions.size() >= MAX_SESSIONS)
        {
            droppedRequests++;
            return read(length, version);
        }
        if (null == session)
        {
            session = new ReadSession(clientId);
            sessions.put(clientId, session);
        }
        if (session.answersOn(responseChannel, responseStreamId))
        {
            session.connectAgain(correlationId);
        }
        else
        {
            final ExclusivePublication publication;
            try
            {
                publication = aeron.addExclusivePublication(responseChannel, responseStreamId);
            }
            catch (final RuntimeException ex)
            {
                // A channel the client named that the driver refuses: the client's fault, not the member's.
                droppedRequests++;
                return read(length, version);
            }
            session.publication(publication, responseChannel, responseStreamId, correlationId);
        }
        // A client that reads the ids of the other watches a message is for is sent the events its watches share once.
        session.takesSharedEvents = version >= WatchEventsDecoder.alsoWatchIdsDecoderSinceVersion();
        // A client newer than this member is told so once its publication connects, and its session closed.
        session.newerVersion = version > ReadConnectRequestDecoder.SCHEMA_VERSION ? version : 0;
        session.lastRequestNs = nowNs;
        nextHousekeepingNs = nowNs;
        return read(length, version);
    }

    /**
     * @return the length of a connect to go on reading after, or -1 for one of a newer version: where it ends, and
     * so what follows it in the message, is not known.
     */
    private static int read(final int length, final int version)
    {
        return version > ReadConnectRequestDecoder.SCHEMA_VERSION ? -1 : length;
    }

    private void onWatchCreate(
        final ReadSession session,
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final long correlationId)
    {
        if (blockLength < WatchCreateRequestDecoder.BLOCK_LENGTH ||
            !frameVarFields(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength, end, 2))
        {
            refuse(session, correlationId, ErrorCode.MALFORMED, "watch create request runs past its message");
            return;
        }
        createDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final long watchId = createDecoder.watchId();
        final long startRevision = createDecoder.startRevision();
        final int flags = buffer.getByte(
            offset + MessageHeaderDecoder.ENCODED_LENGTH + WatchCreateRequestDecoder.flagsEncodingOffset()) & 0xFF;
        if (0 != (flags & ~0b1111))
        {
            refuse(session, correlationId, ErrorCode.UNKNOWN_FLAGS, "unknown watch flags 0x" +
                Integer.toHexString(flags));
            return;
        }
        if (0 == fieldLengths[0])
        {
            refuse(session, correlationId, ErrorCode.EMPTY_KEY, "key is not provided");
            return;
        }
        if (fieldLengths[0] > settings.maxKeyBytes() || fieldLengths[1] > settings.maxKeyBytes())
        {
            refuse(session, correlationId, ErrorCode.KEY_TOO_LARGE, "key or range end exceeds " +
                settings.maxKeyBytes() + " bytes");
            return;
        }
        final byte[] key = new byte[fieldLengths[0]];
        buffer.getBytes(fieldOffsets[0], key);
        final byte[] rangeEnd = new byte[fieldLengths[1]];
        buffer.getBytes(fieldOffsets[1], rangeEnd);
        if (rangeEnd.length > 0 && !KeyRanges.isFromKey(rangeEnd) && KeyRanges.compare(rangeEnd, key) <= 0)
        {
            refuse(session, correlationId, ErrorCode.INVALID_RANGE, "range end is not above key");
            return;
        }
        if (startRevision < 0)
        {
            refuse(session, correlationId, ErrorCode.INVALID_ARGUMENT, "start revision " + startRevision +
                " is negative");
            return;
        }
        if (session.watchers.size() >= MAX_WATCHES_PER_SESSION)
        {
            refuse(session, correlationId, ErrorCode.INVALID_ARGUMENT, "a read session holds at most " +
                MAX_WATCHES_PER_SESSION + " watches");
            return;
        }
        if (session.watchers.containsKey(watchId))
        {
            refuse(session, correlationId, ErrorCode.INVALID_ARGUMENT, "watch id " + watchId +
                " is already in use in this session");
            return;
        }
        final long committed = history.committedRevision();
        final long compacted = history.compactedRevision();
        final long nextRevision = 0 == startRevision ? committed + 1 : startRevision;
        if (nextRevision <= compacted)
        {
            responses.error(session.publication, correlationId, ErrorCode.COMPACTED, compacted, committed,
                "required revision " + nextRevision + " has been compacted; compacted revision " + compacted);
            return;
        }

        // A start in the future waits for it, as etcd's.
        final Watcher watcher = new Watcher(watchId, key, rangeEnd,
            0 != (flags & 0b1), 0 != (flags & 0b10), 0 != (flags & 0b100), 0 != (flags & 0b1000), nextRevision, nowNs);
        session.watchers.put(watchId, watcher);
        responses.watchCreated(session.publication, correlationId, watchId, nextRevision, committed);
    }

    private void onWatchCancel(
        final ReadSession session,
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final long correlationId)
    {
        if (!isBlockWhole(blockLength, WatchCancelRequestDecoder.BLOCK_LENGTH, offset, end))
        {
            refuse(session, correlationId, ErrorCode.MALFORMED, "watch cancel request runs past its message");
            return;
        }
        cancelDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final long watchId = cancelDecoder.watchId();
        if (null == session.watchers.remove(watchId))
        {
            refuse(session, correlationId, ErrorCode.WATCH_NOT_FOUND, "no watch " + watchId + " in this session");
            return;
        }
        responses.watchCancelResponse(session.publication, correlationId, watchId, history.committedRevision());
    }

    /**
     * @return true if a request's block is at least its template's and ends within its message.
     */
    private static boolean isBlockWhole(final int blockLength, final int minimum, final int offset, final int end)
    {
        return blockLength >= minimum && offset + MessageHeaderDecoder.ENCODED_LENGTH + blockLength <= end;
    }

    private void onHashKv(
        final ReadSession session,
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final int blockLength,
        final int version,
        final long correlationId)
    {
        if (!isBlockWhole(blockLength, HashKvRequestDecoder.BLOCK_LENGTH, offset, end))
        {
            refuse(session, correlationId, ErrorCode.MALFORMED, "hash request runs past its message");
            return;
        }
        hashKvDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version);
        final long revision = hashKvDecoder.revision();
        final long committed = history.committedRevision();
        final long compacted = history.compactedRevision();
        if (revision < 0)
        {
            refuse(session, correlationId, ErrorCode.INVALID_ARGUMENT, "revision " + revision + " is negative");
        }
        else if (revision > committed)
        {
            refuse(session, correlationId, ErrorCode.FUTURE_REVISION, "required revision " + revision +
                " is a future revision; current revision " + committed);
        }
        else if (revision > 0 && revision < compacted)
        {
            responses.error(session.publication, correlationId, ErrorCode.COMPACTED, compacted, committed,
                "required revision " + revision + " has been compacted; compacted revision " + compacted);
        }
        else if (!hashKvWorker.take(session.clientId, correlationId, revision))
        {
            refuse(session, correlationId, ErrorCode.INVALID_ARGUMENT, "busy: " + HashKvWorker.MAX_WAITING +
                " hash requests already wait on this member; ask again later");
        }
    }

    private void onHashKvAnswer(final HashKvWorker.Answer answer)
    {
        final ReadSession session = sessions.get(answer.clientId());
        if (null == session || !session.isConnectAnswered)
        {
            return;
        }
        final long committed = history.committedRevision();
        if (null == answer.result())
        {
            responses.error(session.publication, answer.correlationId(), answer.code(), answer.compacted(), committed,
                answer.message());
        }
        else
        {
            responses.hashKv(session.publication, answer.correlationId(), answer.result().hash(),
                answer.result().revision(), answer.result().compactedRevision(), committed);
        }
    }

    private void onSnapshotRequest(final ReadSession session, final int templateId, final long correlationId)
    {
        if (null == snapshots)
        {
            refuse(session, correlationId, ErrorCode.UNKNOWN_TEMPLATE, "this member does not serve snapshots");
            return;
        }
        if (SnapshotSaveRequestDecoder.TEMPLATE_ID == templateId)
        {
            final String refusal = snapshots.save(session.responseChannel, session.responseStreamId, correlationId);
            if (null != refusal)
            {
                refuse(session, correlationId, ErrorCode.INVALID_ARGUMENT, refusal);
            }
            return;
        }
        if (takeWaiters.size() >= MAX_SNAPSHOT_TAKE_WAITERS)
        {
            refuse(session, correlationId, ErrorCode.INVALID_ARGUMENT, "too many snapshot requests waiting");
            return;
        }
        takeWaiters.add(new long[]{ session.clientId, correlationId, snapshots.requestTake() });
        nextHousekeepingNs = nowNs;
    }

    /**
     * Answer the snapshot requests a snapshot taken, or a failure, has answered.
     */
    private int answerTakes()
    {
        int workCount = 0;
        for (final Iterator<long[]> it = takeWaiters.iterator(); it.hasNext(); )
        {
            final long[] waiter = it.next();
            if (!snapshots.isTakeAnswered(waiter[2]))
            {
                continue;
            }
            it.remove();
            workCount++;
            final ReadSession session = sessions.get(waiter[0]);
            if (null == session || !session.isConnectAnswered)
            {
                continue;
            }
            final String error = snapshots.takeError();
            if (null == error)
            {
                responses.snapshotTaken(session.publication, waiter[1], snapshots.takePosition(),
                    snapshots.takeCount(), history.committedRevision());
            }
            else
            {
                refuse(session, waiter[1], ErrorCode.INVALID_ARGUMENT, error);
            }
        }
        return workCount;
    }

    private void onWatchProgress(final ReadSession session, final long correlationId)
    {
        // Every watch of the session has had all up to the lowest of their positions.
        long revision = tailRevision;
        for (final Watcher watcher : session.watchers.values())
        {
            revision = Math.min(revision, watcher.nextRevision - 1);
        }
        responses.watchProgress(session.publication, correlationId, Protocol.ALL_WATCHES, revision);
    }

    private void refuse(
        final ReadSession session, final long correlationId, final ErrorCode code, final String message)
    {
        responses.error(session.publication, correlationId, code, 0, history.committedRevision(), message);
    }

    /**
     * Check that variable length fields, back to back from {@code start}, lie within the message, recording where.
     */
    private boolean frameVarFields(final DirectBuffer buffer, final int start, final int end, final int count)
    {
        long position = start;
        for (int i = 0; i < count; i++)
        {
            if (position + Protocol.VAR_DATA_LENGTH_PREFIX > end)
            {
                return false;
            }
            final long length = buffer.getInt((int)position) & 0xFFFF_FFFFL;
            position += Protocol.VAR_DATA_LENGTH_PREFIX;
            if (position + length > end)
            {
                return false;
            }
            fieldOffsets[i] = (int)position;
            fieldLengths[i] = (int)length;
            position += length;
        }

        return true;
    }
}
