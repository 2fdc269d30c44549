package io.metastore.client;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import io.aeron.exceptions.RegistrationException;
import io.aeron.security.AuthenticationException;
import io.metastore.codecs.AlarmAction;
import io.metastore.codecs.AlarmType;
import io.metastore.codecs.ErrorCode;
import io.metastore.concurrent.IdleProfile;
import io.metastore.config.SettingNames;
import io.metastore.protocol.Protocol;
import io.metastore.protocol.SnapshotFile;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client of a MetaStore cluster. Thread safe: any thread may send requests; one I/O thread owns the connection.
 * <pre>{@code
 * try (MetaStoreClient client = MetaStoreClient.connect(new MetaStoreClient.Context()))
 * {
 *     client.put("greeting", "hello");
 *     RangeResult result = client.get("greeting");
 * }
 * }</pre>
 * Futures complete on the client's I/O thread, which sends every caller's requests and enforces their timeouts: a
 * callback must be short and must not block. A blocking form of this client's, or {@code get()} / {@code join()} on
 * one of its futures, called there fails at once with a {@link MetaStoreException}, sending nothing; chain with the
 * {@code *Async} forms, or move heavy work off the I/O thread with the {@code *Async} methods of
 * {@link CompletableFuture} and an executor. A blocking form waits at most the request timeout and a margin, then
 * fails with a {@link MetaStoreTimeoutException}.
 * <p>
 * A request that fails with a {@link MetaStoreException#isRetryable() retryable} error may or may not have been
 * applied, unless the error says the request was not sent: then it was not applied and never will be. A request
 * still waiting to be sent at its deadline (no leader, ingress back pressured, more than
 * {@link Context#maxInFlight()} requests not yet taken by the I/O thread) fails so, as does one that cannot be
 * encoded, without holding up the others.
 * <p>
 * Every request method takes the same path: the request is staged on the caller's thread, then registered and
 * encoded together as one record of a many-to-one ring that the I/O thread drains, coalescing the requests waiting
 * into one ingress message. Nothing is allocated on that path but the request's future and the caller's own bytes.
 * <p>
 * Watches, as etcd's, are served off the log by one member's read port (see
 * {@link #watch(byte[], WatchOptions, WatchListener)}), through a read session the client opens on its first watch
 * and moves to another member when that one is lost. So are serializable ranges (see
 * {@link RangeOptions#serializable(boolean)}), which take the same submission path and leave coalesced on the read
 * session's publication instead of ingress.
 */
public final class MetaStoreClient implements AutoCloseable
{
    private static final byte[] EMPTY = new byte[0];
    /**
     * A blocking form waits this long past the request timeout, by when the I/O thread has completed the request
     * unless something stalls it.
     */
    private static final long AWAIT_MARGIN_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long SNAPSHOT_SILENCE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Counter values of the client's own media driver, unless {@code aeron.counters.buffer.length} says otherwise:
     * Aeron's minimum, room for 8,192 counters where a client uses a few dozen. Aeron's default (8 MiB, with four
     * times as much metadata) makes a 48 MiB CnC file that the driver creates, zeroes in /dev/shm and deletes on
     * every start: 20-25 ms of a command line verb's start.
     */
    private static final int EMBEDDED_DRIVER_COUNTERS_BUFFER_LENGTH =
        io.aeron.driver.Configuration.COUNTERS_VALUES_BUFFER_LENGTH_MIN;

    private final Context ctx;
    private final long clientId;
    private final AtomicLong correlationIds = new AtomicLong();
    private final RequestRing requestRing;
    private final ThreadLocal<StagedRequest> stagedRequests = ThreadLocal.withInitial(StagedRequest::new);
    private final ClientConductor conductor;
    private final AgentRunner agentRunner;
    private final long awaitTimeoutNs;
    private final MediaDriver mediaDriver;
    private final Aeron aeron;
    private final WatchThreads ownWatchExecutor;
    private final WatchConductor watchConductor;
    private final ReadSession readSession;
    private volatile boolean isClosed;
    private LeaseKeepAlive.ExecutorScheduler keepAliveScheduler;

    private MetaStoreClient(final Context ctx)
    {
        this.ctx = ctx;
        this.clientId = new SecureRandom().nextLong() & Long.MAX_VALUE | 1;
        this.awaitTimeoutNs = ctx.requestTimeoutNs() + AWAIT_MARGIN_NS;
        MediaDriver mediaDriver = null;
        EmbeddedDriver embeddedDriver = null;
        Aeron aeron = null;
        AeronCluster aeronCluster = null;
        final WatchThreads ownWatchExecutor = null == ctx.watchExecutor() && !ctx.watchListenersOnIoThread() ?
            new WatchThreads(ctx.nanoClock()) : null;
        // Null: listeners on the I/O thread.
        final Executor watchExecutor = null != ownWatchExecutor ? ownWatchExecutor : ctx.watchExecutor();
        try
        {
            String aeronDirectoryName = ctx.aeronDirectoryName();
            if (null == aeronDirectoryName)
            {
                final boolean isDriverOnIoThread = ctx.driverOnIoThread();
                aeronDirectoryName = CommonContext.getAeronDirectoryName() + "-metastore-client-" + UUID.randomUUID();
                mediaDriver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .aeronDirectoryName(aeronDirectoryName)
                    .threadingMode(isDriverOnIoThread ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
                    // On the I/O thread the driver and Aeron's client stop and go together: a stall of that thread
                    // (a slow callback) must not make either take the other for dead when it runs again.
                    .clientLivenessTimeoutNs(isDriverOnIoThread ?
                        EmbeddedDriver.LIVENESS_TIMEOUT_NS : io.aeron.driver.Configuration.clientLivenessTimeoutNs())
                    .publicationUnblockTimeoutNs(isDriverOnIoThread ?
                        EmbeddedDriver.LIVENESS_TIMEOUT_NS + EmbeddedDriver.UNBLOCK_MARGIN_NS :
                        io.aeron.driver.Configuration.publicationUnblockTimeoutNs())
                    .sharedIdleStrategy(ctx.newIdleStrategy())
                    .termBufferSparseFile(true)
                    .counterValuesBufferLength(Integer.getInteger(
                        io.aeron.driver.Configuration.COUNTERS_VALUES_BUFFER_LENGTH_PROP_NAME,
                        EMBEDDED_DRIVER_COUNTERS_BUFFER_LENGTH))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .errorHandler(ctx.errorHandler()));
                if (isDriverOnIoThread)
                {
                    embeddedDriver = new EmbeddedDriver(mediaDriver.sharedAgentInvoker(), ctx.errorHandler());
                }
            }
            final Aeron.Context aeronContext = new Aeron.Context()
                .aeronDirectoryName(aeronDirectoryName)
                .useConductorAgentInvoker(null != embeddedDriver)
                .driverAgentInvoker(null == embeddedDriver ? null : embeddedDriver.awaitingInvoker())
                .errorHandler(ctx.errorHandler());
            if (null != embeddedDriver)
            {
                aeronContext.driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(EmbeddedDriver.LIVENESS_TIMEOUT_NS));
            }
            aeron = Aeron.connect(aeronContext);
            if (null != embeddedDriver)
            {
                embeddedDriver.clientConductorInvoker(aeron.conductorAgentInvoker());
            }

            requestRing = new RequestRing(ctx.requestRingBytes(), ctx.maxInFlight(), ctx.nanoClock());
            final SerializableReads reads = new SerializableReads(clientId, ctx.readSilenceTimeoutNs(),
                ctx.maxBatchRequests(), ctx.maxBatchBytes(), new SeenRevision(), ctx.errorHandler());

            final Aeron sharedAeron = aeron;
            final EmbeddedDriver sharedDriver = embeddedDriver;
            conductor = new ClientConductor(
                requestRing,
                reads,
                ctx.maxBatchRequests(),
                ctx.maxBatchBytes(),
                ctx.sessionSilenceTimeoutNs(),
                ctx.nanoClock(),
                ctx.errorHandler());
            conductor.reconnect(() -> AeronCluster.asyncConnect(
                clusterContext(ctx, sharedAeron, conductor, ctx.connectAttemptTimeoutNs(), sharedDriver)));
            watchConductor = new WatchConductor(
                ctx.watchQueueRevisions(),
                watchExecutor,
                ownWatchExecutor,
                ctx.errorHandler());
            readSession = new ReadSession(
                sharedAeron,
                clientId,
                ctx.readEndpoints(),
                ctx.readMemberId(),
                conductor::leaderMemberId,
                () -> leaderReadEndpoint(conductor, ctx),
                ctx.readResponseChannel(),
                ctx.ipc() ? ipcReadResponseStreamId(clientId) : Protocol.READ_RESPONSE_STREAM_ID,
                ctx.readKeepAliveIntervalNs(),
                ctx.readSilenceTimeoutNs(),
                watchConductor,
                reads,
                ctx.errorHandler());
            conductor.readSession(readSession);
            conductor.memberQueries(new MemberQueries(
                sharedAeron,
                ctx.readEndpoints(),
                ctx.readResponseChannel(),
                ctx.ipc(),
                ctx));
            aeronCluster = connectToLeader(ctx, sharedAeron, conductor, embeddedDriver);
            conductor.connected(ClusterSession.of(aeronCluster));
            agentRunner = new AgentRunner(ctx.newIdleStrategy(), ctx.errorHandler(), null,
                null == embeddedDriver ? conductor : embeddedDriver.withDriver(conductor));
            AgentRunner.startOnThread(agentRunner);
        }
        catch (final RuntimeException ex)
        {
            // An interrupt (a stop while connecting) would cut short the joins of the driver's threads: close first.
            final boolean isInterrupted = Thread.interrupted();
            CloseHelper.quietCloseAll(aeronCluster, aeron, mediaDriver);
            if (null != ownWatchExecutor)
            {
                ownWatchExecutor.shutdown();
            }
            if (isInterrupted)
            {
                Thread.currentThread().interrupt();
            }
            throw ex;
        }
        this.mediaDriver = mediaDriver;
        this.aeron = aeron;
        this.ownWatchExecutor = ownWatchExecutor;
    }

    /**
     * Connect to a cluster, waiting until a session with its leader is open.
     *
     * @param ctx configuration; concluded here.
     * @return the connected client.
     */
    public static MetaStoreClient connect(final Context ctx)
    {
        ctx.conclude();
        try
        {
            return new MetaStoreClient(ctx);
        }
        catch (final EndpointsRenumbered ex)
        {
            // The leader answered at an endpoint listed under another member's id: once more, numbered as it said.
            ctx.ingressEndpointsAsNumbered(ex.ingressEndpoints);
            return new MetaStoreClient(ctx);
        }
    }

    /**
     * Save a snapshot of one member's committed state to a new file, as {@code etcdctl snapshot save} does: the
     * member streams it from a consistent view of its store (the revision and log position it holds), off its log's
     * path, and the file gets a header with both and a checksum of the whole. Blocks until the file is complete; a
     * save that fails leaves no file.
     *
     * @param memberId of the member, leader or follower.
     * @param file     to create; must not exist.
     * @return the header of the file written.
     * @throws MetaStoreException if the member refuses or fails the save, or the file cannot be written.
     */
    public SnapshotFile.Header snapshotSave(final int memberId, final Path file)
    {
        try (SnapshotTransfer transfer = snapshotTransfer(memberId))
        {
            return transfer.save(file);
        }
    }

    /**
     * Have the cluster take a snapshot now, as the leader does every {@code metastore.snapshot.log.bytes} of log;
     * blocks until it is taken. A restart replays the log from the newest snapshot.
     *
     * @return the snapshot's log position.
     * @throws MetaStoreException if the leader refuses it, or it is not taken in time.
     */
    public SnapshotTakeResult snapshotTake()
    {
        try (SnapshotTransfer transfer = snapshotTransfer(leaderMemberId()))
        {
            return transfer.take();
        }
    }

    private SnapshotTransfer snapshotTransfer(final int memberId)
    {
        final String channel;
        if (ctx.ipc())
        {
            channel = ReadEndpoints.IPC_READ_CHANNEL;
        }
        else
        {
            final ReadEndpoints endpoints = ctx.readEndpoints();
            final int index = endpoints.indexOf(memberId);
            if (index < 0)
            {
                throw new MetaStoreException(ErrorCode.INVALID_ARGUMENT, "no member " + memberId + " among " +
                    ctx.ingressEndpoints());
            }
            channel = endpoints.channel(index);
        }
        return new SnapshotTransfer(aeron, channel, ctx.readResponseChannel(), memberId,
            Math.max(ctx.readSilenceTimeoutNs(), SNAPSHOT_SILENCE_TIMEOUT_NS), ctx.nanoClock(), ctx.newIdleStrategy());
    }

    /**
     * @return the client's configuration.
     */
    public Context context()
    {
        return ctx;
    }

    /**
     * @return the identity this client gives its requests, stable for its lifetime.
     */
    public long clientId()
    {
        return clientId;
    }

    /**
     * @return the member the client believes leads the cluster.
     */
    public int leaderMemberId()
    {
        return conductor.leaderMemberId();
    }

    /**
     * Put a key.
     *
     * @param key     to put.
     * @param value   to store.
     * @param options of the put.
     * @return the future result.
     */
    public CompletableFuture<PutResult> putAsync(final byte[] key, final byte[] value, final PutOptions options)
    {
        return submit(stagedRequests.get().put(key, value, options));
    }

    /**
     * Read {@code [key, rangeEnd)} as the options say.
     * <p>
     * A {@link RangeOptions#serializable(boolean) serializable} range at the latest revision is answered by the member
     * serving the client's read session (opened on the first such read, as for watches; see
     * {@link Context#readMemberId()}) from its own applied state: possibly stale, never older than what this client
     * has seen. It may be sent again, to the next member, if its member is lost: the key and range end given must then
     * not change until the future completes.
     *
     * @param key     the range starts at.
     * @param options of the range.
     * @return the future result.
     */
    public CompletableFuture<RangeResult> rangeAsync(final byte[] key, final RangeOptions options)
    {
        final byte[] rangeEnd = options.rangeEndFor(key);
        final StagedRequest staged = stagedRequests.get().range(key, rangeEnd, options);
        if (options.isForReadSession())
        {
            return submit(staged, new SerializableRange(conductor, awaitTimeoutNs, correlationIds.incrementAndGet(),
                ctx.nanoClock().nanoTime() + ctx.requestTimeoutNs(), key, rangeEnd, options));
        }

        return submit(staged);
    }

    /**
     * Delete {@code [key, rangeEnd)} as the options say.
     *
     * @param key     the range starts at.
     * @param options of the delete.
     * @return the future result.
     */
    public CompletableFuture<DeleteResult> deleteAsync(final byte[] key, final DeleteOptions options)
    {
        return submit(stagedRequests.get().deleteRange(key, options.rangeEndFor(key), options));
    }

    /**
     * Put a key and wait.
     *
     * @param key   to put.
     * @param value to store.
     * @return the result.
     */
    public PutResult put(final byte[] key, final byte[] value)
    {
        conductor.checkMayBlock();
        return await(putAsync(key, value, new PutOptions()));
    }

    /**
     * Put a UTF-8 key and value and wait.
     *
     * @param key   to put.
     * @param value to store.
     * @return the result.
     */
    public PutResult put(final String key, final String value)
    {
        return put(utf8(key), utf8(value));
    }

    /**
     * Put a key with options and wait.
     *
     * @param key     to put.
     * @param value   to store.
     * @param options of the put.
     * @return the result.
     */
    public PutResult put(final byte[] key, final byte[] value, final PutOptions options)
    {
        conductor.checkMayBlock();
        return await(putAsync(key, value, options));
    }

    /**
     * Read one key and wait.
     *
     * @param key to read.
     * @return the result, with no pairs if the key does not exist.
     */
    public RangeResult get(final byte[] key)
    {
        conductor.checkMayBlock();
        return await(rangeAsync(key, new RangeOptions()));
    }

    /**
     * Read one UTF-8 key and wait.
     *
     * @param key to read.
     * @return the result, with no pairs if the key does not exist.
     */
    public RangeResult get(final String key)
    {
        return get(utf8(key));
    }

    /**
     * Read a range and wait.
     *
     * @param key     the range starts at.
     * @param options of the range.
     * @return the result.
     */
    public RangeResult range(final byte[] key, final RangeOptions options)
    {
        conductor.checkMayBlock();
        return await(rangeAsync(key, options));
    }

    /**
     * Delete one key and wait.
     *
     * @param key to delete.
     * @return the result.
     */
    public DeleteResult delete(final byte[] key)
    {
        conductor.checkMayBlock();
        return await(deleteAsync(key, new DeleteOptions()));
    }

    /**
     * Delete one UTF-8 key and wait.
     *
     * @param key to delete.
     * @return the result.
     */
    public DeleteResult delete(final String key)
    {
        return delete(utf8(key));
    }

    /**
     * Delete a range and wait.
     *
     * @param key     the range starts at.
     * @param options of the delete.
     * @return the result.
     */
    public DeleteResult delete(final byte[] key, final DeleteOptions options)
    {
        conductor.checkMayBlock();
        return await(deleteAsync(key, options));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Watches, as etcd's Watch API, served off the log by a member's read port.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Watch the changes of {@code [key, rangeEnd)} as the options say, as etcd's {@code Watch}: the listener is told
     * the events of each revision, whole and in order, from the start revision on.
     * <p>
     * The watch is served by one member, off the log: the one {@link Context#readMemberId()} names, else the one the
     * client believes leads when its first watch starts. A member may be behind the leader by what it has not yet
     * applied. If that member is lost (silent for {@link Context#readSilenceTimeoutNs()}), the watch moves to the
     * next member in member order, from the revision after the last it delivered: no revision is missed, none is
     * delivered twice. The watch ends ({@link WatchListener#onTerminated(MetaStoreException)}) only when canceled,
     * when the client closes, or when the member cannot go on with it: a {@link CompactedException} if it starts
     * at or below the compacted revision, or falls that far behind.
     * <p>
     * The listener runs on the {@link Context#watchExecutor()}, one call at a time per watch. Up to
     * {@link Context#watchQueueRevisions()} revisions wait for it; a listener slower than that has its watch paused
     * at the member until it has taken most of them, then caught up from the member's history. So a slow listener
     * costs bounded memory and holds up no request; a listener that blocks holds up other watches for at most about
     * 20 ms with the client's own threads (see {@link Context#watchExecutor(Executor)}).
     *
     * @param key      the watched keys start at.
     * @param options  of the watch: range, start revision, filters.
     * @param listener told of the events, the progress and the end of the watch.
     * @return the watch; cancel or close it to stop.
     * @throws MetaStoreException if the client is closed.
     */
    public Watch watch(final byte[] key, final WatchOptions options, final WatchListener listener)
    {
        return startWatch(key, options, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Watch as {@link #watch(byte[], WatchOptions, WatchListener)}, reading the revisions by pulling.
     *
     * @param key     the watched keys start at.
     * @param options of the watch.
     * @return the watch's iterator; close it to stop the watch.
     * @throws MetaStoreException if the client is closed.
     */
    public WatchIterator watchIterator(final byte[] key, final WatchOptions options)
    {
        return new WatchIterator(startWatch(key, options, null));
    }

    /**
     * Ask the member serving the watches for the revision they have reached, as etcd's {@code RequestProgress}:
     * every watch running when the member takes the request is told {@link WatchListener#onProgress(long)}, after
     * the events up to that revision. Nothing is sent before the first watch, nor while no member serves them.
     */
    public void requestWatchProgress()
    {
        if (!isClosed)
        {
            watchConductor.requestProgress();
        }
    }

    /**
     * The read port of the member the client sends to as leader: a read session tries it after the members it was
     * given, so a client given one follower's endpoint moves its watches to the leader when that follower goes.
     */
    private static String leaderReadEndpoint(final ClientConductor conductor, final Context ctx)
    {
        final String endpoint = ctx.ipc() ? null : conductor.leaderIngressEndpoint();
        return null == endpoint ? null : ReadEndpoints.readEndpoint(endpoint);
    }

    /**
     * @return the member serving the client's watches and serializable reads now, or -1 if none is (no watch nor
     * serializable read yet, or moving to another).
     */
    public int watchMemberId()
    {
        return readSession.sessionMemberId();
    }

    private synchronized Watch startWatch(final byte[] key, final WatchOptions options, final WatchListener listener)
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        if (isClosed)
        {
            throw new MetaStoreException(null, "client is closed");
        }

        // Under the lock close() takes: the watch reaches the I/O thread before it closes, and is ended by it.
        return watchConductor.newWatch(key, options, listener);
    }

    static int ipcReadResponseStreamId(final long clientId)
    {
        // Every client of a driver subscribing to one IPC stream would see every session's responses.
        return (int)(clientId >>> 34) | 0x4000_0000;
    }

    private void shutdownWatchExecutor()
    {
        if (null != ownWatchExecutor)
        {
            ownWatchExecutor.shutdown();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Leases and transactions, as etcd's Lease and Txn APIs.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Grant a lease.
     *
     * @param ttlSeconds time to live; the cluster may raise a small TTL to its minimum.
     * @param leaseId    wanted, or 0 for one the cluster picks.
     * @return the future result; fails with {@code TTL_OUT_OF_RANGE}, {@code LEASE_EXISTS} or
     * {@code LEASE_LIMIT_EXCEEDED}.
     */
    public CompletableFuture<LeaseGrantResult> leaseGrantAsync(final long ttlSeconds, final long leaseId)
    {
        return submit(stagedRequests.get().leaseGrant(ttlSeconds, leaseId));
    }

    /**
     * Grant a lease with an id the cluster picks, and wait.
     *
     * @param ttlSeconds time to live.
     * @return the result, with the lease id and the TTL granted.
     */
    public LeaseGrantResult leaseGrant(final long ttlSeconds)
    {
        conductor.checkMayBlock();
        return await(leaseGrantAsync(ttlSeconds, 0));
    }

    /**
     * Grant a lease and wait.
     *
     * @param ttlSeconds time to live.
     * @param leaseId    wanted, or 0 for one the cluster picks.
     * @return the result, with the lease id and the TTL granted.
     */
    public LeaseGrantResult leaseGrant(final long ttlSeconds, final long leaseId)
    {
        conductor.checkMayBlock();
        return await(leaseGrantAsync(ttlSeconds, leaseId));
    }

    /**
     * Revoke a lease, deleting the keys attached to it.
     *
     * @param leaseId to revoke.
     * @return the future result; fails with {@code LEASE_NOT_FOUND}.
     */
    public CompletableFuture<LeaseRevokeResult> leaseRevokeAsync(final long leaseId)
    {
        return submit(stagedRequests.get().leaseRevoke(leaseId));
    }

    /**
     * Revoke a lease, deleting the keys attached to it, and wait.
     *
     * @param leaseId to revoke.
     * @return the result.
     */
    public LeaseRevokeResult leaseRevoke(final long leaseId)
    {
        conductor.checkMayBlock();
        return await(leaseRevokeAsync(leaseId));
    }

    /**
     * Renew a lease once, to its full TTL.
     *
     * @param leaseId to renew.
     * @return the future result; fails with {@code LEASE_NOT_FOUND}.
     */
    public CompletableFuture<LeaseKeepAliveResult> leaseKeepAliveOnceAsync(final long leaseId)
    {
        return submit(stagedRequests.get().leaseKeepAlive(leaseId));
    }

    /**
     * Renew a lease once, to its full TTL, and wait.
     *
     * @param leaseId to renew.
     * @return the result, with the TTL the lease now has.
     */
    public LeaseKeepAliveResult leaseKeepAliveOnce(final long leaseId)
    {
        conductor.checkMayBlock();
        return await(leaseKeepAliveOnceAsync(leaseId));
    }

    /**
     * Ask how long a lease has left. A lease that does not exist is not an error: its TTL is -1.
     *
     * @param leaseId  to ask about.
     * @param withKeys also list the keys attached to it.
     * @return the future result.
     */
    public CompletableFuture<LeaseTimeToLiveResult> leaseTimeToLiveAsync(final long leaseId, final boolean withKeys)
    {
        return submit(stagedRequests.get().leaseTimeToLive(leaseId, withKeys));
    }

    /**
     * Ask how long a lease has left, and wait.
     *
     * @param leaseId  to ask about.
     * @param withKeys also list the keys attached to it.
     * @return the result; its TTL is -1 if the lease does not exist.
     */
    public LeaseTimeToLiveResult leaseTimeToLive(final long leaseId, final boolean withKeys)
    {
        conductor.checkMayBlock();
        return await(leaseTimeToLiveAsync(leaseId, withKeys));
    }

    /**
     * List every live lease.
     *
     * @return the future result.
     */
    public CompletableFuture<LeaseListResult> leasesAsync()
    {
        return submit(stagedRequests.get().leaseList());
    }

    /**
     * List every live lease and wait.
     *
     * @return the result.
     */
    public LeaseListResult leases()
    {
        conductor.checkMayBlock();
        return await(leasesAsync());
    }

    /**
     * Keep a lease alive until the returned handle is closed: renew it now, then every third of its TTL, and tell
     * the listener if it is lost. See {@link LeaseKeepAlive}.
     *
     * @param leaseId  to keep alive.
     * @param listener of renewals and of the loss of the lease; called on the client's keep-alive thread.
     * @return the running keep-alive; close it to stop renewing.
     */
    public LeaseKeepAlive keepAlive(final long leaseId, final LeaseKeepAlive.Listener listener)
    {
        return LeaseKeepAlive.start(
            leaseId, listener, this::leaseKeepAliveOnceAsync, keepAliveScheduler(), ctx.requestTimeoutNs());
    }

    /**
     * Run a transaction: its compares, then its success or failure operations, atomically.
     *
     * @param txn to run.
     * @return the future result; fails, applying nothing, if the cluster refuses the transaction.
     */
    public CompletableFuture<TxnResult> txnAsync(final Txn txn)
    {
        return submit(stagedRequests.get().txn(txn));
    }

    /**
     * Run a transaction and wait.
     *
     * @param txn to run.
     * @return the result: whether the compares held, and the result of each operation that ran.
     */
    public TxnResult txn(final Txn txn)
    {
        conductor.checkMayBlock();
        return await(txnAsync(txn));
    }

    /**
     * List the active alarms of every member, as {@code etcdctl alarm list}.
     *
     * @return the future result: the active alarms, ordered by member id then type.
     */
    public CompletableFuture<AlarmResult> alarmListAsync()
    {
        return alarmAsync(AlarmAction.GET, 0, AlarmType.NONE);
    }

    /**
     * List the active alarms of every member and wait.
     *
     * @return the result: the active alarms, ordered by member id then type.
     */
    public AlarmResult alarmList()
    {
        conductor.checkMayBlock();
        return await(alarmListAsync());
    }

    /**
     * Raise an alarm for a member. While a {@link AlarmType#NOSPACE} alarm is active the cluster refuses puts,
     * transactions holding a put and lease grants with {@link NoSpaceException}. Raising an active alarm again is not
     * an error.
     *
     * @param memberId the alarm is for: the member that raises it.
     * @param alarm    type to raise; {@link AlarmType#NONE} raises nothing.
     * @return the future result: the alarm, now active.
     */
    public CompletableFuture<AlarmResult> alarmActivateAsync(final long memberId, final AlarmType alarm)
    {
        return alarmAsync(AlarmAction.ACTIVATE, memberId, alarm);
    }

    /**
     * Raise an alarm for a member and wait.
     *
     * @param memberId the alarm is for: the member that raises it.
     * @param alarm    type to raise; {@link AlarmType#NONE} raises nothing.
     * @return the result: the alarm, now active.
     */
    public AlarmResult alarmActivate(final long memberId, final AlarmType alarm)
    {
        conductor.checkMayBlock();
        return await(alarmActivateAsync(memberId, alarm));
    }

    /**
     * Clear a member's alarm. Clearing an alarm that is not active is not an error.
     *
     * @param memberId the alarm is for.
     * @param alarm    type to clear; {@link AlarmType#NONE} clears every alarm of every member, as
     *                 {@link #alarmDisarmAsync()}.
     * @return the future result: the alarms cleared, none if it was not active.
     */
    public CompletableFuture<AlarmResult> alarmDeactivateAsync(final long memberId, final AlarmType alarm)
    {
        return alarmAsync(AlarmAction.DEACTIVATE, memberId, alarm);
    }

    /**
     * Clear a member's alarm and wait.
     *
     * @param memberId the alarm is for.
     * @param alarm    type to clear; {@link AlarmType#NONE} clears every alarm of every member.
     * @return the result: the alarms cleared, none if it was not active.
     */
    public AlarmResult alarmDeactivate(final long memberId, final AlarmType alarm)
    {
        conductor.checkMayBlock();
        return await(alarmDeactivateAsync(memberId, alarm));
    }

    /**
     * Clear every active alarm of every member, as {@code etcdctl alarm disarm}, in one request (etcdctl lists, then
     * deactivates each).
     *
     * @return the future result: the alarms cleared.
     */
    public CompletableFuture<AlarmResult> alarmDisarmAsync()
    {
        return alarmAsync(AlarmAction.DEACTIVATE, 0, AlarmType.NONE);
    }

    /**
     * Clear every active alarm of every member and wait.
     *
     * @return the result: the alarms cleared.
     */
    public AlarmResult alarmDisarm()
    {
        conductor.checkMayBlock();
        return await(alarmDisarmAsync());
    }

    /**
     * Compact the history at a revision, as etcd's {@code Compact}: reads below it are refused from then on, on
     * every member. The answer comes once the compaction is applied; what it makes unreadable is removed from disk
     * after, in small steps, on every member ({@code physical} is accepted for etcd's sake and changes nothing).
     *
     * @param revision to compact at: above the compacted revision, at most the current one.
     * @param physical etcd's flag; see above.
     * @return the future result; fails with a {@link CompactedException} at or below the compacted revision.
     */
    public CompletableFuture<CompactResult> compactAsync(final long revision, final boolean physical)
    {
        return submit(stagedRequests.get().compact(revision, physical));
    }

    /**
     * Ask every member to reclaim the space of deleted and compacted data, as etcd's {@code Defragment}: the
     * request goes through the log, so it reaches every member, and each rewrites its store on a thread of its own
     * (it serves meanwhile). The answer comes once the request is applied, not once the space is reclaimed.
     *
     * @return the future result.
     */
    public CompletableFuture<DefragmentResult> defragmentAsync()
    {
        return submit(stagedRequests.get().defragment());
    }

    /**
     * Ask every member to reclaim space and wait for the request to be applied.
     *
     * @return the result.
     * @see #defragmentAsync()
     */
    public DefragmentResult defragment()
    {
        conductor.checkMayBlock();
        return await(defragmentAsync());
    }

    /**
     * Compact the history at a revision and wait.
     *
     * @param revision to compact at.
     * @return the result.
     * @see #compactAsync(long, boolean)
     */
    public CompactResult compact(final long revision)
    {
        conductor.checkMayBlock();
        return await(compactAsync(revision, false));
    }

    /**
     * Read the changes of revisions {@code [fromRevision, toRevision]} to the keys the options select (range end,
     * prefix or from-key; limit), in revision order: whole revisions, as many as one response holds; read again from
     * {@link ChangesResult#nextRevision()} for the rest. Linearizable: it goes through the log.
     *
     * @param key          the keys start at.
     * @param options      selecting the keys, and the most changes returned (whole revisions only).
     * @param fromRevision first revision, above the compacted one.
     * @param toRevision   last revision, 0 for the current one.
     * @return the future result; fails with a {@link CompactedException} if fromRevision is compacted.
     */
    public CompletableFuture<ChangesResult> changesAsync(
        final byte[] key, final RangeOptions options, final long fromRevision, final long toRevision)
    {
        return submit(stagedRequests.get().changes(
            key, options.rangeEndFor(key), fromRevision, toRevision, options.limit()));
    }

    /**
     * Read changes and wait.
     *
     * @param key          the keys start at.
     * @param options      selecting the keys.
     * @param fromRevision first revision.
     * @param toRevision   last revision, 0 for the current one.
     * @return the result.
     * @see #changesAsync(byte[], RangeOptions, long, long)
     */
    public ChangesResult changes(
        final byte[] key, final RangeOptions options, final long fromRevision, final long toRevision)
    {
        conductor.checkMayBlock();
        return await(changesAsync(key, options, fromRevision, toRevision));
    }

    private CompletableFuture<AlarmResult> alarmAsync(
        final AlarmAction action, final long memberId, final AlarmType alarm)
    {
        return submit(stagedRequests.get().alarm(action, memberId, alarm));
    }

    /**
     * The one submission path of every request: register it and write it, as one record of the request ring (see
     * {@link RequestRing}), or fail it as not sent.
     * <p>
     * The staged request is cleared before the future can complete here: a callback of a future failed at once runs
     * on this thread and may stage a request of its own.
     *
     * @param staged the thread's staged request: kind, arguments and length.
     * @return the request's future, failed if the request was not sent.
     */
    /**
     * A member's status, etcd's {@code Maintenance.Status}: its role, the leader it knows, its term, commit and
     * applied positions, store and log sizes, errors since start, version and counters. Asked of that member's read
     * port on a read session with it alone (opened on the first question to it and kept until the client closes),
     * whichever member serves the client's watches: a member that does not answer fails it at the request timeout.
     *
     * @param memberId of the member to ask, one of the client's endpoints.
     * @return the future status.
     */
    public CompletableFuture<MemberStatus> memberStatusAsync(final int memberId)
    {
        return submit(memberId, MemberQuery.status(conductor, awaitTimeoutNs, correlationIds.incrementAndGet(),
            ctx.nanoClock().nanoTime() + ctx.requestTimeoutNs(), memberId));
    }

    /**
     * Blocking form of {@link #memberStatusAsync(int)}.
     *
     * @param memberId of the member to ask.
     * @return the member's status.
     */
    public MemberStatus memberStatus(final int memberId)
    {
        conductor.checkMayBlock();
        return await(memberStatusAsync(memberId));
    }

    /**
     * A member's digest of its kept history up to a revision, etcd's {@code HashKV}: members holding the same state
     * answer the same hash for the same revision. Asked of that member's read port, as
     * {@link #memberStatusAsync(int)}; the member computes it on a thread of its own, one at a time. Refused with
     * {@code FUTURE_REVISION} above the member's revision and {@code COMPACTED} ({@link CompactedException}) below
     * its compacted revision.
     *
     * @param memberId of the member to ask, one of the client's endpoints.
     * @param revision to hash up to, 0 for the member's current revision.
     * @return the future result.
     */
    public CompletableFuture<HashKvResult> hashKvAsync(final int memberId, final long revision)
    {
        final MemberQuery query = MemberQuery.hashKv(conductor, awaitTimeoutNs, correlationIds.incrementAndGet(),
            ctx.nanoClock().nanoTime() + ctx.requestTimeoutNs(), memberId, Math.max(revision, 0));
        if (revision < 0)
        {
            query.completeExceptionally(new MetaStoreException(ErrorCode.INVALID_ARGUMENT,
                "revision " + revision + " is negative; request was not sent"));
            return cast(query);
        }

        return submit(memberId, query);
    }

    /**
     * Blocking form of {@link #hashKvAsync(int, long)}.
     *
     * @param memberId of the member to ask.
     * @param revision to hash up to, 0 for the member's current revision.
     * @return the result.
     */
    public HashKvResult hashKv(final int memberId, final long revision)
    {
        conductor.checkMayBlock();
        return await(hashKvAsync(memberId, revision));
    }

    private <T> CompletableFuture<T> submit(final int memberId, final MemberQuery query)
    {
        final MemberQueries queries = conductor.memberQueries();
        if (isClosed)
        {
            query.completeExceptionally(new MetaStoreException(null, "client is closed"));
        }
        else if (!queries.isMember(memberId))
        {
            query.completeExceptionally(new MetaStoreException(ErrorCode.INVALID_ARGUMENT, "no member " + memberId +
                " among the client's endpoints; request was not sent"));
        }
        else
        {
            queries.submit(query);
            if (isClosed)
            {
                query.completeExceptionally(new MetaStoreException(null, "client closed"));
            }
        }

        return cast(query);
    }

    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<T> cast(final PendingRequest request)
    {
        return (CompletableFuture<T>)(CompletableFuture<?>)request;
    }

    private <T> CompletableFuture<T> submit(final StagedRequest staged)
    {
        return submit(staged, new PendingRequest(
            conductor,
            awaitTimeoutNs,
            correlationIds.incrementAndGet(),
            staged.responseTemplateId(),
            ctx.nanoClock().nanoTime() + ctx.requestTimeoutNs()));
    }

    /**
     * Submit a request as {@link #submit(StagedRequest)} does, registered as the request given.
     *
     * @param staged  the thread's staged request.
     * @param request registration of the request: its correlation id, response template and deadline.
     * @return the request's future, failed if the request was not sent.
     */
    private <T> CompletableFuture<T> submit(final StagedRequest staged, final PendingRequest request)
    {
        MetaStoreException failure;
        try
        {
            failure = isClosed ?
                new MetaStoreException(null, "client is closed") : requestRing.offer(request, staged, clientId);
        }
        finally
        {
            staged.clear();
        }

        if (null == failure && isClosed)
        {
            // Closed while the request went into the ring: the I/O thread may have failed every request before.
            failure = new MetaStoreException(null, "client closed");
        }
        if (null != failure)
        {
            request.completeExceptionally(failure);
        }

        @SuppressWarnings("unchecked")
        final CompletableFuture<T> future = (CompletableFuture<T>)(CompletableFuture<?>)request;
        return future;
    }

    private synchronized LeaseKeepAlive.Scheduler keepAliveScheduler()
    {
        if (isClosed)
        {
            throw new MetaStoreException(null, "client is closed");
        }
        if (null == keepAliveScheduler)
        {
            keepAliveScheduler = new LeaseKeepAlive.ExecutorScheduler("metastore-keepalive-" + clientId);
        }

        return keepAliveScheduler;
    }

    private synchronized void closeKeepAliveScheduler()
    {
        CloseHelper.close(keepAliveScheduler);
        keepAliveScheduler = null;
    }

    /**
     * Fail what is in flight, end every watch (its listener is told, with no code), close the session and, if the
     * client started them, its watch threads and media driver. Safe to call from any thread, more than once: a
     * second call returns once the first has closed everything.
     */
    public synchronized void close()
    {
        if (!isClosed)
        {
            isClosed = true;
            requestRing.close();
            CloseHelper.closeAll(
                this::closeKeepAliveScheduler, agentRunner, this::shutdownWatchExecutor, aeron, mediaDriver);
        }
    }

    /**
     * Wait for a future, unwrapping the failure. A future of this client's, or a stage chained on one, is waited for
     * at most the request timeout and a margin, and refuses to be waited for on the client's I/O thread.
     *
     * @param future to wait for.
     * @param <T>    type of its result.
     * @return its result.
     * @throws MetaStoreException        if the request failed, or at once if called on the client's I/O thread.
     * @throws MetaStoreTimeoutException if a future of this client's is not complete within the bound.
     */
    public static <T> T await(final CompletableFuture<T> future)
    {
        if (future instanceof ClientFuture<T> clientFuture)
        {
            return clientFuture.await();
        }

        try
        {
            return future.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new MetaStoreException(null, "interrupted");
        }
        catch (final ExecutionException ex)
        {
            throw unwrap(ex);
        }
    }

    static MetaStoreException unwrap(final ExecutionException ex)
    {
        if (ex.getCause() instanceof MetaStoreException metaStoreException)
        {
            return metaStoreException;
        }

        return new MetaStoreException(null, String.valueOf(ex.getCause()));
    }

    private static byte[] utf8(final String text)
    {
        return null == text ? EMPTY : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Connect in attempts of at most {@link Context#connectAttemptTimeoutNs()} until a leader answers or the connect
     * timeout passes. One attempt is not enough: a member that is not the leader redirects the attempt to the leader
     * it knows, and during an election that is the leader just lost, so Aeron's attempt waits on a member that will
     * never answer until its own deadline.
     */
    private static AeronCluster connectToLeader(
        final Context ctx, final Aeron aeron, final ClientConductor conductor, final EmbeddedDriver embeddedDriver)
    {
        final NanoClock clock = aeron.context().nanoClock();
        final long deadlineNs = clock.nanoTime() + ctx.connectTimeoutNs();
        final IdleStrategy idle = ctx.newIdleStrategy();
        int attempts = 0;
        RuntimeException lastError = null;
        while (true)
        {
            final long remainingNs = deadlineNs - clock.nanoTime();
            if (remainingNs <= 0)
            {
                throw new MetaStoreException(null,
                    "cannot connect to the cluster at " + (ctx.ipc() ? "ipc" : ctx.endpoints()) + " within " +
                    Configuration.CONNECT_TIMEOUT_MS_PROP_NAME + "=" +
                    TimeUnit.NANOSECONDS.toMillis(ctx.connectTimeoutNs()) + " ms (" + attempts +
                    " attempts): no leader answered" + (null == lastError ? "" : "; last: " + lastError.getMessage()),
                    lastError);
            }

            AeronCluster.AsyncConnect asyncConnect = null;
            try
            {
                asyncConnect = AeronCluster.asyncConnect(
                    clusterContext(ctx, aeron, conductor, Math.min(remainingNs, ctx.connectAttemptTimeoutNs()),
                    embeddedDriver));
                AeronCluster connected;
                while (null == (connected = asyncConnect.poll()))
                {
                    idle.idle(null == embeddedDriver ? 0 : embeddedDriver.invoke());
                }

                final String renumbered = ctx.ipc() ? null : renumberedIngressEndpoints(
                    ctx.ingressEndpoints(), connected.leaderMemberId(), connected.ingressPublication().channel());
                if (null != renumbered)
                {
                    CloseHelper.quietClose(connected);
                    throw new EndpointsRenumbered(renumbered, ctx.endpoints(), connected.leaderMemberId());
                }

                return connected;
            }
            catch (final EndpointsRenumbered ex)
            {
                throw ex;
            }
            catch (final AuthenticationException | RegistrationException | ConfigurationException ex)
            {
                CloseHelper.quietClose(asyncConnect);
                throw new MetaStoreException(null, "cannot connect to the cluster: " + ex.getMessage(), ex);
            }
            catch (final RuntimeException ex)
            {
                // Timed out waiting on a member, or redirected to none: try again while the connect timeout lasts.
                CloseHelper.quietClose(asyncConnect);
                if (Thread.currentThread().isInterrupted())
                {
                    throw new MetaStoreException(null, "interrupted while connecting", ex);
                }
                lastError = ex;
                attempts++;
                idle.reset();
            }
        }
    }

    /**
     * The ingress endpoints numbered as the cluster numbers its members, if the leader answered at an endpoint listed
     * under another member's id (plain endpoints are numbered in the order given, and a list in another order, or one
     * endpoint of a member other than 0, numbers them wrongly). Aeron keeps the ingress publication of the leader's
     * id and closes the others, so a session opened that way could send nothing.
     *
     * @param ingressEndpoints as numbered, {@code id=host:port,...}.
     * @param leaderMemberId   the leader that answered.
     * @param ingressChannel   of the publication it answered on, naming its endpoint.
     * @return the endpoints renumbered, the one the leader answered at under its id and the one listed under that id
     * under the other's, or null if the leader is listed under its own id.
     */
    static String renumberedIngressEndpoints(
        final String ingressEndpoints, final int leaderMemberId, final String ingressChannel)
    {
        final String endpoint = ChannelUri.parse(ingressChannel).get(CommonContext.ENDPOINT_PARAM_NAME);
        final Map<Integer, String> byId = new TreeMap<>();
        int listedId = -1;
        for (final String member : ingressEndpoints.split(","))
        {
            final int equalsIndex = member.indexOf('=');
            final int id = Integer.parseInt(member.substring(0, equalsIndex));
            final String memberEndpoint = member.substring(equalsIndex + 1);
            byId.put(id, memberEndpoint);
            if (memberEndpoint.equals(endpoint))
            {
                listedId = id;
            }
        }
        if (null == endpoint || listedId == leaderMemberId || listedId < 0)
        {
            return null;
        }

        final String displaced = byId.put(leaderMemberId, endpoint);
        byId.remove(listedId);
        if (null != displaced)
        {
            byId.put(listedId, displaced);
        }
        final StringBuilder sb = new StringBuilder();
        byId.forEach((id, memberEndpoint) -> sb.append(sb.length() > 0 ? "," : "").append(id).append('=')
            .append(memberEndpoint));

        return sb.toString();
    }

    /**
     * Thrown by a connect whose leader answered at an endpoint listed under another member's id, with the endpoints
     * numbered as the cluster numbers them; {@link #connect(Context)} connects once more with those.
     */
    static final class EndpointsRenumbered extends MetaStoreException
    {
        private static final long serialVersionUID = 1L;

        final String ingressEndpoints;

        EndpointsRenumbered(final String ingressEndpoints, final String endpoints, final int leaderMemberId)
        {
            super(null, "the leader, member " + leaderMemberId + ", answered at an endpoint listed under another " +
                "member's id in " + Configuration.ENDPOINTS_PROP_NAME + "=" + endpoints + " (plain endpoints are " +
                "numbered in the order given); numbered as the cluster numbers them: " + ingressEndpoints);
            this.ingressEndpoints = ingressEndpoints;
        }
    }

    private static AeronCluster.Context clusterContext(
        final Context ctx,
        final Aeron aeron,
        final ClientConductor egressListener,
        final long attemptTimeoutNs,
        final EmbeddedDriver embeddedDriver)
    {
        // Aeron's cluster client waits for the new leader's ingress publication in a loop of its own, running the
        // Aeron client's invokers and this one: the driver, when it runs on the I/O thread, which is the one waiting.
        return new AeronCluster.Context()
            .agentInvoker(null == embeddedDriver ? null : embeddedDriver.awaitingInvoker())
            .aeron(aeron)
            .ownsAeronClient(false)
            .ingressEndpoints(ctx.ipc() ? null : ctx.ingressEndpoints())
            .ingressChannel(ctx.ingressChannel())
            .egressChannel(ctx.ipc() ? Configuration.IPC_CHANNEL : ctx.egressChannel())
            .messageTimeoutNs(attemptTimeoutNs)
            .egressListener(egressListener);
    }

    /**
     * Names and defaults of the client's settings; each is a system property.
     */
    public static final class Configuration
    {
        /**
         * Ingress endpoints of the members: {@code host:port,...} in member order, or Aeron's
         * {@code 0=host:port,1=host:port}.
         */
        public static final String ENDPOINTS_PROP_NAME = "metastore.endpoints";

        /**
         * Default endpoints: a single node on loopback with the default base port.
         */
        public static final String ENDPOINTS_DEFAULT = "localhost:21000";

        /**
         * The value {@link #ENDPOINTS_DEFAULT} or system property {@link #ENDPOINTS_PROP_NAME} if set.
         *
         * @return {@link #ENDPOINTS_DEFAULT} or system property {@link #ENDPOINTS_PROP_NAME} if set.
         */
        public static String endpoints()
        {
            return System.getProperty(ENDPOINTS_PROP_NAME, ENDPOINTS_DEFAULT);
        }

        /**
         * Aeron directory of a media driver to use; unset, the client starts its own.
         */
        public static final String AERON_DIR_PROP_NAME = "metastore.client.aeron.dir";

        /**
         * The system property {@link #AERON_DIR_PROP_NAME}; unset, the client starts a media driver of its own.
         *
         * @return system property {@link #AERON_DIR_PROP_NAME}, or null if it is not set.
         */
        public static String aeronDirectoryName()
        {
            return System.getProperty(AERON_DIR_PROP_NAME);
        }

        /**
         * Talk to a node on this machine through its media driver by IPC rather than UDP loopback; needs
         * {@link #AERON_DIR_PROP_NAME} set to the node's Aeron directory.
         */
        public static final String IPC_PROP_NAME = "metastore.client.ipc";

        /**
         * The system property {@link #IPC_PROP_NAME}, false unless set to true.
         *
         * @return true if system property {@link #IPC_PROP_NAME} is set to true.
         */
        public static boolean ipc()
        {
            return Boolean.getBoolean(IPC_PROP_NAME);
        }

        /**
         * Channel of ingress and egress when {@link #IPC_PROP_NAME} is set: shared memory, with 16 MiB terms whatever
         * the node's driver gives IPC by default (its log term length), so that a message may be as long as over UDP
         * (2 MiB, an eighth of a term): room for the largest request and response.
         */
        public static final String IPC_CHANNEL = "aeron:ipc?term-length=16m";

        /**
         * Channel the cluster answers on.
         */
        public static final String EGRESS_CHANNEL_PROP_NAME = "metastore.client.egress.channel";

        /**
         * Default egress channel: loopback, an ephemeral port.
         */
        public static final String EGRESS_CHANNEL_DEFAULT = "aeron:udp?endpoint=localhost:0";

        /**
         * The value {@link #EGRESS_CHANNEL_DEFAULT} or system property {@link #EGRESS_CHANNEL_PROP_NAME} if set.
         *
         * @return {@link #EGRESS_CHANNEL_DEFAULT} or system property {@link #EGRESS_CHANNEL_PROP_NAME} if set.
         */
        public static String egressChannel()
        {
            return System.getProperty(EGRESS_CHANNEL_PROP_NAME, EGRESS_CHANNEL_DEFAULT);
        }

        /**
         * Time a request waits for its response, in milliseconds.
         */
        public static final String REQUEST_TIMEOUT_MS_PROP_NAME = "metastore.client.request.timeout.ms";

        /**
         * Default request timeout.
         */
        public static final long REQUEST_TIMEOUT_MS_DEFAULT = 5000;

        /**
         * The value {@link #REQUEST_TIMEOUT_MS_DEFAULT} or system property {@link #REQUEST_TIMEOUT_MS_PROP_NAME} if
         * set, in nanoseconds.
         *
         * @return {@link #REQUEST_TIMEOUT_MS_DEFAULT} or system property {@link #REQUEST_TIMEOUT_MS_PROP_NAME} if set,
         * in nanoseconds.
         */
        public static long requestTimeoutNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(
                Long.getLong(REQUEST_TIMEOUT_MS_PROP_NAME, REQUEST_TIMEOUT_MS_DEFAULT));
        }

        /**
         * Time to connect, and to reconnect after a lost session, in milliseconds.
         */
        public static final String CONNECT_TIMEOUT_MS_PROP_NAME = "metastore.client.connect.timeout.ms";

        /**
         * Default connect timeout.
         */
        public static final long CONNECT_TIMEOUT_MS_DEFAULT = 10_000;

        /**
         * The value {@link #CONNECT_TIMEOUT_MS_DEFAULT} or system property {@link #CONNECT_TIMEOUT_MS_PROP_NAME} if
         * set, in nanoseconds.
         *
         * @return {@link #CONNECT_TIMEOUT_MS_DEFAULT} or system property {@link #CONNECT_TIMEOUT_MS_PROP_NAME} if set,
         * in nanoseconds.
         */
        public static long connectTimeoutNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(
                Long.getLong(CONNECT_TIMEOUT_MS_PROP_NAME, CONNECT_TIMEOUT_MS_DEFAULT));
        }

        /**
         * Most time one attempt to connect waits for a member, in milliseconds; attempts repeat within the connect
         * timeout, so that a client connecting during an election, redirected to the leader just lost, tries again
         * until the new leader answers.
         */
        public static final String CONNECT_ATTEMPT_TIMEOUT_MS_PROP_NAME = "metastore.client.connect.attempt.timeout.ms";

        /**
         * Default connect attempt timeout.
         */
        public static final long CONNECT_ATTEMPT_TIMEOUT_MS_DEFAULT = 1000;

        /**
         * The value {@link #CONNECT_ATTEMPT_TIMEOUT_MS_DEFAULT} or system property
         * {@link #CONNECT_ATTEMPT_TIMEOUT_MS_PROP_NAME} if set, in nanoseconds.
         *
         * @return {@link #CONNECT_ATTEMPT_TIMEOUT_MS_DEFAULT} or system property
         * {@link #CONNECT_ATTEMPT_TIMEOUT_MS_PROP_NAME} if set, in nanoseconds.
         */
        public static long connectAttemptTimeoutNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(
                Long.getLong(CONNECT_ATTEMPT_TIMEOUT_MS_PROP_NAME, CONNECT_ATTEMPT_TIMEOUT_MS_DEFAULT));
        }

        /**
         * Silence on egress, in milliseconds, after which a request sent and timed out means the session is lost:
         * the client closes it and connects again. A member restarted at once (a single node, or a whole cluster)
         * forgets its sessions without telling them and drops their ingress, while the client's driver keeps the
         * egress image for its image liveness timeout (10 s) and Aeron then waits a new leader timeout (twice the
         * leader heartbeat timeout) for an event that never comes. The default is the node's default leader
         * heartbeat timeout, the silence after which the members too deem a leader lost.
         */
        public static final String SESSION_SILENCE_TIMEOUT_MS_PROP_NAME =
            "metastore.client.session.silence.timeout.ms";

        /**
         * Default session silence timeout.
         */
        public static final long SESSION_SILENCE_TIMEOUT_MS_DEFAULT = 3000;

        /**
         * The value {@link #SESSION_SILENCE_TIMEOUT_MS_DEFAULT} or system property
         * {@link #SESSION_SILENCE_TIMEOUT_MS_PROP_NAME} if set, in nanoseconds.
         *
         * @return {@link #SESSION_SILENCE_TIMEOUT_MS_DEFAULT} or system property
         * {@link #SESSION_SILENCE_TIMEOUT_MS_PROP_NAME} if set, in nanoseconds.
         */
        public static long sessionSilenceTimeoutNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(
                Long.getLong(SESSION_SILENCE_TIMEOUT_MS_PROP_NAME, SESSION_SILENCE_TIMEOUT_MS_DEFAULT));
        }

        /**
         * Most requests submitted and not yet read by the client's I/O thread (rounded up to a power of two): the size
         * of the table each request waits in until then. A caller finding no room backs off, and fails its request as
         * not sent if it finds none within the request timeout.
         */
        public static final String MAX_IN_FLIGHT_PROP_NAME = "metastore.client.max.in.flight";

        /**
         * Default most requests in flight.
         */
        public static final int MAX_IN_FLIGHT_DEFAULT = 64 * 1024;

        /**
         * The value {@link #MAX_IN_FLIGHT_DEFAULT} or system property {@link #MAX_IN_FLIGHT_PROP_NAME} if set.
         *
         * @return {@link #MAX_IN_FLIGHT_DEFAULT} or system property {@link #MAX_IN_FLIGHT_PROP_NAME} if set.
         */
        public static int maxInFlight()
        {
            return Integer.getInteger(MAX_IN_FLIGHT_PROP_NAME, MAX_IN_FLIGHT_DEFAULT);
        }

        /**
         * Bytes of the ring requests wait in before they are sent; the largest request is an eighth of it.
         */
        public static final String REQUEST_RING_BYTES_PROP_NAME = "metastore.client.request.ring.bytes";

        /**
         * Default request ring: 16 MiB, so a 1 MiB value fits.
         */
        public static final int REQUEST_RING_BYTES_DEFAULT = 16 * 1024 * 1024;

        /**
         * The value {@link #REQUEST_RING_BYTES_DEFAULT} or system property {@link #REQUEST_RING_BYTES_PROP_NAME} if
         * set.
         *
         * @return {@link #REQUEST_RING_BYTES_DEFAULT} or system property {@link #REQUEST_RING_BYTES_PROP_NAME} if set.
         */
        public static int requestRingBytes()
        {
            return Integer.getInteger(REQUEST_RING_BYTES_PROP_NAME, REQUEST_RING_BYTES_DEFAULT);
        }

        /**
         * Most requests coalesced into one ingress message, and serializable reads into one read session message; 1
         * turns coalescing off.
         */
        public static final String MAX_BATCH_REQUESTS_PROP_NAME = "metastore.client.max.batch.requests";

        /**
         * Default most requests per ingress message.
         */
        public static final int MAX_BATCH_REQUESTS_DEFAULT = 256;

        /**
         * The value {@link #MAX_BATCH_REQUESTS_DEFAULT} or system property {@link #MAX_BATCH_REQUESTS_PROP_NAME} if
         * set.
         *
         * @return {@link #MAX_BATCH_REQUESTS_DEFAULT} or system property {@link #MAX_BATCH_REQUESTS_PROP_NAME} if set.
         */
        public static int maxBatchRequests()
        {
            return Integer.getInteger(MAX_BATCH_REQUESTS_PROP_NAME, MAX_BATCH_REQUESTS_DEFAULT);
        }

        /**
         * Most bytes coalesced into one ingress message, or read session message (a larger request goes alone).
         */
        public static final String MAX_BATCH_BYTES_PROP_NAME = "metastore.client.max.batch.bytes";

        /**
         * Default most bytes per ingress message.
         */
        public static final int MAX_BATCH_BYTES_DEFAULT = 64 * 1024;

        /**
         * The value {@link #MAX_BATCH_BYTES_DEFAULT} or system property {@link #MAX_BATCH_BYTES_PROP_NAME} if set.
         *
         * @return {@link #MAX_BATCH_BYTES_DEFAULT} or system property {@link #MAX_BATCH_BYTES_PROP_NAME} if set.
         */
        public static int maxBatchBytes()
        {
            return Integer.getInteger(MAX_BATCH_BYTES_PROP_NAME, MAX_BATCH_BYTES_DEFAULT);
        }

        /**
         * Member the client's read session (its watches and serializable reads) opens with first: a member id, or -1
         * for the member the client believes leads when the session opens. After a member is lost the session moves
         * round robin.
         */
        public static final String READ_MEMBER_PROP_NAME = "metastore.client.read.member";

        /**
         * Default read member: the leader.
         */
        public static final int READ_MEMBER_DEFAULT = -1;

        /**
         * The value {@link #READ_MEMBER_DEFAULT} or system property {@link #READ_MEMBER_PROP_NAME} if set.
         *
         * @return {@link #READ_MEMBER_DEFAULT} or system property {@link #READ_MEMBER_PROP_NAME} if set.
         */
        public static int readMemberId()
        {
            return Integer.getInteger(READ_MEMBER_PROP_NAME, READ_MEMBER_DEFAULT);
        }

        /**
         * Channel a member answers the client's read session on (responses and watch events), stream
         * {@link Protocol#READ_RESPONSE_STREAM_ID}; a port 0 is resolved once bound. Unset, the egress channel's, on a
         * port of its own (with {@link #IPC_PROP_NAME}, {@link #IPC_CHANNEL} on a stream of the client's own).
         */
        public static final String READ_RESPONSE_CHANNEL_PROP_NAME = "metastore.client.read.response.channel";

        /**
         * The system property {@link #READ_RESPONSE_CHANNEL_PROP_NAME}; unset, the egress channel is used.
         *
         * @return system property {@link #READ_RESPONSE_CHANNEL_PROP_NAME}, or null if it is not set.
         */
        public static String readResponseChannel()
        {
            return System.getProperty(READ_RESPONSE_CHANNEL_PROP_NAME);
        }

        /**
         * MTU of the UDP channels to and from a member on a loopback address: ingress, egress, the read session's
         * both ways. 0 leaves Aeron's default (1,408 bytes, {@code aeron.mtu.length}); a channel naming its own
         * {@code mtu} keeps it. See {@link LoopbackMtu}.
         */
        public static final String LOOPBACK_MTU_PROP_NAME = "metastore.client.loopback.mtu";

        /**
         * Default MTU on loopback: the largest Aeron takes. Against Aeron's default, on two cores: puts at 100 in
         * flight +11 %, and +35 % with ten watchers receiving every event.
         */
        public static final int LOOPBACK_MTU_DEFAULT = LoopbackMtu.MAX_MTU_LENGTH;

        /**
         * The value {@link #LOOPBACK_MTU_DEFAULT} or system property {@link #LOOPBACK_MTU_PROP_NAME} if set.
         *
         * @return {@link #LOOPBACK_MTU_DEFAULT} or system property {@link #LOOPBACK_MTU_PROP_NAME} if set.
         */
        public static int loopbackMtu()
        {
            return Integer.getInteger(LOOPBACK_MTU_PROP_NAME, LOOPBACK_MTU_DEFAULT);
        }

        /**
         * Silence of the member serving the watches, in milliseconds, after which it is deemed lost and the watches
         * move to the next member: it answers each keep-alive, so only a member gone or cut off is silent that long.
         * Also the time after which a serializable read the member has not answered is sent to it again.
         */
        public static final String READ_SILENCE_TIMEOUT_MS_PROP_NAME = "metastore.client.read.silence.timeout.ms";

        /**
         * Default read silence timeout.
         */
        public static final long READ_SILENCE_TIMEOUT_MS_DEFAULT = 2000;

        /**
         * The value {@link #READ_SILENCE_TIMEOUT_MS_DEFAULT} or system property
         * {@link #READ_SILENCE_TIMEOUT_MS_PROP_NAME} if set, in nanoseconds.
         *
         * @return {@link #READ_SILENCE_TIMEOUT_MS_DEFAULT} or system property
         * {@link #READ_SILENCE_TIMEOUT_MS_PROP_NAME} if set, in nanoseconds.
         */
        public static long readSilenceTimeoutNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(
                Long.getLong(READ_SILENCE_TIMEOUT_MS_PROP_NAME, READ_SILENCE_TIMEOUT_MS_DEFAULT));
        }

        /**
         * Interval between the read session's keep-alives, in milliseconds, below the read silence timeout; also the
         * least time between two attempts to open a read session. A member drops a session it has not heard from
         * for some 10 s, its watches with it.
         */
        public static final String READ_KEEPALIVE_INTERVAL_MS_PROP_NAME =
            "metastore.client.read.keepalive.interval.ms";

        /**
         * Default read keep-alive interval.
         */
        public static final long READ_KEEPALIVE_INTERVAL_MS_DEFAULT = 250;

        /**
         * The value {@link #READ_KEEPALIVE_INTERVAL_MS_DEFAULT} or system property
         * {@link #READ_KEEPALIVE_INTERVAL_MS_PROP_NAME} if set, in nanoseconds.
         *
         * @return {@link #READ_KEEPALIVE_INTERVAL_MS_DEFAULT} or system property
         * {@link #READ_KEEPALIVE_INTERVAL_MS_PROP_NAME} if set, in nanoseconds.
         */
        public static long readKeepAliveIntervalNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(
                Long.getLong(READ_KEEPALIVE_INTERVAL_MS_PROP_NAME, READ_KEEPALIVE_INTERVAL_MS_DEFAULT));
        }

        /**
         * Most revisions a watch holds for its listener (or iterator) before it is paused at the member: the bound
         * of a watch's memory when its listener is slow. The watch resumes, from the member's history, once a
         * quarter of them are left.
         */
        public static final String WATCH_QUEUE_REVISIONS_PROP_NAME = "metastore.client.watch.queue.revisions";

        /**
         * Default revisions queued per watch.
         */
        public static final int WATCH_QUEUE_REVISIONS_DEFAULT = 4096;

        /**
         * The value {@link #WATCH_QUEUE_REVISIONS_DEFAULT} or system property {@link #WATCH_QUEUE_REVISIONS_PROP_NAME}
         * if set.
         *
         * @return {@link #WATCH_QUEUE_REVISIONS_DEFAULT} or system property {@link #WATCH_QUEUE_REVISIONS_PROP_NAME}
         * if set.
         */
        public static int watchQueueRevisions()
        {
            return Integer.getInteger(WATCH_QUEUE_REVISIONS_PROP_NAME, WATCH_QUEUE_REVISIONS_DEFAULT);
        }

        /**
         * Run watch listeners on the client's I/O thread: true or false.
         */
        public static final String WATCH_LISTENERS_ON_IO_THREAD_PROP_NAME =
            "metastore.client.watch.listeners.on.io.thread";

        /**
         * The system property {@link #WATCH_LISTENERS_ON_IO_THREAD_PROP_NAME}, false if not set.
         *
         * @return the system property {@link #WATCH_LISTENERS_ON_IO_THREAD_PROP_NAME}, false if not set.
         */
        public static boolean watchListenersOnIoThread()
        {
            return Boolean.getBoolean(WATCH_LISTENERS_ON_IO_THREAD_PROP_NAME);
        }

        /**
         * Run the client's own media driver on the client's I/O thread rather than a thread of its own: true or false.
         */
        public static final String DRIVER_ON_IO_THREAD_PROP_NAME = "metastore.client.driver.on.io.thread";

        /**
         * Default: the client's own media driver runs on its I/O thread, a thread and a hand-off each way fewer.
         */
        public static final boolean DRIVER_ON_IO_THREAD_DEFAULT = true;

        /**
         * The value {@link #DRIVER_ON_IO_THREAD_DEFAULT} or system property {@link #DRIVER_ON_IO_THREAD_PROP_NAME} if
         * set.
         *
         * @return {@link #DRIVER_ON_IO_THREAD_DEFAULT} or system property {@link #DRIVER_ON_IO_THREAD_PROP_NAME} if
         * set.
         */
        public static boolean driverOnIoThread()
        {
            return Boolean.parseBoolean(
                System.getProperty(DRIVER_ON_IO_THREAD_PROP_NAME, String.valueOf(DRIVER_ON_IO_THREAD_DEFAULT)));
        }

        /**
         * Idle strategy of the client's threads: BACKOFF or LOW_LATENCY.
         */
        public static final String IDLE_PROFILE_PROP_NAME = "metastore.client.idle.profile";

        /**
         * Default client idle profile.
         */
        public static final IdleProfile IDLE_PROFILE_DEFAULT = IdleProfile.BACKOFF;

        /**
         * The value {@link #IDLE_PROFILE_DEFAULT} or system property {@link #IDLE_PROFILE_PROP_NAME} if set.
         *
         * @return {@link #IDLE_PROFILE_DEFAULT} or system property {@link #IDLE_PROFILE_PROP_NAME} if set.
         */
        public static IdleProfile idleProfile()
        {
            return IdleProfile.valueOf(System.getProperty(IDLE_PROFILE_PROP_NAME, IDLE_PROFILE_DEFAULT.name()));
        }

        private Configuration()
        {
        }
    }

    /**
     * Configuration of a client. Setters are fluent; {@link #conclude()} checks every value. Each setting starts from
     * its {@link Configuration} getter: a system property, else the default.
     * <p>
     * Unlike Aeron's {@code AeronCluster.Context}, this one has no {@code close()}, because it owns nothing to close.
     * That context connects an Aeron client in {@code conclude()} and closes it if it owns it. This
     * {@link #conclude()} only checks values and fills in an error handler. The client's own media driver, Aeron
     * client, session and I/O thread are started and closed by {@link MetaStoreClient}.
     */
    public static final class Context
    {
        /**
         * Every {@code -Dmetastore.client.*} property must name a client setting; the node checks the rest.
         */
        private static final String CLIENT_SETTINGS_PREFIX = SettingNames.PREFIX + "client.";

        private static final AtomicIntegerFieldUpdater<Context> IS_CONCLUDED_UPDATER =
            AtomicIntegerFieldUpdater.newUpdater(Context.class, "isConcluded");

        private volatile int isConcluded;
        private String endpoints = Configuration.endpoints();
        private String aeronDirectoryName = Configuration.aeronDirectoryName();
        private String egressChannel = Configuration.egressChannel();
        private boolean ipc = Configuration.ipc();
        private long requestTimeoutNs = Configuration.requestTimeoutNs();
        private long connectTimeoutNs = Configuration.connectTimeoutNs();
        private long connectAttemptTimeoutNs = Configuration.connectAttemptTimeoutNs();
        private long sessionSilenceTimeoutNs = Configuration.sessionSilenceTimeoutNs();
        private int maxInFlight = Configuration.maxInFlight();
        private int requestRingBytes = Configuration.requestRingBytes();
        private int maxBatchRequests = Configuration.maxBatchRequests();
        private int maxBatchBytes = Configuration.maxBatchBytes();
        private IdleProfile idleProfile = Configuration.idleProfile();
        private int readMemberId = Configuration.readMemberId();
        private String readResponseChannel = Configuration.readResponseChannel();
        private int loopbackMtu = Configuration.loopbackMtu();
        private long readSilenceTimeoutNs = Configuration.readSilenceTimeoutNs();
        private long readKeepAliveIntervalNs = Configuration.readKeepAliveIntervalNs();
        private int watchQueueRevisions = Configuration.watchQueueRevisions();
        private Executor watchExecutor;
        private boolean watchListenersOnIoThread = Configuration.watchListenersOnIoThread();
        private boolean driverOnIoThread = Configuration.driverOnIoThread();
        private NanoClock nanoClock = SystemNanoClock.INSTANCE;
        private ErrorHandler errorHandler;
        private String ingressEndpoints;
        private String ingressChannel;
        private ReadEndpoints readEndpoints;

        /**
         * Check every value; an error names the setting. Once only, as Aeron's contexts: a context belongs to the
         * client it was concluded for.
         *
         * @return this for a fluent API.
         * @throws ConcurrentConcludeException if the context was concluded before.
         */
        public Context conclude()
        {
            if (0 != IS_CONCLUDED_UPDATER.getAndSet(this, 1))
            {
                throw new ConcurrentConcludeException();
            }

            final String unknownSetting = SettingNames.findUnknown(
                System.getProperties(), CLIENT_SETTINGS_PREFIX, SettingNames.declaredBy(Configuration.class));
            if (null != unknownSetting)
            {
                throw new ConfigurationException(unknownSetting);
            }
            ingressEndpoints = toIngressEndpoints(endpoints);
            require(requestTimeoutNs > 0, Configuration.REQUEST_TIMEOUT_MS_PROP_NAME, "must be positive");
            require(connectTimeoutNs > 0, Configuration.CONNECT_TIMEOUT_MS_PROP_NAME, "must be positive");
            require(connectAttemptTimeoutNs > 0,
                Configuration.CONNECT_ATTEMPT_TIMEOUT_MS_PROP_NAME, "must be positive");
            require(sessionSilenceTimeoutNs > 0,
                Configuration.SESSION_SILENCE_TIMEOUT_MS_PROP_NAME, "must be positive");
            require(maxInFlight > 0, Configuration.MAX_IN_FLIGHT_PROP_NAME, "must be positive");
            require(Integer.bitCount(requestRingBytes) == 1 && requestRingBytes >= 64 * 1024,
                Configuration.REQUEST_RING_BYTES_PROP_NAME, "must be a power of two of at least 64 KiB");
            require(maxBatchRequests > 0, Configuration.MAX_BATCH_REQUESTS_PROP_NAME, "must be positive");
            require(maxBatchBytes > 0, Configuration.MAX_BATCH_BYTES_PROP_NAME, "must be positive");
            require(!ipc || null != aeronDirectoryName, Configuration.IPC_PROP_NAME,
                "needs " + Configuration.AERON_DIR_PROP_NAME + ", the Aeron directory of the node's media driver");
            require(0 == loopbackMtu || (loopbackMtu >= LoopbackMtu.MIN_MTU_LENGTH &&
                loopbackMtu <= LoopbackMtu.MAX_MTU_LENGTH && 0 == (loopbackMtu & 31)),
                Configuration.LOOPBACK_MTU_PROP_NAME, "must be 0, or a multiple of 32 from " +
                LoopbackMtu.MIN_MTU_LENGTH + " to " + LoopbackMtu.MAX_MTU_LENGTH);
            // Host names resolved once, here, not on the I/O thread at each reconnect.
            readEndpoints = ipc ?
                ReadEndpoints.ipc() : ReadEndpoints.fromIngressEndpoints(ingressEndpoints, loopbackMtu);
            ingressChannel = concludeIngressChannel();
            require(readMemberId >= -1, Configuration.READ_MEMBER_PROP_NAME,
                "must be a member id, or -1 for the leader");
            require(ipc || readMemberId < 0 || readEndpoints.indexOf(readMemberId) >= 0,
                Configuration.READ_MEMBER_PROP_NAME,
                "no member " + readMemberId + " in " + Configuration.ENDPOINTS_PROP_NAME + "=" + endpoints);
            require(readSilenceTimeoutNs > 0, Configuration.READ_SILENCE_TIMEOUT_MS_PROP_NAME, "must be positive");
            require(readKeepAliveIntervalNs > 0 && readKeepAliveIntervalNs < readSilenceTimeoutNs,
                Configuration.READ_KEEPALIVE_INTERVAL_MS_PROP_NAME,
                "must be positive and below " + Configuration.READ_SILENCE_TIMEOUT_MS_PROP_NAME);
            require(watchQueueRevisions > 0, Configuration.WATCH_QUEUE_REVISIONS_PROP_NAME, "must be positive");
            require(!watchListenersOnIoThread || null == watchExecutor,
                Configuration.WATCH_LISTENERS_ON_IO_THREAD_PROP_NAME, "cannot be set with a watch executor");
            if (null == readResponseChannel)
            {
                readResponseChannel = ipc ? Configuration.IPC_CHANNEL : egressChannel;
            }
            if (!ipc)
            {
                egressChannel = LoopbackMtu.apply(egressChannel, loopbackMtu);
                readResponseChannel = LoopbackMtu.apply(readResponseChannel, loopbackMtu);
            }
            if (null == errorHandler)
            {
                errorHandler = Throwable::printStackTrace;
            }

            return this;
        }

        /**
         * Turn {@code host:port,host:port} into Aeron's {@code 0=host:port,1=host:port}; leave Aeron's form as is.
         *
         * @param endpoints in either form.
         * @return Aeron's form.
         */
        static String toIngressEndpoints(final String endpoints)
        {
            if (null == endpoints || endpoints.isBlank())
            {
                throw new ConfigurationException(Configuration.ENDPOINTS_PROP_NAME + ": must name at least one member");
            }
            final StringBuilder sb = new StringBuilder();
            final String[] parts = endpoints.split(",");
            for (int i = 0; i < parts.length; i++)
            {
                final String part = parts[i].trim();
                final int equalsIndex = part.indexOf('=');
                final String endpoint = checkEndpoint(part, equalsIndex > 0 ? part.substring(equalsIndex + 1) : part);
                if (equalsIndex > 0 && !isNumber(part.substring(0, equalsIndex)))
                {
                    throw new ConfigurationException(Configuration.ENDPOINTS_PROP_NAME + ": '" + part +
                        "' is not memberId=host:port");
                }
                if (i > 0)
                {
                    sb.append(',');
                }
                sb.append(equalsIndex > 0 ? part : i + "=" + endpoint);
            }

            return sb.toString();
        }

        private static String checkEndpoint(final String part, final String endpoint)
        {
            final int colonIndex = endpoint.lastIndexOf(':');
            if (endpoint.contains("/") || colonIndex <= 0)
            {
                throw new ConfigurationException(Configuration.ENDPOINTS_PROP_NAME + ": '" + part +
                    "' is not host:port" + (endpoint.contains("://") ? " (no scheme such as http://)" : ""));
            }

            final String port = endpoint.substring(colonIndex + 1);
            if (!isNumber(port) || port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)
            {
                throw new ConfigurationException(Configuration.ENDPOINTS_PROP_NAME + ": '" + part +
                    "' has no valid port: '" + port + "' is not a number from 1 to 65535");
            }

            return endpoint;
        }

        private static boolean isNumber(final String text)
        {
            if (text.isEmpty())
            {
                return false;
            }
            for (int i = 0; i < text.length(); i++)
            {
                if (!Character.isDigit(text.charAt(i)))
                {
                    return false;
                }
            }

            return true;
        }

        /**
         * @param endpoints ingress endpoints of the members, {@code host:port,...} in member order.
         * @return this for a fluent API.
         */
        public Context endpoints(final String endpoints)
        {
            this.endpoints = endpoints;
            return this;
        }

        /**
         * @return the endpoints as given.
         */
        public String endpoints()
        {
            return endpoints;
        }

        /**
         * @return the endpoints in Aeron's form, once concluded.
         */
        public String ingressEndpoints()
        {
            return ingressEndpoints;
        }

        /**
         * @param aeronDirectoryName of a running media driver to use, or null to start one.
         * @return this for a fluent API.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @return the Aeron directory of the driver to use, or null to start one.
         */
        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        /**
         * @param egressChannel the cluster answers on.
         * @return this for a fluent API.
         */
        public Context egressChannel(final String egressChannel)
        {
            this.egressChannel = egressChannel;
            return this;
        }

        /**
         * @return the channel the cluster answers on.
         */
        public String egressChannel()
        {
            return egressChannel;
        }

        /**
         * Talk to a node on this machine by IPC through its media driver ({@link #aeronDirectoryName(String)}): the
         * request and its response cross shared memory only, with no system call and no driver thread on the way.
         * The endpoints are not used. Meant for a single node, which is always the leader: only a leader accepts
         * IPC ingress, so connecting to a follower times out, and after a leader change the client cannot follow the
         * new leader to another machine; its requests time out until the local node leads again.
         *
         * @param ipc true to use IPC, false for UDP to the endpoints.
         * @return this for a fluent API.
         */
        public Context ipc(final boolean ipc)
        {
            this.ipc = ipc;
            return this;
        }

        /**
         * @return true if the client talks to a node on this machine by IPC.
         */
        public boolean ipc()
        {
            return ipc;
        }

        /**
         * @param timeout a request waits for its response.
         * @param unit    of the timeout.
         * @return this for a fluent API.
         */
        public Context requestTimeout(final long timeout, final TimeUnit unit)
        {
            this.requestTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /**
         * @return time a request waits for its response, in nanoseconds.
         */
        public long requestTimeoutNs()
        {
            return requestTimeoutNs;
        }

        /**
         * @param timeout to connect, and to reconnect after a lost session.
         * @param unit    of the timeout.
         * @return this for a fluent API.
         */
        public Context connectTimeout(final long timeout, final TimeUnit unit)
        {
            this.connectTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /**
         * @return time to connect, in nanoseconds.
         */
        public long connectTimeoutNs()
        {
            return connectTimeoutNs;
        }

        /**
         * @param timeout one attempt to connect waits for a member before trying again within the connect timeout.
         * @param unit    of the timeout.
         * @return this for a fluent API.
         */
        public Context connectAttemptTimeout(final long timeout, final TimeUnit unit)
        {
            this.connectAttemptTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /**
         * @return time one attempt to connect waits, in nanoseconds.
         */
        public long connectAttemptTimeoutNs()
        {
            return connectAttemptTimeoutNs;
        }

        /**
         * @param timeout of silence on egress after which a sent request timing out makes the client drop the session
         *                and connect again.
         * @param unit    of the timeout.
         * @return this for a fluent API.
         */
        public Context sessionSilenceTimeout(final long timeout, final TimeUnit unit)
        {
            this.sessionSilenceTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /**
         * @return silence on egress, in nanoseconds, after which a sent request timing out means the session is lost.
         */
        public long sessionSilenceTimeoutNs()
        {
            return sessionSilenceTimeoutNs;
        }

        /**
         * @param maxInFlight most requests submitted and not yet read by the client's I/O thread.
         * @return this for a fluent API.
         */
        public Context maxInFlight(final int maxInFlight)
        {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * @return most requests submitted and not yet read by the client's I/O thread.
         */
        public int maxInFlight()
        {
            return maxInFlight;
        }

        /**
         * @param requestRingBytes bytes of the ring requests wait in, a power of two.
         * @return this for a fluent API.
         */
        public Context requestRingBytes(final int requestRingBytes)
        {
            this.requestRingBytes = requestRingBytes;
            return this;
        }

        /**
         * @return bytes of the request ring.
         */
        public int requestRingBytes()
        {
            return requestRingBytes;
        }

        /**
         * @param maxBatchRequests most requests coalesced into one ingress message; 1 turns coalescing off.
         * @return this for a fluent API.
         */
        public Context maxBatchRequests(final int maxBatchRequests)
        {
            this.maxBatchRequests = maxBatchRequests;
            return this;
        }

        /**
         * @return most requests per ingress message.
         */
        public int maxBatchRequests()
        {
            return maxBatchRequests;
        }

        /**
         * @param maxBatchBytes most bytes coalesced into one ingress message.
         * @return this for a fluent API.
         */
        public Context maxBatchBytes(final int maxBatchBytes)
        {
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        /**
         * @return most bytes per ingress message.
         */
        public int maxBatchBytes()
        {
            return maxBatchBytes;
        }

        /**
         * @param idleProfile how the client's threads wait: BACKOFF, or LOW_LATENCY to yield (lower latency, a busy
         *                    core).
         * @return this for a fluent API.
         */
        public Context idleProfile(final IdleProfile idleProfile)
        {
            this.idleProfile = idleProfile;
            return this;
        }

        /**
         * @return how the client's threads wait when idle.
         */
        public IdleProfile idleProfile()
        {
            return idleProfile;
        }

        /**
         * @return a new idle strategy of the client's profile.
         */
        IdleStrategy newIdleStrategy()
        {
            return idleProfile.newIdleStrategy();
        }

        /**
         * @param readMemberId member the read session (the watches and serializable reads) opens with first, or -1
         *                     for the leader.
         * @return this for a fluent API.
         */
        public Context readMemberId(final int readMemberId)
        {
            this.readMemberId = readMemberId;
            return this;
        }

        /**
         * @return member the read session opens with first, or -1 for the leader.
         */
        public int readMemberId()
        {
            return readMemberId;
        }

        /**
         * @param readResponseChannel a member answers the read session on, or null for the egress channel's.
         * @return this for a fluent API.
         */
        public Context readResponseChannel(final String readResponseChannel)
        {
            this.readResponseChannel = readResponseChannel;
            return this;
        }

        /**
         * @return the channel a member answers the read session on; once concluded, never null.
         */
        public String readResponseChannel()
        {
            return readResponseChannel;
        }

        /**
         * @param loopbackMtu of the UDP channels to and from a member on a loopback address, or 0 for Aeron's default.
         * @return this for a fluent API.
         */
        public Context loopbackMtu(final int loopbackMtu)
        {
            this.loopbackMtu = loopbackMtu;
            return this;
        }

        /**
         * @return the MTU of the UDP channels to and from a member on a loopback address, 0 for Aeron's default.
         */
        public int loopbackMtu()
        {
            return loopbackMtu;
        }

        /**
         * @return the channel of the ingress, to which each member's endpoint is added; with an MTU when every member
         *         is on a loopback address. Once concluded.
         */
        String ingressChannel()
        {
            return ingressChannel;
        }

        /**
         * @return the read ports of the members, by IPC or UDP as the client's ingress; once concluded.
         */
        ReadEndpoints readEndpoints()
        {
            return readEndpoints;
        }

        /**
         * Take the endpoints as the cluster numbers its members, learned from the leader at a connect, in place of
         * those numbered in the order given: the ingress endpoints, and the read ports derived from them.
         *
         * @param ingressEndpoints {@code id=host:port,...} as the cluster numbers them.
         */
        void ingressEndpointsAsNumbered(final String ingressEndpoints)
        {
            this.ingressEndpoints = ingressEndpoints;
            readEndpoints = ReadEndpoints.fromIngressEndpoints(ingressEndpoints, loopbackMtu);
            ingressChannel = concludeIngressChannel();
        }

        private String concludeIngressChannel()
        {
            if (ipc)
            {
                return Configuration.IPC_CHANNEL;
            }
            for (final String endpoint : ingressEndpoints.split(","))
            {
                if (!LoopbackMtu.isLoopbackEndpoint(endpoint.substring(endpoint.indexOf('=') + 1)))
                {
                    return "aeron:udp";
                }
            }

            return 0 == loopbackMtu ?
                "aeron:udp" : "aeron:udp?" + CommonContext.MTU_LENGTH_PARAM_NAME + "=" + loopbackMtu;
        }

        /**
         * @param timeout of silence after which the member serving the watches is deemed lost.
         * @param unit    of the timeout.
         * @return this for a fluent API.
         */
        public Context readSilenceTimeout(final long timeout, final TimeUnit unit)
        {
            this.readSilenceTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /**
         * @return silence, in nanoseconds, after which the member serving the watches is deemed lost.
         */
        public long readSilenceTimeoutNs()
        {
            return readSilenceTimeoutNs;
        }

        /**
         * @param interval between the read session's keep-alives, below the read silence timeout.
         * @param unit     of the interval.
         * @return this for a fluent API.
         */
        public Context readKeepAliveInterval(final long interval, final TimeUnit unit)
        {
            this.readKeepAliveIntervalNs = unit.toNanos(interval);
            return this;
        }

        /**
         * @return interval between the read session's keep-alives, in nanoseconds.
         */
        public long readKeepAliveIntervalNs()
        {
            return readKeepAliveIntervalNs;
        }

        /**
         * @param watchQueueRevisions most revisions a watch holds for its listener before it is paused.
         * @return this for a fluent API.
         */
        public Context watchQueueRevisions(final int watchQueueRevisions)
        {
            this.watchQueueRevisions = watchQueueRevisions;
            return this;
        }

        /**
         * @return most revisions a watch holds for its listener before it is paused.
         */
        public int watchQueueRevisions()
        {
            return watchQueueRevisions;
        }

        /**
         * @param watchExecutor to run watch listeners on, one task at a time per watch; it is not shut down by the
         *                      client, and must not run a task on the thread that submits it (the client's I/O
         *                      thread). Null, the default, for daemon threads of the client's own, named
         *                      {@code metastore-watch-N}, that it shuts down when it closes: two take every watch's
         *                      deliveries in turn, and one more is started for each listener that holds its thread
         *                      longer than 20 ms (it blocks, or is slow), for as long as it does.
         * @return this for a fluent API.
         */
        public Context watchExecutor(final Executor watchExecutor)
        {
            this.watchExecutor = watchExecutor;
            return this;
        }

        /**
         * @return the executor watch listeners run on, or null for the client's own threads.
         */
        public Executor watchExecutor()
        {
            return watchExecutor;
        }

        /**
         * Run watch listeners on the client's I/O thread, as it reads the events, rather than hand them to another
         * thread: about 20 µs sooner at the median on a small machine. A listener there must be quick and must not
         * block: while it runs, no request of the client is sent or answered and no other watch is delivered to. A
         * blocking call of the client from it is refused with an exception, as from a future's callback; its
         * {@code *Async} forms may be used. A watch's revisions are still bounded by
         * {@link #watchQueueRevisions()}. Not with a {@link #watchExecutor(Executor)}.
         *
         * @param watchListenersOnIoThread true to run watch listeners on the client's I/O thread.
         * @return this for a fluent API.
         * @see Configuration#WATCH_LISTENERS_ON_IO_THREAD_PROP_NAME
         */
        public Context watchListenersOnIoThread(final boolean watchListenersOnIoThread)
        {
            this.watchListenersOnIoThread = watchListenersOnIoThread;
            return this;
        }

        /**
         * @return true if watch listeners run on the client's I/O thread.
         */
        public boolean watchListenersOnIoThread()
        {
            return watchListenersOnIoThread;
        }

        /**
         * Run the client's own media driver (when no {@link #aeronDirectoryName(String)} is given) on the client's I/O
         * thread, in Aeron's invoker mode, rather than on a thread of its own: a request goes from the I/O thread to
         * the socket, and an answer from the socket to the I/O thread, without a hand-off to the driver's thread, a
         * wake-up of a parked thread each way with the back-off idle strategy. Aeron's client conductor then runs on
         * the I/O thread too.
         *
         * @param driverOnIoThread true to run the client's own media driver on its I/O thread.
         * @return this for a fluent API.
         * @see Configuration#DRIVER_ON_IO_THREAD_PROP_NAME
         */
        public Context driverOnIoThread(final boolean driverOnIoThread)
        {
            this.driverOnIoThread = driverOnIoThread;
            return this;
        }

        /**
         * @return true if the client's own media driver runs on its I/O thread.
         */
        public boolean driverOnIoThread()
        {
            return driverOnIoThread;
        }

        /**
         * @param nanoClock for deadlines, and for how long a watch listener has held one of the client's own threads;
         *                  read from several threads.
         * @return this for a fluent API.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        /**
         * @return the clock for deadlines.
         */
        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * @param errorHandler for errors no request can be told of.
         * @return this for a fluent API.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * @return the handler for errors no request can be told of.
         */
        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        @Override
        public String toString()
        {
            return "MetaStoreClient.Context{" +
                "endpoints='" + endpoints + '\'' +
                ", aeronDirectoryName='" + aeronDirectoryName + '\'' +
                ", egressChannel='" + egressChannel + '\'' +
                ", ipc=" + ipc +
                ", requestTimeoutNs=" + requestTimeoutNs +
                ", connectTimeoutNs=" + connectTimeoutNs +
                ", connectAttemptTimeoutNs=" + connectAttemptTimeoutNs +
                ", sessionSilenceTimeoutNs=" + sessionSilenceTimeoutNs +
                ", maxInFlight=" + maxInFlight +
                ", requestRingBytes=" + requestRingBytes +
                ", maxBatchRequests=" + maxBatchRequests +
                ", maxBatchBytes=" + maxBatchBytes +
                ", idleProfile=" + idleProfile +
                ", readMemberId=" + readMemberId +
                ", readResponseChannel='" + readResponseChannel + '\'' +
                ", loopbackMtu=" + loopbackMtu +
                ", readSilenceTimeoutNs=" + readSilenceTimeoutNs +
                ", readKeepAliveIntervalNs=" + readKeepAliveIntervalNs +
                ", watchQueueRevisions=" + watchQueueRevisions +
                ", watchListenersOnIoThread=" + watchListenersOnIoThread +
                ", watchExecutor=" + watchExecutor +
                '}';
        }

        private static void require(final boolean condition, final String name, final String message)
        {
            if (!condition)
            {
                throw new ConfigurationException(name + ": " + message);
            }
        }
    }
}
