package io.metastore.node;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import io.metastore.client.MetaStoreClient;
import io.metastore.codecs.AlarmType;
import io.metastore.concurrent.IdleProfile;
import io.metastore.concurrent.TimerSlackIdleStrategy;
import io.metastore.concurrent.WakeableIdleStrategy;
import io.metastore.config.SettingNames;
import io.metastore.node.alarm.Alarm;
import io.metastore.node.alarm.AlarmTable;
import io.metastore.node.kv.AutoCompaction;
import io.metastore.node.lease.LeaseLimits;
import io.metastore.node.log.LogRetention;
import io.metastore.node.log.LogTailCheck;
import io.metastore.node.log.RecordChecksum;
import io.metastore.node.metrics.MetricsHttpServer;
import io.metastore.node.reader.ReadPort;
import io.metastore.node.service.MetaStoreService;
import io.metastore.node.service.ServiceSettings;
import io.metastore.node.snapshot.SnapshotSaver;
import io.metastore.node.snapshot.SnapshotScheduler;
import io.metastore.node.space.DiskSpaceMonitor;
import io.metastore.node.space.QuotaMonitor;
import io.metastore.node.space.SparseFiles;
import io.metastore.node.storage.CommittedView;
import io.metastore.node.storage.HistoryReader;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import io.metastore.protocol.Protocol;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.LongSupplier;

/**
 * One MetaStore node: the media driver, archive and consensus module ({@link ClusterInfrastructure}), the
 * service container running {@link MetaStoreService}, and the RocksDB storage it materialises state into.
 * <pre>{@code
 * try (MetaStoreNode node = MetaStoreNode.launch(new MetaStoreNode.Context()))
 * {
 *     // a single node on loopback, data under ./metastore-data
 * }
 * }</pre>
 */
public final class MetaStoreNode implements AutoCloseable
{
    /**
     * Bytes a put adds beyond its key and value: message header, block and length prefixes, with room to spare.
     */
    static final int MAX_REQUEST_OVERHEAD = 256;

    private static final int SERVICE_COUNT = 1;
    private static final int READ_TARGET_MESSAGE_BYTES = 64 * 1024;
    private static final int READ_CATCH_UP_BYTES = 256 * 1024;
    private static final long LOG_RETENTION_IDLE_MS = 100;
    private static final int READ_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(MetaStoreNode.class);

    private final Context ctx;
    private final AtomicBoolean isTerminating = new AtomicBoolean();
    private final NodeLock lock;
    private final RocksDbStorage storage;
    private final MetaStoreService service;
    private final ClusterInfrastructure infrastructure;
    private final AgentRunner diskSpaceRunner;
    private final AgentRunner alarmRunner;
    private final AgentRunner monitorRunner;
    private final Aeron readAeron;
    private final AgentRunner readPortRunner;
    private final NodeMonitor monitor;
    private final MetricsHttpServer metricsServer;
    private final LogRetention logRetention;
    private final AgentRunner logRetentionRunner;
    private final SnapshotSaver snapshotSaver;

    private MetaStoreNode(final Context ctx)
    {
        this.ctx = ctx;
        final File nodeDir = ctx.nodeDir();
        final ErrorHandler errorHandler = this::onError;
        final Runnable terminationHook = this::onTermination;
        lock = NodeLock.acquire(nodeDir, ctx.aeronDirectoryName());
        RocksDbStorage storage = null;
        ClusterInfrastructure infrastructure = null;
        AgentRunner diskSpaceRunner = null;
        AgentRunner alarmRunner = null;
        AgentRunner monitorRunner = null;
        Aeron readAeron = null;
        AgentRunner readPortRunner = null;
        NodeMonitor monitor = null;
        MetricsHttpServer metricsServer = null;
        LogRetention logRetention = null;
        AgentRunner logRetentionRunner = null;
        SnapshotSaver snapshotSaver = null;
        try
        {
            LOG.info("starting member {} of {} ({}): {}", ctx.memberId(), ctx.memberHosts().size(), ctx.members(),
                ctx.settings());
            // With the lock held no live process writes the log, so its tail can be read for a torn last entry.
            LogTailCheck.verify(nodeDir, ctx.memberId(), ctx.members(), ctx.dataDir());
            recordServiceSettings(nodeDir, ctx);
            final long logEndPosition = LogTailCheck.logEndPosition(
                archiveDir(ctx), ConsensusModule.Configuration.logStreamId());
            final NoSpaceAlarmReporter alarmReporter = new NoSpaceAlarmReporter(ctx, SystemEpochClock.INSTANCE);
            final DiskSpaceMonitor diskSpaceMonitor = diskSpaceMonitor(ctx, alarmReporter, errorHandler);
            // The catalog is the one file Aeron maps on the data disk that grows into holes as it is written.
            SparseFiles.allocate(new File(new File(nodeDir, "archive"), "archive.catalog"));
            storage = RocksDbStorage.open(new File(nodeDir, "rocksdb"));
            final int boundClusterId = storage.bindClusterId(ctx.clusterId());
            if (boundClusterId != ctx.clusterId())
            {
                throw new ConfigurationException("the data in " + nodeDir + " belongs to cluster id " +
                    boundClusterId + ", not " + ctx.clusterId() + " (" + Configuration.CLUSTER_ID_PROP_NAME +
                    ", --cluster-id): start it with cluster id " + boundClusterId +
                    ", or give this cluster another data directory");
            }
            service = new MetaStoreService(storage, ctx.serviceSettings(), errorHandler);
            // The read port finds each committed batch by polling; with a profile that parks, the service also wakes
            // it, so a watch event or a waiting read does not wait out the rest of the read port's park.
            IdleStrategy readPortIdle = ctx.idleProfile().newIdleStrategy();
            if (ctx.idleProfile().parks())
            {
                final WakeableIdleStrategy wakeable = new WakeableIdleStrategy(readPortIdle);
                service.committedListener(wakeable::wake);
                readPortIdle = wakeable;
            }

            infrastructure = ClusterInfrastructure.launch(
                driverContext(ctx, errorHandler),
                archiveContext(ctx, errorHandler),
                consensusModuleContext(ctx, errorHandler, terminationHook),
                serviceContext(ctx, service, errorHandler, terminationHook),
                ctx.archiveOnConsensusThread(),
                ctx.idleProfile().supplier(),
                errorHandler,
                isTerminating::get);
            final ConsensusModule.Context consensusModule = infrastructure.consensusModule().context();
            final SnapshotScheduler snapshotScheduler = new SnapshotScheduler(
                ctx.snapshotLogBytes(),
                consensusModule.commitPositionCounter(),
                consensusModule.clusterNodeRoleCounter(),
                consensusModule.controlToggleCounter(),
                consensusModule.snapshotCounter(),
                service::snapshotPosition,
                service::snapshotBytes,
                SystemNanoClock.INSTANCE,
                ctx.memberId());
            monitor = new NodeMonitor(
                LOG,
                SystemEpochClock.INSTANCE,
                consensusModule.electionStateCounter(),
                consensusModule.clusterNodeRoleCounter(),
                consensusModule.commitPositionCounter(),
                consensusModule.leadershipTermIdCounter(),
                logEndPosition,
                ctx.errorHandler(),
                ctx.readyHook());
            LOG.info("started; replaying the log up to position {} ({}) and awaiting an election before serving",
                logEndPosition, NodeMonitor.megabytes(logEndPosition));
            diskSpaceRunner = new AgentRunner(
                new SleepingMillisIdleStrategy(ctx.diskCheckIntervalMs()),
                errorHandler,
                null,
                new CompositeAgent(
                    diskSpaceMonitor, quotaMonitor(ctx, storage, service, alarmReporter), snapshotScheduler));
            AgentRunner.startOnThread(diskSpaceRunner);
            // A thread of its own that polls often: the listening line waits on it, and it reads four counters.
            monitorRunner = new AgentRunner(
                new SleepingMillisIdleStrategy(NodeMonitor.POLL_INTERVAL_MS), errorHandler, null, monitor);
            AgentRunner.startOnThread(monitorRunner);
            alarmRunner = new AgentRunner(
                new SleepingMillisIdleStrategy(ctx.diskCheckIntervalMs()), errorHandler, null, alarmReporter);
            AgentRunner.startOnThread(alarmRunner);
            readAeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .errorHandler(errorHandler));
            final AtomicCounter termCounter = consensusModule.leadershipTermIdCounter();
            snapshotSaver = new SnapshotSaver(readAeron, storage, snapshotScheduler, ctx.snapshotChunkBytes(),
                ctx.idleProfile().supplier(), SystemNanoClock.INSTANCE, errorHandler, ctx.clusterId(), ctx.memberId(),
                termCounter::get);
            final ReadPort readPort = readPort(ctx, readAeron, storage, service, termCounter::get)
                .memberStatusSource(new NodeStatus(consensusModule, service, storage, ctx.errorHandler(),
                archiveDir(ctx), readAeron.countersReader()))
                .snapshotRequests(snapshotSaver);
            readPortRunner = new AgentRunner(
                readPort.idleStrategy(readPortIdle), errorHandler, null, readPort);
            AgentRunner.startOnThread(readPortRunner);
            logRetention = new LogRetention(clusterDir(ctx), ctx.logRetentionBytes(), ctx.logRetentionPeriodMs(),
                () -> AeronArchive.connect(localArchiveClient(ctx)), service::hasStarted, SystemEpochClock.INSTANCE,
                LOG);
            logRetentionRunner = new AgentRunner(
                new SleepingMillisIdleStrategy(LOG_RETENTION_IDLE_MS), errorHandler, null, logRetention);
            AgentRunner.startOnThread(logRetentionRunner);
            if (0 != ctx.metricsPort())
            {
                metricsServer =
                    MetricsHttpServer.start(ctx.metricsHost(), ctx.metricsPort(), readAeron.countersReader());
                LOG.info("metrics at http://{}:{}{}", ctx.metricsHost(), metricsServer.address().getPort(),
                    MetricsHttpServer.PATH);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // An Error too (a native library that will not load, a fault in a mapped file): release the locks.
            CloseHelper.quietCloseAll(metricsServer, logRetentionRunner, readPortRunner, snapshotSaver, readAeron,
                monitorRunner, alarmRunner, diskSpaceRunner, infrastructure, storage, lock);
            throw ex;
        }
        this.storage = storage;
        this.infrastructure = infrastructure;
        this.diskSpaceRunner = diskSpaceRunner;
        this.alarmRunner = alarmRunner;
        this.monitorRunner = monitorRunner;
        this.readAeron = readAeron;
        this.readPortRunner = readPortRunner;
        this.monitor = monitor;
        this.metricsServer = metricsServer;
        this.logRetention = logRetention;
        this.logRetentionRunner = logRetentionRunner;
        this.snapshotSaver = snapshotSaver;
    }

    /**
     * The member's read port: watches, on a thread of its own, from the committed history.
     */
    private static ReadPort readPort(
        final Context ctx,
        final Aeron aeron,
        final RocksDbStorage storage,
        final MetaStoreService service,
        final LongSupplier leadershipTermId)
    {
        final ReadPort.Settings settings = new ReadPort.Settings(
            ctx.maxKeyBytes(),
            TimeUnit.MILLISECONDS.toNanos(ctx.readSessionTimeoutMs()),
            TimeUnit.MILLISECONDS.toNanos(ctx.watchProgressNotifyIntervalMs()),
            READ_TARGET_MESSAGE_BYTES,
            READ_CATCH_UP_BYTES,
            READ_MAX_MESSAGE_BYTES,
            ctx.maxResponseBytes(),
            TimeUnit.SECONDS.toNanos(1));
        return new ReadPort(
            aeron,
            ctx.readPortChannel(),
            "aeron:ipc",
            Protocol.READ_STREAM_ID,
            storage,
            new HistoryReader(storage),
            service::hasStarted,
            ctx.clusterId(),
            ctx.memberId(),
            leadershipTermId,
            settings,
            SystemNanoClock.INSTANCE);
    }

    /**
     * The watch on the store's size against the backend quota: over it, the member raises its NOSPACE alarm.
     */
    private static QuotaMonitor quotaMonitor(
        final Context ctx,
        final RocksDbStorage storage,
        final MetaStoreService service,
        final NoSpaceAlarmReporter alarmReporter)
    {
        final List<Alarm> alarms = new ArrayList<>();
        final Alarm noSpace = new Alarm(ctx.memberId(), AlarmType.NOSPACE);
        return new QuotaMonitor(
            ctx.quotaBackendBytes(),
            ctx.diskCheckIntervalMs(),
            SystemEpochClock.INSTANCE,
            () ->
            {
                alarms.clear();
                AlarmTable.decode(storage.committedAlarms(), alarms);
                return alarms.contains(noSpace);
            },
            new QuotaMonitor.Actions()
            {
                public long storeBytes()
                {
                    return storage.sizeBytes();
                }

                public long removedRevision()
                {
                    return storage.removedRevision();
                }

                public void reclaim()
                {
                    final long startNs = System.nanoTime();
                    final long before = storage.sizeBytes();
                    storage.reclaim();
                    LOG.info("store reclaimed: {} bytes before, {} after, in {} ms", before, storage.sizeBytes(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
                }

                public boolean takeReclaimRequest()
                {
                    return service.takeReclaimRequest();
                }

                public void raiseAlarm(final long storeBytes)
                {
                    LOG.warn("member {}: the store takes {} bytes, above {}={}: raising the NOSPACE alarm; compact " +
                        "the history, then disarm it", ctx.memberId(), storeBytes,
                        Configuration.QUOTA_BACKEND_BYTES_PROP_NAME, ctx.quotaBackendBytes());
                    alarmReporter.raiseAgain();
                }
            });
    }

    /**
     * The watch on the data directory's free space; refuses to start the node if the reserve is already gone, as the
     * first write could then fail half way.
     */
    private static DiskSpaceMonitor diskSpaceMonitor(
        final Context ctx, final NoSpaceAlarmReporter alarmReporter, final ErrorHandler errorHandler)
    {
        final File nodeDir = ctx.nodeDir();
        if (!nodeDir.isDirectory() && !nodeDir.mkdirs())
        {
            throw new IllegalStateException("cannot create the node's directory " + nodeDir);
        }
        final DiskSpaceMonitor monitor = new DiskSpaceMonitor(
            nodeDir.toPath(),
            ctx.diskAlarmBytes(),
            ctx.diskReserveBytes(),
            ctx.diskCheckIntervalMs(),
            SystemEpochClock.INSTANCE,
            new NodeDiskSpaceListener(ctx, alarmReporter, errorHandler));
        final long usableBytes = monitor.usableBytes();
        if (usableBytes < ctx.diskReserveBytes())
        {
            throw new IllegalStateException("refusing to start: " + nodeDir + " has " + usableBytes +
                " bytes usable, below the reserve of " + ctx.diskReserveBytes() + " bytes (" +
                Configuration.DISK_RESERVE_BYTES_PROP_NAME + "); free space on its file system first");
        }

        return monitor;
    }

    /**
     * Launch a node.
     *
     * @param ctx configuration; concluded here.
     * @return the running node.
     */
    public static MetaStoreNode launch(final Context ctx)
    {
        ctx.conclude();
        return new MetaStoreNode(ctx);
    }

    /**
     * @return the node's configuration.
     */
    public Context context()
    {
        return ctx;
    }

    /**
     * @return the clustered service, for its counters.
     */
    public MetaStoreService service()
    {
        return service;
    }

    /**
     * @return the counters of the node's media driver: MetaStore's ({@code MetaStoreCounters}) and Aeron's; to be
     *         read only while the node runs (its Aeron client unmaps them when the node closes).
     */
    public CountersReader countersReader()
    {
        return readAeron.countersReader();
    }

    /**
     * @return the port the metrics endpoint listens on, or 0 if it is off.
     */
    public int metricsPort()
    {
        return null == metricsServer ? 0 : metricsServer.address().getPort();
    }

    /**
     * @return the directory of the node's RocksDB, archive and cluster files.
     */
    public File nodeDir()
    {
        return ctx.nodeDir();
    }

    /**
     * @return the role this node plays in the cluster now.
     */
    public Cluster.Role role()
    {
        return Cluster.Role.get(infrastructure.consensusModule().context().clusterNodeRoleCounter());
    }

    /**
     * Ready means the member can serve: its log is replayed and it is the leader, or a follower that joined the
     * leader's log. The first time, the context's {@link Context#readyHook()} runs.
     *
     * @return true once the node has been ready since it started, even if an election is in progress now.
     */
    public boolean isReady()
    {
        return monitor.isReady();
    }

    /**
     * Ask the consensus module to take a snapshot, as {@code ClusterTool snapshot} does.
     *
     * @return true if the request was accepted, false if another control action is in progress.
     */
    public boolean takeSnapshot()
    {
        final AtomicCounter toggle = infrastructure.consensusModule().context().controlToggleCounter();
        return ClusterControl.ToggleState.SNAPSHOT.toggle(toggle);
    }

    /**
     * @return the number of snapshots this node has taken since it started.
     */
    public long snapshotCount()
    {
        return infrastructure.consensusModule().context().snapshotCounter().get();
    }

    /**
     * @return the start position of the member's log recording as log retention last read it (older log purged),
     *         or -1 before it first looked.
     */
    public long logStartPosition()
    {
        return logRetention.startPosition();
    }

    /**
     * @return a digest of the state committed to RocksDB, read from one RocksDB snapshot; equal on members that hold
     * the same state. Safe from any thread.
     */
    public String digest()
    {
        try (CommittedView view = storage.openCommittedView())
        {
            return StateDigest.of(view);
        }
    }

    /**
     * @return the bytes the store takes now, as the backend quota ({@link Context#quotaBackendBytes()}) measures it.
     */
    public long storeBytes()
    {
        return storage.sizeBytes();
    }

    /**
     * The reason the node stopped on its own: the first fatal error (an agent thread died, or Aeron terminated the
     * node unexpectedly) before {@link #close()} was called.
     *
     * @return the first fatal error, or null if there was none.
     */
    public Throwable fatalError()
    {
        return ctx.errorHandler().fatalError();
    }

    /**
     * Stop the service, consensus module, archive and driver, then close storage and release the node's
     * directories. Writes applied but not yet committed to RocksDB are replayed from the log on the next start.
     */
    public void close()
    {
        if (!isTerminating.get())
        {
            ctx.errorHandler().shutdownRequested();
            LOG.info("stopping on request");
        }
        try
        {
            CloseHelper.closeAll(metricsServer, logRetentionRunner, readPortRunner, snapshotSaver, readAeron,
                monitorRunner, alarmRunner, diskSpaceRunner, infrastructure, storage, lock);
        }
        finally
        {
            ctx.errorHandler().reportAllRepeats();
            LOG.info("stopped");
        }
    }

    /**
     * Every error of the node's agents comes here. A fatal one means an agent thread has died or is about to: the
     * node must fail stop as a whole, so the termination hook runs once, for whoever runs the node to close it.
     */
    private void onError(final Throwable throwable)
    {
        ctx.errorHandler().onError(throwable);
        if (NodeErrors.isFatal(throwable))
        {
            onTermination();
        }
    }

    /**
     * The cluster terminated the node (Aeron's termination hook, expected or not) or a fatal error stopped it.
     */
    private void onTermination()
    {
        if (!isTerminating.getAndSet(true))
        {
            final Throwable fatalError = ctx.errorHandler().fatalError();
            if (null != fatalError)
            {
                LOG.error("stopping on a fatal error: {}", NodeErrors.oneLine(fatalError));
            }
            else
            {
                LOG.info("stopping: the cluster terminated this member (a shutdown requested, e.g. with ClusterTool)");
            }
            ctx.terminationHook().run();
        }
    }

    /**
     * For `log replay`: a member that cannot write this small file still starts, and its log replays with the limits
     * the command line is given.
     */
    private static void recordServiceSettings(final File nodeDir, final Context ctx)
    {
        try
        {
            ServiceSettingsRecord.write(nodeDir, ctx);
        }
        catch (final UncheckedIOException ex)
        {
            LOG.warn("{}: log replay of this member will use the limits it is given", ex.getMessage());
        }
    }

    private static File archiveDir(final Context ctx)
    {
        return new File(ctx.nodeDir(), "archive");
    }

    private static File clusterDir(final Context ctx)
    {
        return new File(ctx.nodeDir(), "cluster");
    }

    private static MediaDriver.Context driverContext(final Context ctx, final ErrorHandler errorHandler)
    {
        final long livenessTimeoutNs = ctx.livenessTimeoutNs();
        return new MediaDriver.Context()
            .aeronDirectoryName(ctx.aeronDirectoryName())
            .clientLivenessTimeoutNs(livenessTimeoutNs)
            .publicationUnblockTimeoutNs(publicationUnblockTimeoutNs(livenessTimeoutNs))
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(ctx.idleProfile().newIdleStrategy())
            .termBufferSparseFile(true)
            .ipcTermBufferLength(ctx.logTermLength())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(errorHandler);
    }

    /**
     * The driver requires a blocked publication to be unblocked only after its publisher could have been declared
     * dead: Aeron's default, 15 s, or 1.5 times the client liveness timeout when that is longer (Aeron's own ratio).
     */
    static long publicationUnblockTimeoutNs(final long livenessTimeoutNs)
    {
        return Math.max(
            io.aeron.driver.Configuration.publicationUnblockTimeoutNs(), livenessTimeoutNs + livenessTimeoutNs / 2);
    }

    private static Archive.Context archiveContext(final Context ctx, final ErrorHandler errorHandler)
    {
        final String host = ctx.memberHost();
        final int syncLevel = ctx.fsync() ? 1 : 0;
        return new Archive.Context()
            .aeronDirectoryName(ctx.aeronDirectoryName())
            .archiveDir(archiveDir(ctx))
            .controlChannel("aeron:udp?endpoint=" + host + ":" +
                ClusterMembers.port(ctx.basePort(), ctx.memberId(), ClusterMembers.ARCHIVE_OFFSET))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .archiveClientContext(
                new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(ctx.idleProfile().supplier())
            .fileSyncLevel(syncLevel)
            .catalogFileSyncLevel(syncLevel)
            .deleteArchiveOnStart(false)
            // Log retention purges whole segments: their length is its granularity.
            .segmentFileLength(ctx.logSegmentBytes())
            // The archive's own guard: no recording starts with less space than the node's reserve.
            .lowStorageSpaceThreshold(ctx.diskReserveBytes())
            // A CRC-32C per recorded frame tells a whole last frame from one cut short at a page boundary at start.
            .recordChecksum(new RecordChecksum())
            .markFileDir(markFileDir(ctx))
            .errorHandler(errorHandler);
    }

    private static AeronArchive.Context localArchiveClient(final Context ctx)
    {
        return new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel("aeron:ipc?term-length=64k")
            .controlResponseChannel("aeron:ipc?term-length=64k")
            .aeronDirectoryName(ctx.aeronDirectoryName());
    }

    private static ConsensusModule.Context consensusModuleContext(
        final Context ctx, final ErrorHandler errorHandler, final Runnable terminationHook)
    {
        final String host = ctx.memberHost();
        return new ConsensusModule.Context()
            .clusterId(ctx.clusterId())
            .clusterMemberId(ctx.memberId())
            .clusterMembers(ClusterMembers.clusterMembers(ctx.memberHosts(), ctx.basePort()))
            .clusterDir(clusterDir(ctx))
            .archiveContext(localArchiveClient(ctx))
            .serviceCount(SERVICE_COUNT)
            .ingressChannel("aeron:udp")
            .isIpcIngressAllowed(true)
            .logChannel(logChannel(ctx))
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .idleStrategySupplier(ctx.idleProfile().supplier())
            .leaderHeartbeatTimeoutNs(ctx.leaderHeartbeatTimeoutNs())
            .maxConcurrentSessions(ctx.maxSessions())
            .fileSyncLevel(ctx.fsync() ? 1 : 0)
            .markFileDir(markFileDir(ctx))
            .terminationHook(terminationHook)
            .errorHandler(errorHandler);
    }

    /**
     * The archive's, consensus module's and service's mark files live in the node's Aeron directory, not beside the
     * data: they are memory-mapped and sparse, and recording an error in one on a full file system is a SIGBUS that
     * kills the thread reporting it before the error is seen (the recording it was stopping is then never stopped).
     * The Aeron directory is on a tmpfs by default, and the driver recreates it at each start, so a mark file left by
     * a process killed with -9 does not block the next start. Aeron leaves a link file in the archive and cluster
     * directories, so ClusterTool still finds them.
     */
    private static File markFileDir(final Context ctx)
    {
        return new File(ctx.aeronDirectoryName(), "mark");
    }

    /**
     * A single member has no follower to send its log to, so the log is an IPC publication that the archive and
     * the service read from shared memory, with no work for the driver's sender; members of a cluster send theirs
     * by UDP.
     */
    private static String logChannel(final Context ctx)
    {
        return (1 == ctx.memberHosts().size() ? "aeron:ipc" : "aeron:udp") + "?term-length=" + ctx.logTermLength();
    }

    private static ClusteredServiceContainer.Context serviceContext(
        final Context ctx, final MetaStoreService service, final ErrorHandler errorHandler,
        final Runnable terminationHook)
    {
        return new ClusteredServiceContainer.Context()
            .aeronDirectoryName(ctx.aeronDirectoryName())
            .archiveContext(localArchiveClient(ctx))
            .clusterDir(clusterDir(ctx))
            .clusterId(ctx.clusterId())
            .clusteredService(service)
            .serviceId(0)
            .logFragmentLimit(ctx.logFragmentLimit())
            .markFileDir(markFileDir(ctx))
            .idleStrategySupplier(ctx.idleProfile().supplier())
            .terminationHook(terminationHook)
            .errorHandler(errorHandler);
    }

    /**
     * Aeron's default directory with a suffix per cluster and member, so several nodes share a machine; the command
     * line finds the media driver of a node on its machine there.
     *
     * @param basePort of the cluster.
     * @param memberId of the member.
     * @return the directory name.
     */
    public static String defaultAeronDirectoryName(final int basePort, final int memberId)
    {
        return CommonContext.getAeronDirectoryName() + "-metastore-" + basePort + "-" + memberId;
    }

    /**
     * Names and defaults of the node's settings; each is a system property and a command line flag.
     */
    public static final class Configuration
    {
        /**
         * Id of this member in the member list.
         */
        public static final String MEMBER_ID_PROP_NAME = "metastore.member.id";

        /**
         * Default member id: the only member of a single node cluster.
         */
        public static final int MEMBER_ID_DEFAULT = 0;

        /**
         * The value {@link #MEMBER_ID_DEFAULT} or system property {@link #MEMBER_ID_PROP_NAME} if set.
         *
         * @return {@link #MEMBER_ID_DEFAULT} or system property {@link #MEMBER_ID_PROP_NAME} if set.
         */
        public static int memberId()
        {
            return Integer.getInteger(MEMBER_ID_PROP_NAME, MEMBER_ID_DEFAULT);
        }

        /**
         * Comma separated hosts of the members, member 0 first.
         */
        public static final String MEMBERS_PROP_NAME = "metastore.members";

        /**
         * Default members: one, on loopback.
         */
        public static final String MEMBERS_DEFAULT = "localhost";

        /**
         * The value {@link #MEMBERS_DEFAULT} or system property {@link #MEMBERS_PROP_NAME} if set.
         *
         * @return {@link #MEMBERS_DEFAULT} or system property {@link #MEMBERS_PROP_NAME} if set.
         */
        public static String members()
        {
            return System.getProperty(MEMBERS_PROP_NAME, MEMBERS_DEFAULT);
        }

        /**
         * First port of the cluster; member i uses ports basePort + 10 i to basePort + 10 i + 4.
         */
        public static final String BASE_PORT_PROP_NAME = "metastore.base.port";

        /**
         * Default base port: member 0's ingress is 21000.
         */
        public static final int BASE_PORT_DEFAULT = 21000;

        /**
         * The value {@link #BASE_PORT_DEFAULT} or system property {@link #BASE_PORT_PROP_NAME} if set.
         *
         * @return {@link #BASE_PORT_DEFAULT} or system property {@link #BASE_PORT_PROP_NAME} if set.
         */
        public static int basePort()
        {
            return Integer.getInteger(BASE_PORT_PROP_NAME, BASE_PORT_DEFAULT);
        }

        /**
         * Cluster id, reported in every response header.
         */
        public static final String CLUSTER_ID_PROP_NAME = "metastore.cluster.id";

        /**
         * Default cluster id.
         */
        public static final int CLUSTER_ID_DEFAULT = 0;

        /**
         * The value {@link #CLUSTER_ID_DEFAULT} or system property {@link #CLUSTER_ID_PROP_NAME} if set.
         *
         * @return {@link #CLUSTER_ID_DEFAULT} or system property {@link #CLUSTER_ID_PROP_NAME} if set.
         */
        public static int clusterId()
        {
            return Integer.getInteger(CLUSTER_ID_PROP_NAME, CLUSTER_ID_DEFAULT);
        }

        /**
         * Parent directory of the nodes' data; each node uses {@code node-<memberId>} under it.
         */
        public static final String DATA_DIR_PROP_NAME = "metastore.data.dir";

        /**
         * Default data directory, relative to the working directory.
         */
        public static final String DATA_DIR_DEFAULT = "metastore-data";

        /**
         * The value {@link #DATA_DIR_DEFAULT} or system property {@link #DATA_DIR_PROP_NAME} if set.
         *
         * @return {@link #DATA_DIR_DEFAULT} or system property {@link #DATA_DIR_PROP_NAME} if set.
         */
        public static String dataDirName()
        {
            return System.getProperty(DATA_DIR_PROP_NAME, DATA_DIR_DEFAULT);
        }

        /**
         * Aeron directory of the node's media driver.
         */
        public static final String AERON_DIR_PROP_NAME = "metastore.aeron.dir";

        /**
         * The system property {@link #AERON_DIR_PROP_NAME}; unset, {@link Context#conclude()} names the directory with
         * {@link MetaStoreNode#defaultAeronDirectoryName(int, int)}.
         *
         * @return system property {@link #AERON_DIR_PROP_NAME}, or null if it is not set.
         */
        public static String aeronDirectoryName()
        {
            return System.getProperty(AERON_DIR_PROP_NAME);
        }

        /**
         * Idle profile of the node's agents: BACKOFF or LOW_LATENCY.
         */
        public static final String IDLE_PROFILE_PROP_NAME = "metastore.idle.profile";

        /**
         * Default idle profile, for small machines.
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

        /**
         * Run the archive on the consensus module's thread rather than on a thread of its own.
         */
        public static final String ARCHIVE_ON_CONSENSUS_THREAD_PROP_NAME = "metastore.archive.on.consensus.thread";

        /**
         * Default: one thread for both. A put goes from the consensus module to the archive and back before it
         * commits, so one thread saves two hand-offs and a busy thread: measured on 2 cores, one node, puts with 1 in
         * flight +20 %, with 100 in flight +7 %, CPU at 1,000 puts/s -8 %; with {@link #FSYNC_PROP_NAME} on, 1 in
         * flight +20 % on one node and on three, 100 in flight the same. It also makes a leader whose disk stalls
         * step aside: Aeron commits no further than the leader's own recording, so a stalled archive stops the
         * cluster's commits whatever its thread; sharing it, the consensus module stops too, its heartbeats with it,
         * and after the leader heartbeat timeout the others elect a leader of their own, where a consensus module
         * running on would hold the cluster until the disk came back or the archive was declared dead at the
         * liveness timeout (measured with frozen disks, README "When the disk stalls"; {@code DiskStallTest} tests
         * the default).
         */
        public static final boolean ARCHIVE_ON_CONSENSUS_THREAD_DEFAULT = true;

        /**
         * The value {@link #ARCHIVE_ON_CONSENSUS_THREAD_DEFAULT} or system property
         * {@link #ARCHIVE_ON_CONSENSUS_THREAD_PROP_NAME} if set.
         *
         * @return {@link #ARCHIVE_ON_CONSENSUS_THREAD_DEFAULT} or system property
         * {@link #ARCHIVE_ON_CONSENSUS_THREAD_PROP_NAME} if set.
         */
        public static boolean archiveOnConsensusThread()
        {
            return Boolean.parseBoolean(System.getProperty(
                ARCHIVE_ON_CONSENSUS_THREAD_PROP_NAME, String.valueOf(ARCHIVE_ON_CONSENSUS_THREAD_DEFAULT)));
        }

        /**
         * Sync the log and cluster files to disk before an entry counts as written.
         */
        public static final String FSYNC_PROP_NAME = "metastore.fsync";

        /**
         * Default: no fsync; an ack means on a quorum's page cache.
         */
        public static final boolean FSYNC_DEFAULT = false;

        /**
         * The value {@link #FSYNC_DEFAULT} or system property {@link #FSYNC_PROP_NAME} if set.
         *
         * @return {@link #FSYNC_DEFAULT} or system property {@link #FSYNC_PROP_NAME} if set.
         */
        public static boolean fsync()
        {
            return Boolean.parseBoolean(System.getProperty(FSYNC_PROP_NAME, String.valueOf(FSYNC_DEFAULT)));
        }

        /**
         * Term length of the log; the largest log entry is an eighth of it.
         */
        public static final String LOG_TERM_LENGTH_PROP_NAME = "metastore.log.term.length";

        /**
         * Default log term length: 16 MiB, so a 1 MiB value fits one entry.
         */
        public static final int LOG_TERM_LENGTH_DEFAULT = 16 * 1024 * 1024;

        /**
         * The value {@link #LOG_TERM_LENGTH_DEFAULT} or system property {@link #LOG_TERM_LENGTH_PROP_NAME} if set.
         *
         * @return {@link #LOG_TERM_LENGTH_DEFAULT} or system property {@link #LOG_TERM_LENGTH_PROP_NAME} if set.
         */
        public static int logTermLength()
        {
            return Integer.getInteger(LOG_TERM_LENGTH_PROP_NAME, LOG_TERM_LENGTH_DEFAULT);
        }

        /**
         * Largest key, in bytes.
         */
        public static final String MAX_KEY_BYTES_PROP_NAME = "metastore.max.key.bytes";

        /**
         * Default largest key: 4 KiB.
         */
        public static final int MAX_KEY_BYTES_DEFAULT = ServiceSettings.MAX_KEY_BYTES_DEFAULT;

        /**
         * The value {@link #MAX_KEY_BYTES_DEFAULT} or system property {@link #MAX_KEY_BYTES_PROP_NAME} if set.
         *
         * @return {@link #MAX_KEY_BYTES_DEFAULT} or system property {@link #MAX_KEY_BYTES_PROP_NAME} if set.
         */
        public static int maxKeyBytes()
        {
            return Integer.getInteger(MAX_KEY_BYTES_PROP_NAME, MAX_KEY_BYTES_DEFAULT);
        }

        /**
         * Largest value, in bytes.
         */
        public static final String MAX_VALUE_BYTES_PROP_NAME = "metastore.max.value.bytes";

        /**
         * Default largest value: 1 MiB.
         */
        public static final int MAX_VALUE_BYTES_DEFAULT = ServiceSettings.MAX_VALUE_BYTES_DEFAULT;

        /**
         * The value {@link #MAX_VALUE_BYTES_DEFAULT} or system property {@link #MAX_VALUE_BYTES_PROP_NAME} if set.
         *
         * @return {@link #MAX_VALUE_BYTES_DEFAULT} or system property {@link #MAX_VALUE_BYTES_PROP_NAME} if set.
         */
        public static int maxValueBytes()
        {
            return Integer.getInteger(MAX_VALUE_BYTES_PROP_NAME, MAX_VALUE_BYTES_DEFAULT);
        }

        /**
         * Soft bound on the keys and values of one range response; past it the response ends with more = true.
         */
        public static final String MAX_RESPONSE_BYTES_PROP_NAME = "metastore.max.response.bytes";

        /**
         * Default response bound: 1 MiB.
         */
        public static final int MAX_RESPONSE_BYTES_DEFAULT = ServiceSettings.MAX_RESPONSE_BYTES_DEFAULT;

        /**
         * The value {@link #MAX_RESPONSE_BYTES_DEFAULT} or system property {@link #MAX_RESPONSE_BYTES_PROP_NAME} if
         * set.
         *
         * @return {@link #MAX_RESPONSE_BYTES_DEFAULT} or system property {@link #MAX_RESPONSE_BYTES_PROP_NAME} if set.
         */
        public static int maxResponseBytes()
        {
            return Integer.getInteger(MAX_RESPONSE_BYTES_PROP_NAME, MAX_RESPONSE_BYTES_DEFAULT);
        }

        /**
         * Responses to one ingress message are sent together up to this many bytes.
         */
        public static final String EGRESS_BATCH_BYTES_PROP_NAME = "metastore.egress.batch.bytes";

        /**
         * Default egress batch: 256 KiB.
         */
        public static final int EGRESS_BATCH_BYTES_DEFAULT = ServiceSettings.EGRESS_BATCH_BYTES_DEFAULT;

        /**
         * The value {@link #EGRESS_BATCH_BYTES_DEFAULT} or system property {@link #EGRESS_BATCH_BYTES_PROP_NAME} if
         * set.
         *
         * @return {@link #EGRESS_BATCH_BYTES_DEFAULT} or system property {@link #EGRESS_BATCH_BYTES_PROP_NAME} if set.
         */
        public static int egressBatchBytes()
        {
            return Integer.getInteger(EGRESS_BATCH_BYTES_PROP_NAME, EGRESS_BATCH_BYTES_DEFAULT);
        }

        /**
         * Offers of a response retried while the client's egress is back pressured, before it is dropped.
         */
        public static final String EGRESS_RETRY_LIMIT_PROP_NAME = "metastore.egress.retry.limit";

        /**
         * Default egress retries.
         */
        public static final int EGRESS_RETRY_LIMIT_DEFAULT = ServiceSettings.EGRESS_RETRY_LIMIT_DEFAULT;

        /**
         * The value {@link #EGRESS_RETRY_LIMIT_DEFAULT} or system property {@link #EGRESS_RETRY_LIMIT_PROP_NAME} if
         * set.
         *
         * @return {@link #EGRESS_RETRY_LIMIT_DEFAULT} or system property {@link #EGRESS_RETRY_LIMIT_PROP_NAME} if set.
         */
        public static int egressRetryLimit()
        {
            return Integer.getInteger(EGRESS_RETRY_LIMIT_PROP_NAME, EGRESS_RETRY_LIMIT_DEFAULT);
        }

        /**
         * Target size of a snapshot's chunk of leases (the history goes as the store's own chunks).
         */
        public static final String SNAPSHOT_CHUNK_BYTES_PROP_NAME = "metastore.snapshot.chunk.bytes";

        /**
         * Default snapshot chunk of leases: 64 KiB.
         */
        public static final int SNAPSHOT_CHUNK_BYTES_DEFAULT = ServiceSettings.SNAPSHOT_CHUNK_BYTES_DEFAULT;

        /**
         * The value {@link #SNAPSHOT_CHUNK_BYTES_DEFAULT} or system property {@link #SNAPSHOT_CHUNK_BYTES_PROP_NAME} if
         * set.
         *
         * @return {@link #SNAPSHOT_CHUNK_BYTES_DEFAULT} or system property {@link #SNAPSHOT_CHUNK_BYTES_PROP_NAME} if
         * set.
         */
        public static int snapshotChunkBytes()
        {
            return Integer.getInteger(SNAPSHOT_CHUNK_BYTES_PROP_NAME, SNAPSHOT_CHUNK_BYTES_DEFAULT);
        }

        /**
         * Log fragments the service applies per poll, and so per RocksDB write.
         */
        public static final String LOG_FRAGMENT_LIMIT_PROP_NAME = "metastore.log.fragment.limit";

        /**
         * Default log fragment limit: 1000, not Aeron's 50, so that under load one RocksDB write covers more of the
         * log (measured: +6-23 % put throughput at 100 in flight); a lone request is still applied at once.
         */
        public static final int LOG_FRAGMENT_LIMIT_DEFAULT = 1000;

        /**
         * The value {@link #LOG_FRAGMENT_LIMIT_DEFAULT} or system property {@link #LOG_FRAGMENT_LIMIT_PROP_NAME} if
         * set.
         *
         * @return {@link #LOG_FRAGMENT_LIMIT_DEFAULT} or system property {@link #LOG_FRAGMENT_LIMIT_PROP_NAME} if set.
         */
        public static int logFragmentLimit()
        {
            return Integer.getInteger(LOG_FRAGMENT_LIMIT_PROP_NAME, LOG_FRAGMENT_LIMIT_DEFAULT);
        }

        /**
         * Time without a heartbeat from the leader before followers elect a new one, in milliseconds.
         */
        public static final String LEADER_HEARTBEAT_TIMEOUT_MS_PROP_NAME = "metastore.leader.heartbeat.timeout.ms";

        /**
         * Default leader heartbeat timeout: 3 s, for one data centre.
         */
        public static final long LEADER_HEARTBEAT_TIMEOUT_MS_DEFAULT = 3000;

        /**
         * The value {@link #LEADER_HEARTBEAT_TIMEOUT_MS_DEFAULT} or system property
         * {@link #LEADER_HEARTBEAT_TIMEOUT_MS_PROP_NAME} if set.
         *
         * @return {@link #LEADER_HEARTBEAT_TIMEOUT_MS_DEFAULT} or system property
         * {@link #LEADER_HEARTBEAT_TIMEOUT_MS_PROP_NAME} if set.
         */
        public static long leaderHeartbeatTimeoutMs()
        {
            return Long.getLong(LEADER_HEARTBEAT_TIMEOUT_MS_PROP_NAME, LEADER_HEARTBEAT_TIMEOUT_MS_DEFAULT);
        }

        /**
         * Longest a thread of the node, or the whole process (a GC or VM pause, SIGSTOP), may go without running
         * before the node is declared dead and fails stop, in milliseconds. It is the media driver's client
         * liveness timeout, which every Aeron client of the node also takes as its own service interval limit
         * ("service interval exceeded"), and so the time after which a hung consensus module, archive or service
         * client is detected.
         */
        public static final String LIVENESS_TIMEOUT_MS_PROP_NAME = "metastore.liveness.timeout.ms";

        /**
         * Default liveness timeout: 8 s, for one data centre. Pauses there are GC pauses (well under a second) and VM
         * stalls or migrations (seconds at worst): 8 s rides them out with a wide margin, and is well past the 3 s
         * leader heartbeat timeout, so a paused leader is replaced and comes back as a follower rather than dying.
         * Longer would leave a cluster whose leader has a hung service unanswered for longer (a hung archive or
         * consensus module stops the leader's heartbeats, as they share a thread, and is voted out sooner). It also
         * stays 1 s (the driver's heartbeat interval) inside the 10 s that Aeron's clients give the driver's heartbeat
         * ({@code aeron.driver.timeout}), which a longer liveness timeout must raise with it.
         */
        public static final long LIVENESS_TIMEOUT_MS_DEFAULT = 8000;

        /**
         * The value {@link #LIVENESS_TIMEOUT_MS_DEFAULT} or system property {@link #LIVENESS_TIMEOUT_MS_PROP_NAME} if
         * set.
         *
         * @return {@link #LIVENESS_TIMEOUT_MS_DEFAULT} or system property {@link #LIVENESS_TIMEOUT_MS_PROP_NAME} if
         * set.
         */
        public static long livenessTimeoutMs()
        {
            return Long.getLong(LIVENESS_TIMEOUT_MS_PROP_NAME, LIVENESS_TIMEOUT_MS_DEFAULT);
        }

        /**
         * Most compares of a transaction, and most operations in each of its lists, as etcd's --max-txn-ops.
         */
        public static final String MAX_TXN_OPS_PROP_NAME = "metastore.txn.max.ops";

        /**
         * Default most operations per transaction list: etcd's.
         */
        public static final int MAX_TXN_OPS_DEFAULT = ServiceSettings.MAX_TXN_OPS_DEFAULT;

        /**
         * The value {@link #MAX_TXN_OPS_DEFAULT} or system property {@link #MAX_TXN_OPS_PROP_NAME} if set.
         *
         * @return {@link #MAX_TXN_OPS_DEFAULT} or system property {@link #MAX_TXN_OPS_PROP_NAME} if set.
         */
        public static int maxTxnOps()
        {
            return Integer.getInteger(MAX_TXN_OPS_PROP_NAME, MAX_TXN_OPS_DEFAULT);
        }

        /**
         * Smallest lease TTL in seconds; a smaller one is raised to it, as etcd does.
         */
        public static final String LEASE_MIN_TTL_PROP_NAME = "metastore.lease.min.ttl.seconds";

        /**
         * Default smallest lease TTL: 2 s.
         */
        public static final long LEASE_MIN_TTL_DEFAULT = LeaseLimits.DEFAULT.minTtl();

        /**
         * The value {@link #LEASE_MIN_TTL_DEFAULT} or system property {@link #LEASE_MIN_TTL_PROP_NAME} if set, in
         * seconds.
         *
         * @return {@link #LEASE_MIN_TTL_DEFAULT} or system property {@link #LEASE_MIN_TTL_PROP_NAME} if set, in
         * seconds.
         */
        public static long leaseMinTtl()
        {
            return Long.getLong(LEASE_MIN_TTL_PROP_NAME, LEASE_MIN_TTL_DEFAULT);
        }

        /**
         * Largest lease TTL in seconds; a larger one is refused.
         */
        public static final String LEASE_MAX_TTL_PROP_NAME = "metastore.lease.max.ttl.seconds";

        /**
         * Default largest lease TTL: etcd's, 9,000,000,000 s.
         */
        public static final long LEASE_MAX_TTL_DEFAULT = LeaseLimits.DEFAULT.maxTtl();

        /**
         * The value {@link #LEASE_MAX_TTL_DEFAULT} or system property {@link #LEASE_MAX_TTL_PROP_NAME} if set, in
         * seconds.
         *
         * @return {@link #LEASE_MAX_TTL_DEFAULT} or system property {@link #LEASE_MAX_TTL_PROP_NAME} if set, in
         * seconds.
         */
        public static long leaseMaxTtl()
        {
            return Long.getLong(LEASE_MAX_TTL_PROP_NAME, LEASE_MAX_TTL_DEFAULT);
        }

        /**
         * Most live leases.
         */
        public static final String MAX_LEASES_PROP_NAME = "metastore.lease.max.count";

        /**
         * Default most live leases.
         */
        public static final int MAX_LEASES_DEFAULT = LeaseLimits.DEFAULT.maxLeases();

        /**
         * The value {@link #MAX_LEASES_DEFAULT} or system property {@link #MAX_LEASES_PROP_NAME} if set.
         *
         * @return {@link #MAX_LEASES_DEFAULT} or system property {@link #MAX_LEASES_PROP_NAME} if set.
         */
        public static int maxLeases()
        {
            return Integer.getInteger(MAX_LEASES_PROP_NAME, MAX_LEASES_DEFAULT);
        }

        /**
         * Most keys attached to one lease.
         */
        public static final String MAX_KEYS_PER_LEASE_PROP_NAME = "metastore.lease.max.keys";

        /**
         * Default most keys attached to one lease.
         */
        public static final int MAX_KEYS_PER_LEASE_DEFAULT = LeaseLimits.DEFAULT.maxKeysPerLease();

        /**
         * The value {@link #MAX_KEYS_PER_LEASE_DEFAULT} or system property {@link #MAX_KEYS_PER_LEASE_PROP_NAME} if
         * set.
         *
         * @return {@link #MAX_KEYS_PER_LEASE_DEFAULT} or system property {@link #MAX_KEYS_PER_LEASE_PROP_NAME} if set.
         */
        public static int maxKeysPerLease()
        {
            return Integer.getInteger(MAX_KEYS_PER_LEASE_PROP_NAME, MAX_KEYS_PER_LEASE_DEFAULT);
        }

        /**
         * Most client sessions connected at once.
         */
        public static final String MAX_SESSIONS_PROP_NAME = "metastore.max.sessions";

        /**
         * Default most sessions.
         */
        public static final int MAX_SESSIONS_DEFAULT = 100;

        /**
         * The value {@link #MAX_SESSIONS_DEFAULT} or system property {@link #MAX_SESSIONS_PROP_NAME} if set.
         *
         * @return {@link #MAX_SESSIONS_DEFAULT} or system property {@link #MAX_SESSIONS_PROP_NAME} if set.
         */
        public static int maxSessions()
        {
            return Integer.getInteger(MAX_SESSIONS_PROP_NAME, MAX_SESSIONS_DEFAULT);
        }

        /**
         * Log bytes between two snapshots the leader asks for, as etcd's {@code --snapshot-count} counts entries: a
         * restart replays the log from the last snapshot, so this bounds the time a member takes to serve again. A
         * snapshot holds the service (on every member, at the same log position) while it streams the whole state.
         * 0 turns it off.
         */
        public static final String SNAPSHOT_LOG_BYTES_PROP_NAME = "metastore.snapshot.log.bytes";

        /**
         * Default log bytes between snapshots: 256 MiB, about 800,000 puts of small values.
         */
        public static final long SNAPSHOT_LOG_BYTES_DEFAULT = 256L * 1024 * 1024;

        /**
         * The value {@link #SNAPSHOT_LOG_BYTES_DEFAULT} or system property {@link #SNAPSHOT_LOG_BYTES_PROP_NAME} if
         * set.
         *
         * @return {@link #SNAPSHOT_LOG_BYTES_DEFAULT} or system property {@link #SNAPSHOT_LOG_BYTES_PROP_NAME} if set.
         */
        public static long snapshotLogBytes()
        {
            return Long.getLong(SNAPSHOT_LOG_BYTES_PROP_NAME, SNAPSHOT_LOG_BYTES_DEFAULT);
        }

        /**
         * Log kept before the newest snapshot: older recorded log is purged, whole archive segments at a time. A
         * restart replays only from the newest snapshot; what is kept is how far a member may fall behind the newest
         * snapshot and still catch up from the leader's recording (Aeron 1.51's followers catch up from the leader's
         * log only, never from its snapshots), and once anything is purged a member that lost its log
         * ({@code repair --discard}) can no longer fetch it whole. -1 keeps the whole log.
         */
        public static final String LOG_RETENTION_BYTES_PROP_NAME = "metastore.log.retention.bytes";

        /**
         * Default: -1, the whole log is kept, as before retention existed, so that a member that lost its log can
         * still rejoin by fetching it from the leader; purging is the operator's choice of a bound.
         */
        public static final long LOG_RETENTION_BYTES_DEFAULT = -1;

        /**
         * The value {@link #LOG_RETENTION_BYTES_DEFAULT} or system property {@link #LOG_RETENTION_BYTES_PROP_NAME} if
         * set.
         *
         * @return {@link #LOG_RETENTION_BYTES_DEFAULT} or system property {@link #LOG_RETENTION_BYTES_PROP_NAME} if
         *         set.
         */
        public static long logRetentionBytes()
        {
            return Long.getLong(LOG_RETENTION_BYTES_PROP_NAME, LOG_RETENTION_BYTES_DEFAULT);
        }

        /**
         * Recorded log before the newest snapshot kept while younger than this: log before the newest snapshot taken
         * at least this long ago is purged. With {@link #LOG_RETENTION_BYTES_PROP_NAME} too, what either keeps is
         * kept. -1 keeps the whole log.
         */
        public static final String LOG_RETENTION_PERIOD_MS_PROP_NAME = "metastore.log.retention.period.ms";

        /**
         * Default: -1, no period: the whole log is kept unless {@link #LOG_RETENTION_BYTES_PROP_NAME} says otherwise.
         */
        public static final long LOG_RETENTION_PERIOD_MS_DEFAULT = -1;

        /**
         * The value {@link #LOG_RETENTION_PERIOD_MS_DEFAULT} or system property
         * {@link #LOG_RETENTION_PERIOD_MS_PROP_NAME} if set.
         *
         * @return {@link #LOG_RETENTION_PERIOD_MS_DEFAULT} or system property
         * {@link #LOG_RETENTION_PERIOD_MS_PROP_NAME} if set.
         */
        public static long logRetentionPeriodMs()
        {
            return Long.getLong(LOG_RETENTION_PERIOD_MS_PROP_NAME, LOG_RETENTION_PERIOD_MS_DEFAULT);
        }

        /**
         * Length of a segment file of the recorded log (Aeron's archive segment), a power of two: the granularity of
         * log retention. A term longer than it makes the segment the term's length.
         */
        public static final String LOG_SEGMENT_BYTES_PROP_NAME = "metastore.log.segment.bytes";

        /**
         * Default segment: 128 MiB, Aeron's.
         */
        public static final int LOG_SEGMENT_BYTES_DEFAULT = 128 * 1024 * 1024;

        /**
         * The value {@link #LOG_SEGMENT_BYTES_DEFAULT} or system property {@link #LOG_SEGMENT_BYTES_PROP_NAME} if set.
         *
         * @return {@link #LOG_SEGMENT_BYTES_DEFAULT} or system property {@link #LOG_SEGMENT_BYTES_PROP_NAME} if set.
         */
        public static int logSegmentBytes()
        {
            return Integer.getInteger(LOG_SEGMENT_BYTES_PROP_NAME, LOG_SEGMENT_BYTES_DEFAULT);
        }

        /**
         * Usable space on the data directory's file system below which the node raises the NOSPACE alarm: the cluster
         * refuses puts, transactions that put and lease grants until it is cleared. 0 turns it off.
         */
        public static final String DISK_ALARM_BYTES_PROP_NAME = "metastore.disk.alarm.bytes";

        /**
         * Default alarm threshold: 512 MiB, room for RocksDB's flushes and compactions and the log of the writes
         * in flight while the alarm goes through the log.
         */
        public static final long DISK_ALARM_BYTES_DEFAULT = 512L * 1024 * 1024;

        /**
         * The value {@link #DISK_ALARM_BYTES_DEFAULT} or system property {@link #DISK_ALARM_BYTES_PROP_NAME} if set.
         *
         * @return {@link #DISK_ALARM_BYTES_DEFAULT} or system property {@link #DISK_ALARM_BYTES_PROP_NAME} if set.
         */
        public static long diskAlarmBytes()
        {
            return Long.getLong(DISK_ALARM_BYTES_PROP_NAME, DISK_ALARM_BYTES_DEFAULT);
        }

        /**
         * Usable space below which the node stops (non-zero exit) rather than meet a full file system half way
         * through a write of RocksDB or of Aeron's memory-mapped files; it also refuses to start below it. 0 turns it
         * off.
         */
        public static final String DISK_RESERVE_BYTES_PROP_NAME = "metastore.disk.reserve.bytes";

        /**
         * Default reserve: 128 MiB, more than the node writes between two checks.
         */
        public static final long DISK_RESERVE_BYTES_DEFAULT = 128L * 1024 * 1024;

        /**
         * The value {@link #DISK_RESERVE_BYTES_DEFAULT} or system property {@link #DISK_RESERVE_BYTES_PROP_NAME} if
         * set.
         *
         * @return {@link #DISK_RESERVE_BYTES_DEFAULT} or system property {@link #DISK_RESERVE_BYTES_PROP_NAME} if set.
         */
        public static long diskReserveBytes()
        {
            return Long.getLong(DISK_RESERVE_BYTES_PROP_NAME, DISK_RESERVE_BYTES_DEFAULT);
        }

        /**
         * Milliseconds after which a watch that asked for progress notifications and had nothing to send gets one.
         */
        public static final String WATCH_PROGRESS_NOTIFY_INTERVAL_MS_PROP_NAME =
            "metastore.watch.progress.notify.interval.ms";

        /**
         * Default progress notification interval: 10 minutes, etcd's.
         */
        public static final long WATCH_PROGRESS_NOTIFY_INTERVAL_MS_DEFAULT = 600_000;

        /**
         * The value {@link #WATCH_PROGRESS_NOTIFY_INTERVAL_MS_DEFAULT} or system property
         * {@link #WATCH_PROGRESS_NOTIFY_INTERVAL_MS_PROP_NAME} if set.
         *
         * @return the progress notification interval in milliseconds.
         */
        public static long watchProgressNotifyIntervalMs()
        {
            return Long.getLong(
                WATCH_PROGRESS_NOTIFY_INTERVAL_MS_PROP_NAME, WATCH_PROGRESS_NOTIFY_INTERVAL_MS_DEFAULT);
        }

        /**
         * Milliseconds after which a read session that sent nothing is closed, its watches with it.
         */
        public static final String READ_SESSION_TIMEOUT_MS_PROP_NAME = "metastore.read.session.timeout.ms";

        /**
         * Default read session timeout: 10 s (clients send a keep-alive every 250 ms).
         */
        public static final long READ_SESSION_TIMEOUT_MS_DEFAULT = 10_000;

        /**
         * The value {@link #READ_SESSION_TIMEOUT_MS_DEFAULT} or system property
         * {@link #READ_SESSION_TIMEOUT_MS_PROP_NAME} if set.
         *
         * @return the read session timeout in milliseconds.
         */
        public static long readSessionTimeoutMs()
        {
            return Long.getLong(READ_SESSION_TIMEOUT_MS_PROP_NAME, READ_SESSION_TIMEOUT_MS_DEFAULT);
        }

        /**
         * TCP port of the member's metrics endpoint ({@code GET /metrics}, Prometheus' text format); 0 turns it off.
         */
        public static final String METRICS_PORT_PROP_NAME = "metastore.metrics.port";

        /**
         * Default metrics port: 0, off.
         */
        public static final int METRICS_PORT_DEFAULT = 0;

        /**
         * The value {@link #METRICS_PORT_DEFAULT} or system property {@link #METRICS_PORT_PROP_NAME} if set.
         *
         * @return the metrics port, 0 for none.
         */
        public static int metricsPort()
        {
            return Integer.getInteger(METRICS_PORT_PROP_NAME, METRICS_PORT_DEFAULT);
        }

        /**
         * Address the metrics endpoint binds to.
         */
        public static final String METRICS_HOST_PROP_NAME = "metastore.metrics.host";

        /**
         * Default metrics address: loopback only; a scraper on another host needs an address of the member's own.
         */
        public static final String METRICS_HOST_DEFAULT = "127.0.0.1";

        /**
         * The value {@link #METRICS_HOST_DEFAULT} or system property {@link #METRICS_HOST_PROP_NAME} if set.
         *
         * @return the address the metrics endpoint binds to.
         */
        public static String metricsHost()
        {
            return System.getProperty(METRICS_HOST_PROP_NAME, METRICS_HOST_DEFAULT);
        }

        /**
         * Milliseconds between two readings of the usable space.
         */
        public static final String DISK_CHECK_INTERVAL_MS_PROP_NAME = "metastore.disk.check.interval.ms";

        /**
         * Default interval between readings of the usable space: 100 ms (a statfs call).
         */
        public static final long DISK_CHECK_INTERVAL_MS_DEFAULT = 100;

        /**
         * The value {@link #DISK_CHECK_INTERVAL_MS_DEFAULT} or system property
         * {@link #DISK_CHECK_INTERVAL_MS_PROP_NAME} if set.
         *
         * @return {@link #DISK_CHECK_INTERVAL_MS_DEFAULT} or system property {@link #DISK_CHECK_INTERVAL_MS_PROP_NAME}
         * if set.
         */
        public static long diskCheckIntervalMs()
        {
            return Long.getLong(DISK_CHECK_INTERVAL_MS_PROP_NAME, DISK_CHECK_INTERVAL_MS_DEFAULT);
        }

        /**
         * Size of the store above which this member raises the NOSPACE alarm (etcd's {@code --quota-backend-bytes});
         * 0 for no quota.
         */
        public static final String QUOTA_BACKEND_BYTES_PROP_NAME = "metastore.quota.backend.bytes";

        /**
         * Default quota: etcd's, 2 GiB.
         */
        public static final long QUOTA_BACKEND_BYTES_DEFAULT = 2L * 1024 * 1024 * 1024;

        /**
         * Automatic compaction mode, as etcd's {@code --auto-compaction-mode}: {@code periodic} keeps a period of
         * history, {@code revision} a number of revisions.
         */
        public static final String AUTO_COMPACTION_MODE_PROP_NAME = "metastore.auto.compaction.mode";

        /**
         * Default mode: etcd's, periodic.
         */
        public static final String AUTO_COMPACTION_MODE_DEFAULT = "periodic";

        /**
         * What automatic compaction keeps, as etcd's {@code --auto-compaction-retention}: for {@code periodic} a
         * duration ({@code 30m}, {@code 1h}, {@code 10s}; a bare number is hours), for {@code revision} a number of
         * revisions; 0 turns automatic compaction off.
         */
        public static final String AUTO_COMPACTION_RETENTION_PROP_NAME = "metastore.auto.compaction.retention";

        /**
         * Default retention: off, as in etcd.
         */
        public static final String AUTO_COMPACTION_RETENTION_DEFAULT = "0";

        /**
         * @return {@link #QUOTA_BACKEND_BYTES_DEFAULT} or system property {@link #QUOTA_BACKEND_BYTES_PROP_NAME} if
         * set.
         */
        public static long quotaBackendBytes()
        {
            return Long.getLong(QUOTA_BACKEND_BYTES_PROP_NAME, QUOTA_BACKEND_BYTES_DEFAULT);
        }

        /**
         * @return {@link #AUTO_COMPACTION_MODE_DEFAULT} or system property {@link #AUTO_COMPACTION_MODE_PROP_NAME} if
         * set.
         */
        public static String autoCompactionMode()
        {
            return System.getProperty(AUTO_COMPACTION_MODE_PROP_NAME, AUTO_COMPACTION_MODE_DEFAULT);
        }

        /**
         * @return {@link #AUTO_COMPACTION_RETENTION_DEFAULT} or system property
         * {@link #AUTO_COMPACTION_RETENTION_PROP_NAME} if set.
         */
        public static String autoCompactionRetention()
        {
            return System.getProperty(AUTO_COMPACTION_RETENTION_PROP_NAME, AUTO_COMPACTION_RETENTION_DEFAULT);
        }

        private Configuration()
        {
        }
    }

    /**
     * Configuration of a node. Setters are fluent; {@link #conclude()} fills defaults and checks every value. Each
     * setting starts from its {@link Configuration} getter: a system property, else the default.
     * <p>
     * Unlike Aeron's contexts, this one has no {@code close()}, because it owns nothing to close. Aeron's
     * {@code conclude()} maps a CnC or mark file, creates an error log or counters, or connects an Aeron client,
     * and its {@code close()} releases them. This {@link #conclude()} only checks values and fills in two: the
     * Aeron directory's name (the node's media driver creates that directory and deletes it when it closes) and a
     * {@link NodeErrors}, which holds no resource. Everything the node opens (its locks, RocksDB, Aeron's
     * components and their contexts, its threads) belongs to {@link MetaStoreNode}, which closes it all.
     */
    public static final class Context
    {
        /**
         * Every setting a node's JVM may be given: the node's, its client's (a node proposes alarms as a client,
         * and embedded nodes share a JVM with clients) and the idle strategy's.
         */
        private static final Set<String> SETTINGS = SettingNames.declaredBy(
            Configuration.class, MetaStoreClient.Configuration.class, TimerSlackIdleStrategy.class,
            RocksDbStorage.class);

        /**
         * Below a couple of the driver's timer ticks (1 s) and its clients' keepalives (0.5 s) the timeout would
         * fire on a healthy node.
         */
        static final long MIN_LIVENESS_TIMEOUT_MS = 2000;

        /**
         * The media driver updates its heartbeat once per timer interval: after a pause a client may see it this
         * much older than the pause itself.
         */
        static final long DRIVER_HEARTBEAT_INTERVAL_MS =
            TimeUnit.NANOSECONDS.toMillis(io.aeron.driver.Configuration.timerIntervalNs());

        private static final AtomicIntegerFieldUpdater<Context> IS_CONCLUDED_UPDATER =
            AtomicIntegerFieldUpdater.newUpdater(Context.class, "isConcluded");

        private volatile int isConcluded;
        private int memberId = Configuration.memberId();
        private String members = Configuration.members();
        private int basePort = Configuration.basePort();
        private int clusterId = Configuration.clusterId();
        private File dataDir = new File(Configuration.dataDirName());
        private String aeronDirectoryName = Configuration.aeronDirectoryName();
        private IdleProfile idleProfile = Configuration.idleProfile();
        private boolean fsync = Configuration.fsync();
        private boolean archiveOnConsensusThread = Configuration.archiveOnConsensusThread();
        private int logTermLength = Configuration.logTermLength();
        private int maxKeyBytes = Configuration.maxKeyBytes();
        private int maxValueBytes = Configuration.maxValueBytes();
        private int maxResponseBytes = Configuration.maxResponseBytes();
        private int egressBatchBytes = Configuration.egressBatchBytes();
        private int egressRetryLimit = Configuration.egressRetryLimit();
        private int snapshotChunkBytes = Configuration.snapshotChunkBytes();
        private int logFragmentLimit = Configuration.logFragmentLimit();
        private long leaderHeartbeatTimeoutMs = Configuration.leaderHeartbeatTimeoutMs();
        private long livenessTimeoutMs = Configuration.livenessTimeoutMs();
        private int maxSessions = Configuration.maxSessions();
        private int maxTxnOps = Configuration.maxTxnOps();
        private long leaseMinTtl = Configuration.leaseMinTtl();
        private long leaseMaxTtl = Configuration.leaseMaxTtl();
        private int maxLeases = Configuration.maxLeases();
        private int maxKeysPerLease = Configuration.maxKeysPerLease();
        private long snapshotLogBytes = Configuration.snapshotLogBytes();
        private long logRetentionBytes = Configuration.logRetentionBytes();
        private long logRetentionPeriodMs = Configuration.logRetentionPeriodMs();
        private int logSegmentBytes = Configuration.logSegmentBytes();
        private long diskAlarmBytes = Configuration.diskAlarmBytes();
        private long diskReserveBytes = Configuration.diskReserveBytes();
        private long diskCheckIntervalMs = Configuration.diskCheckIntervalMs();
        private long watchProgressNotifyIntervalMs = Configuration.watchProgressNotifyIntervalMs();
        private long readSessionTimeoutMs = Configuration.readSessionTimeoutMs();
        private int metricsPort = Configuration.metricsPort();
        private String metricsHost = Configuration.metricsHost();
        private long quotaBackendBytes = Configuration.quotaBackendBytes();
        private String autoCompactionMode = Configuration.autoCompactionMode();
        private String autoCompactionRetention = Configuration.autoCompactionRetention();
        private AutoCompaction autoCompaction;
        private NodeErrors errorHandler;
        private Runnable terminationHook = () -> {};
        private Runnable readyHook = () -> {};
        private List<String> memberHosts;

        /**
         * Fill in what depends on other settings and check every value; an error names the setting. Once only, as
         * Aeron's contexts: a context belongs to the node it was concluded for.
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

            final String unknownSetting =
                SettingNames.findUnknown(System.getProperties(), SettingNames.PREFIX, SETTINGS);
            if (null != unknownSetting)
            {
                throw new ConfigurationException(unknownSetting);
            }
            memberHosts = ClusterMembers.parseHosts(members);
            require(memberHosts.size() == 1 || memberHosts.size() == 3 || memberHosts.size() == 5,
                Configuration.MEMBERS_PROP_NAME, "must name 1, 3 or 5 members: " + members);
            require(memberId >= 0 && memberId < memberHosts.size(),
                Configuration.MEMBER_ID_PROP_NAME, memberId + " is not a member of " + members);
            require(basePort > 0 && basePort + memberHosts.size() * ClusterMembers.PORTS_PER_MEMBER < 65536,
                Configuration.BASE_PORT_PROP_NAME, "ports from " + basePort + " do not fit below 65536");
            require(maxKeyBytes > 0, Configuration.MAX_KEY_BYTES_PROP_NAME, "must be positive: " + maxKeyBytes);
            require(maxValueBytes >= 0, Configuration.MAX_VALUE_BYTES_PROP_NAME, "must not be negative");
            require(Integer.bitCount(logTermLength) == 1 && logTermLength >= 64 * 1024 &&
                logTermLength <= 1024 * 1024 * 1024,
                Configuration.LOG_TERM_LENGTH_PROP_NAME, "must be a power of two from 64 KiB to 1 GiB: " +
                logTermLength);
            final long largestRequest = (long)maxKeyBytes + maxValueBytes + MAX_REQUEST_OVERHEAD;
            require(largestRequest <= logTermLength / 8,
                Configuration.LOG_TERM_LENGTH_PROP_NAME, "a log entry holds at most an eighth of the term, " +
                (logTermLength / 8) + " bytes, less than the largest request, " + largestRequest + " bytes: raise " +
                Configuration.LOG_TERM_LENGTH_PROP_NAME + " or lower " + Configuration.MAX_VALUE_BYTES_PROP_NAME);
            require(maxResponseBytes > 0, Configuration.MAX_RESPONSE_BYTES_PROP_NAME, "must be positive");
            require(egressBatchBytes > 0, Configuration.EGRESS_BATCH_BYTES_PROP_NAME, "must be positive");
            require(egressRetryLimit >= 0, Configuration.EGRESS_RETRY_LIMIT_PROP_NAME, "must not be negative");
            require(snapshotChunkBytes > 0, Configuration.SNAPSHOT_CHUNK_BYTES_PROP_NAME, "must be positive");
            require(logFragmentLimit > 0, Configuration.LOG_FRAGMENT_LIMIT_PROP_NAME, "must be positive");
            require(leaderHeartbeatTimeoutMs > 0, Configuration.LEADER_HEARTBEAT_TIMEOUT_MS_PROP_NAME,
                "must be positive");
            require(livenessTimeoutMs >= MIN_LIVENESS_TIMEOUT_MS, Configuration.LIVENESS_TIMEOUT_MS_PROP_NAME,
                "must be at least " + MIN_LIVENESS_TIMEOUT_MS + " ms: " + livenessTimeoutMs);
            final long driverTimeoutMs = new CommonContext().driverTimeoutMs();
            require(livenessTimeoutMs + DRIVER_HEARTBEAT_INTERVAL_MS <= driverTimeoutMs,
                Configuration.LIVENESS_TIMEOUT_MS_PROP_NAME, livenessTimeoutMs + " ms needs the Aeron clients' " +
                "timeout for the driver's heartbeat (" + CommonContext.DRIVER_TIMEOUT_PROP_NAME + ", now " +
                driverTimeoutMs + " ms) to be at least " + (livenessTimeoutMs + DRIVER_HEARTBEAT_INTERVAL_MS) +
                " ms: raise it with -D" + CommonContext.DRIVER_TIMEOUT_PROP_NAME);
            require(maxSessions > 0, Configuration.MAX_SESSIONS_PROP_NAME, "must be positive");
            require(maxTxnOps > 0 && maxTxnOps <= Protocol.MAX_GROUP_ENTRIES, Configuration.MAX_TXN_OPS_PROP_NAME,
                "must be from 1 to " + Protocol.MAX_GROUP_ENTRIES + ": " + maxTxnOps);
            require(leaseMinTtl >= 1, Configuration.LEASE_MIN_TTL_PROP_NAME, "must be at least 1: " + leaseMinTtl);
            require(leaseMaxTtl >= leaseMinTtl && leaseMaxTtl <= LeaseLimits.MAX_TTL_DEFAULT,
                Configuration.LEASE_MAX_TTL_PROP_NAME, "must be from the minimum TTL to " +
                LeaseLimits.MAX_TTL_DEFAULT + ": " + leaseMaxTtl);
            require(maxLeases > 0, Configuration.MAX_LEASES_PROP_NAME, "must be positive");
            require(maxKeysPerLease > 0, Configuration.MAX_KEYS_PER_LEASE_PROP_NAME, "must be positive");
            require(null != dataDir, Configuration.DATA_DIR_PROP_NAME, "must be set");
            require(snapshotLogBytes >= 0, Configuration.SNAPSHOT_LOG_BYTES_PROP_NAME, "must not be negative");
            require(logRetentionBytes >= -1, Configuration.LOG_RETENTION_BYTES_PROP_NAME,
                "must be -1 (keep all) or more: " + logRetentionBytes);
            require(logRetentionPeriodMs == -1 || logRetentionPeriodMs > 0,
                Configuration.LOG_RETENTION_PERIOD_MS_PROP_NAME,
                "must be -1 (no period) or positive: " + logRetentionPeriodMs);
            require(Integer.bitCount(logSegmentBytes) == 1 && logSegmentBytes >= 64 * 1024 &&
                logSegmentBytes <= 1024 * 1024 * 1024, Configuration.LOG_SEGMENT_BYTES_PROP_NAME,
                "must be a power of two from 64 KiB to 1 GiB: " + logSegmentBytes);
            require(diskAlarmBytes >= 0, Configuration.DISK_ALARM_BYTES_PROP_NAME, "must not be negative");
            require(diskReserveBytes >= 0, Configuration.DISK_RESERVE_BYTES_PROP_NAME, "must not be negative");
            require(0 == diskAlarmBytes || diskAlarmBytes > diskReserveBytes, Configuration.DISK_ALARM_BYTES_PROP_NAME,
                "must be above the reserve, " + Configuration.DISK_RESERVE_BYTES_PROP_NAME + "=" + diskReserveBytes +
                ", or 0: " + diskAlarmBytes);
            require(diskCheckIntervalMs > 0, Configuration.DISK_CHECK_INTERVAL_MS_PROP_NAME, "must be positive");
            require(watchProgressNotifyIntervalMs > 0, Configuration.WATCH_PROGRESS_NOTIFY_INTERVAL_MS_PROP_NAME,
                "must be positive");
            require(readSessionTimeoutMs > 0, Configuration.READ_SESSION_TIMEOUT_MS_PROP_NAME, "must be positive");
            require(metricsPort >= 0 && metricsPort < 65536, Configuration.METRICS_PORT_PROP_NAME,
                "must be a TCP port, or 0 for none: " + metricsPort);
            require(null != metricsHost && !metricsHost.isEmpty(), Configuration.METRICS_HOST_PROP_NAME,
                "must name an address");
            require(quotaBackendBytes >= 0, Configuration.QUOTA_BACKEND_BYTES_PROP_NAME, "must not be negative");
            try
            {
                autoCompaction = AutoCompaction.parse(autoCompactionMode, autoCompactionRetention);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigurationException(Configuration.AUTO_COMPACTION_MODE_PROP_NAME + " and " +
                    Configuration.AUTO_COMPACTION_RETENTION_PROP_NAME + ": " + ex.getMessage());
            }

            if (null == aeronDirectoryName)
            {
                aeronDirectoryName = defaultAeronDirectoryName(basePort, memberId);
            }
            if (null == errorHandler)
            {
                errorHandler = NodeErrors.logging();
            }

            return this;
        }

        /**
         * @param maxTxnOps most compares, and most operations per list, of one transaction.
         * @return this for a fluent API.
         */
        public Context maxTxnOps(final int maxTxnOps)
        {
            this.maxTxnOps = maxTxnOps;
            return this;
        }

        /**
         * @return most compares, and most operations per list, of one transaction.
         */
        public int maxTxnOps()
        {
            return maxTxnOps;
        }

        /**
         * @param leaseMinTtl smallest lease TTL in seconds; smaller ones are raised to it.
         * @return this for a fluent API.
         */
        public Context leaseMinTtl(final long leaseMinTtl)
        {
            this.leaseMinTtl = leaseMinTtl;
            return this;
        }

        /**
         * @return smallest lease TTL in seconds.
         */
        public long leaseMinTtl()
        {
            return leaseMinTtl;
        }

        /**
         * @param leaseMaxTtl largest lease TTL in seconds.
         * @return this for a fluent API.
         */
        public Context leaseMaxTtl(final long leaseMaxTtl)
        {
            this.leaseMaxTtl = leaseMaxTtl;
            return this;
        }

        /**
         * @return largest lease TTL in seconds.
         */
        public long leaseMaxTtl()
        {
            return leaseMaxTtl;
        }

        /**
         * @param maxLeases most live leases.
         * @return this for a fluent API.
         */
        public Context maxLeases(final int maxLeases)
        {
            this.maxLeases = maxLeases;
            return this;
        }

        /**
         * @return most live leases.
         */
        public int maxLeases()
        {
            return maxLeases;
        }

        /**
         * @param maxKeysPerLease most keys attached to one lease.
         * @return this for a fluent API.
         */
        public Context maxKeysPerLease(final int maxKeysPerLease)
        {
            this.maxKeysPerLease = maxKeysPerLease;
            return this;
        }

        /**
         * @return most keys attached to one lease.
         */
        public int maxKeysPerLease()
        {
            return maxKeysPerLease;
        }

        /**
         * @return the lease bounds, once concluded.
         */
        public LeaseLimits leaseLimits()
        {
            return new LeaseLimits(leaseMinTtl, leaseMaxTtl, maxLeases, maxKeysPerLease);
        }

        /**
         * @return the settings the clustered service is built from, taken from this context.
         */
        public ServiceSettings serviceSettings()
        {
            return new ServiceSettings()
                .clusterId(clusterId)
                .maxKeyBytes(maxKeyBytes)
                .maxValueBytes(maxValueBytes)
                .maxResponseBytes(maxResponseBytes)
                .egressBatchBytes(egressBatchBytes)
                .egressRetryLimit(egressRetryLimit)
                .snapshotChunkBytes(snapshotChunkBytes)
                .maxTxnOps(maxTxnOps)
                .leaseLimits(leaseLimits())
                .autoCompaction(null == autoCompaction ?
                    AutoCompaction.parse(autoCompactionMode, autoCompactionRetention) : autoCompaction);
        }

        /**
         * @param quotaBackendBytes size of the store above which the NOSPACE alarm is raised; 0 for no quota.
         * @return this for a fluent API.
         */
        public Context quotaBackendBytes(final long quotaBackendBytes)
        {
            this.quotaBackendBytes = quotaBackendBytes;
            return this;
        }

        /**
         * @return size of the store above which the NOSPACE alarm is raised; 0 for no quota.
         */
        public long quotaBackendBytes()
        {
            return quotaBackendBytes;
        }

        /**
         * @param mode      {@code periodic} or {@code revision}, as etcd's {@code --auto-compaction-mode}.
         * @param retention a duration for periodic (a bare number is hours), a number of revisions for revision;
         *                  0 for off.
         * @return this for a fluent API.
         */
        public Context autoCompaction(final String mode, final String retention)
        {
            this.autoCompactionMode = mode;
            this.autoCompactionRetention = retention;
            return this;
        }

        /**
         * @return the automatic compaction, once concluded.
         */
        public AutoCompaction autoCompaction()
        {
            return autoCompaction;
        }

        /**
         * @param memberId of this node in the member list.
         * @return this for a fluent API.
         */
        public Context memberId(final int memberId)
        {
            this.memberId = memberId;
            return this;
        }

        /**
         * @return id of this node in the member list.
         */
        public int memberId()
        {
            return memberId;
        }

        /**
         * @param members comma separated hosts of the members, member 0 first.
         * @return this for a fluent API.
         */
        public Context members(final String members)
        {
            this.members = members;
            return this;
        }

        /**
         * @return comma separated hosts of the members.
         */
        public String members()
        {
            return members;
        }

        /**
         * @return hosts of the members, once concluded.
         */
        public List<String> memberHosts()
        {
            return memberHosts;
        }

        /**
         * @return host of this member, once concluded.
         */
        public String memberHost()
        {
            return memberHosts.get(memberId);
        }

        /**
         * @return the ingress endpoints clients connect to, once concluded.
         */
        public String ingressEndpoints()
        {
            return ClusterMembers.ingressEndpoints(memberHosts, basePort);
        }

        /**
         * @param basePort first port of the cluster.
         * @return this for a fluent API.
         */
        public Context basePort(final int basePort)
        {
            this.basePort = basePort;
            return this;
        }

        /**
         * @return first port of the cluster.
         */
        public int basePort()
        {
            return basePort;
        }

        /**
         * @param clusterId reported in every response header.
         * @return this for a fluent API.
         */
        public Context clusterId(final int clusterId)
        {
            this.clusterId = clusterId;
            return this;
        }

        /**
         * @return the cluster id.
         */
        public int clusterId()
        {
            return clusterId;
        }

        /**
         * @param dataDir parent directory of the nodes' data.
         * @return this for a fluent API.
         */
        public Context dataDir(final File dataDir)
        {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * @return parent directory of the nodes' data.
         */
        public File dataDir()
        {
            return dataDir;
        }

        /**
         * @return this node's directory: RocksDB, archive and cluster files.
         */
        public File nodeDir()
        {
            return new File(dataDir, "node-" + memberId);
        }

        /**
         * @param aeronDirectoryName of the node's media driver.
         * @return this for a fluent API.
         */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        /**
         * @return the Aeron directory of the node's media driver.
         */
        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        /**
         * @param idleProfile of the node's agents.
         * @return this for a fluent API.
         */
        public Context idleProfile(final IdleProfile idleProfile)
        {
            this.idleProfile = idleProfile;
            return this;
        }

        /**
         * @return the idle profile of the node's agents.
         */
        public IdleProfile idleProfile()
        {
            return idleProfile;
        }

        /**
         * @param archiveOnConsensusThread to run the archive on the consensus module's thread, else on its own.
         * @return this for a fluent API.
         */
        public Context archiveOnConsensusThread(final boolean archiveOnConsensusThread)
        {
            this.archiveOnConsensusThread = archiveOnConsensusThread;
            return this;
        }

        /**
         * @return true if the archive runs on the consensus module's thread.
         */
        public boolean archiveOnConsensusThread()
        {
            return archiveOnConsensusThread;
        }

        /**
         * @param fsync sync the log to disk before an entry counts as written.
         * @return this for a fluent API.
         */
        public Context fsync(final boolean fsync)
        {
            this.fsync = fsync;
            return this;
        }

        /**
         * @return true if the log is synced to disk.
         */
        public boolean fsync()
        {
            return fsync;
        }

        /**
         * @param logTermLength of the log, a power of two.
         * @return this for a fluent API.
         */
        public Context logTermLength(final int logTermLength)
        {
            this.logTermLength = logTermLength;
            return this;
        }

        /**
         * @return term length of the log.
         */
        public int logTermLength()
        {
            return logTermLength;
        }

        /**
         * @param maxKeyBytes largest key accepted.
         * @return this for a fluent API.
         */
        public Context maxKeyBytes(final int maxKeyBytes)
        {
            this.maxKeyBytes = maxKeyBytes;
            return this;
        }

        /**
         * @return largest key accepted.
         */
        public int maxKeyBytes()
        {
            return maxKeyBytes;
        }

        /**
         * @param maxValueBytes largest value accepted.
         * @return this for a fluent API.
         */
        public Context maxValueBytes(final int maxValueBytes)
        {
            this.maxValueBytes = maxValueBytes;
            return this;
        }

        /**
         * @return largest value accepted.
         */
        public int maxValueBytes()
        {
            return maxValueBytes;
        }

        /**
         * @param maxResponseBytes soft bound on the keys and values of one range response.
         * @return this for a fluent API.
         */
        public Context maxResponseBytes(final int maxResponseBytes)
        {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * @return soft bound on the keys and values of one range response.
         */
        public int maxResponseBytes()
        {
            return maxResponseBytes;
        }

        /**
         * @param egressBatchBytes responses to one ingress message are sent together up to this size.
         * @return this for a fluent API.
         */
        public Context egressBatchBytes(final int egressBatchBytes)
        {
            this.egressBatchBytes = egressBatchBytes;
            return this;
        }

        /**
         * @return size up to which responses are sent together.
         */
        public int egressBatchBytes()
        {
            return egressBatchBytes;
        }

        /**
         * @param egressRetryLimit offers retried while back pressured before a response is dropped.
         * @return this for a fluent API.
         */
        public Context egressRetryLimit(final int egressRetryLimit)
        {
            this.egressRetryLimit = egressRetryLimit;
            return this;
        }

        /**
         * @return offers retried while back pressured before a response is dropped.
         */
        public int egressRetryLimit()
        {
            return egressRetryLimit;
        }

        /**
         * @param snapshotChunkBytes target size of a snapshot's chunk of leases.
         * @return this for a fluent API.
         */
        public Context snapshotChunkBytes(final int snapshotChunkBytes)
        {
            this.snapshotChunkBytes = snapshotChunkBytes;
            return this;
        }

        /**
         * @return target size of a snapshot's chunk of leases.
         */
        public int snapshotChunkBytes()
        {
            return snapshotChunkBytes;
        }

        /**
         * @param logFragmentLimit log fragments applied per poll, and so per RocksDB write.
         * @return this for a fluent API.
         */
        public Context logFragmentLimit(final int logFragmentLimit)
        {
            this.logFragmentLimit = logFragmentLimit;
            return this;
        }

        /**
         * @return log fragments applied per poll.
         */
        public int logFragmentLimit()
        {
            return logFragmentLimit;
        }

        /**
         * @param leaderHeartbeatTimeoutMs silence from the leader before a new election.
         * @return this for a fluent API.
         */
        public Context leaderHeartbeatTimeoutMs(final long leaderHeartbeatTimeoutMs)
        {
            this.leaderHeartbeatTimeoutMs = leaderHeartbeatTimeoutMs;
            return this;
        }

        /**
         * @return silence from the leader before a new election, in milliseconds.
         */
        public long leaderHeartbeatTimeoutMs()
        {
            return leaderHeartbeatTimeoutMs;
        }

        long leaderHeartbeatTimeoutNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(leaderHeartbeatTimeoutMs);
        }

        /**
         * @param snapshotLogBytes log bytes between two snapshots the leader asks for; 0 for never.
         * @return this for a fluent API.
         */
        public Context snapshotLogBytes(final long snapshotLogBytes)
        {
            this.snapshotLogBytes = snapshotLogBytes;
            return this;
        }

        /**
         * @return log bytes between two snapshots the leader asks for; 0 for never.
         */
        public long snapshotLogBytes()
        {
            return snapshotLogBytes;
        }

        /**
         * @param logRetentionBytes log kept before the newest snapshot, older log purged; -1 keeps all.
         * @return this for a fluent API.
         */
        public Context logRetentionBytes(final long logRetentionBytes)
        {
            this.logRetentionBytes = logRetentionBytes;
            return this;
        }

        /**
         * @return log kept before the newest snapshot, older log purged; -1 keeps all.
         */
        public long logRetentionBytes()
        {
            return logRetentionBytes;
        }

        /**
         * @param logRetentionPeriodMs log before the newest snapshot kept while younger than this; -1 for no period.
         * @return this for a fluent API.
         */
        public Context logRetentionPeriodMs(final long logRetentionPeriodMs)
        {
            this.logRetentionPeriodMs = logRetentionPeriodMs;
            return this;
        }

        /**
         * @return log before the newest snapshot kept while younger than this; -1 for no period.
         */
        public long logRetentionPeriodMs()
        {
            return logRetentionPeriodMs;
        }

        /**
         * @param logSegmentBytes length of a segment file of the recorded log, a power of two.
         * @return this for a fluent API.
         */
        public Context logSegmentBytes(final int logSegmentBytes)
        {
            this.logSegmentBytes = logSegmentBytes;
            return this;
        }

        /**
         * @return length of a segment file of the recorded log.
         */
        public int logSegmentBytes()
        {
            return logSegmentBytes;
        }

        /**
         * @param diskAlarmBytes usable space below which the NOSPACE alarm is raised; 0 for never.
         * @return this for a fluent API.
         */
        public Context diskAlarmBytes(final long diskAlarmBytes)
        {
            this.diskAlarmBytes = diskAlarmBytes;
            return this;
        }

        /**
         * @return usable space below which the NOSPACE alarm is raised; 0 for never.
         */
        public long diskAlarmBytes()
        {
            return diskAlarmBytes;
        }

        /**
         * @param diskReserveBytes usable space below which the node stops, and will not start; 0 for never.
         * @return this for a fluent API.
         */
        public Context diskReserveBytes(final long diskReserveBytes)
        {
            this.diskReserveBytes = diskReserveBytes;
            return this;
        }

        /**
         * @return usable space below which the node stops, and will not start; 0 for never.
         */
        public long diskReserveBytes()
        {
            return diskReserveBytes;
        }

        /**
         * @param diskCheckIntervalMs between two readings of the usable space.
         * @return this for a fluent API.
         */
        public Context diskCheckIntervalMs(final long diskCheckIntervalMs)
        {
            this.diskCheckIntervalMs = diskCheckIntervalMs;
            return this;
        }

        /**
         * @return milliseconds between two readings of the usable space.
         */
        public long diskCheckIntervalMs()
        {
            return diskCheckIntervalMs;
        }

        /**
         * @param watchProgressNotifyIntervalMs after which a watch asking for progress notifications and with nothing
         *                                      to send gets one.
         * @return this for a fluent API.
         */
        public Context watchProgressNotifyIntervalMs(final long watchProgressNotifyIntervalMs)
        {
            this.watchProgressNotifyIntervalMs = watchProgressNotifyIntervalMs;
            return this;
        }

        /**
         * @return milliseconds after which an idle watch asking for progress notifications gets one.
         */
        public long watchProgressNotifyIntervalMs()
        {
            return watchProgressNotifyIntervalMs;
        }

        /**
         * @param readSessionTimeoutMs after which a read session that sent nothing is closed.
         * @return this for a fluent API.
         */
        public Context readSessionTimeoutMs(final long readSessionTimeoutMs)
        {
            this.readSessionTimeoutMs = readSessionTimeoutMs;
            return this;
        }

        /**
         * @return milliseconds after which a read session that sent nothing is closed.
         */
        public long readSessionTimeoutMs()
        {
            return readSessionTimeoutMs;
        }

        /**
         * @param metricsPort TCP port of the metrics endpoint ({@code GET /metrics}); 0 turns it off.
         * @return this for a fluent API.
         */
        public Context metricsPort(final int metricsPort)
        {
            this.metricsPort = metricsPort;
            return this;
        }

        /**
         * @return the TCP port of the metrics endpoint, 0 if it is off.
         */
        public int metricsPort()
        {
            return metricsPort;
        }

        /**
         * @param metricsHost address the metrics endpoint binds to; loopback by default.
         * @return this for a fluent API.
         */
        public Context metricsHost(final String metricsHost)
        {
            this.metricsHost = metricsHost;
            return this;
        }

        /**
         * @return the address the metrics endpoint binds to.
         */
        public String metricsHost()
        {
            return metricsHost;
        }

        /**
         * @return the channel of this member's read port (watches), on its host: its ingress port plus
         *         {@link Protocol#READ_PORT_OFFSET}.
         */
        public String readPortChannel()
        {
            return "aeron:udp?endpoint=" + memberHosts.get(memberId) + ":" +
                ClusterMembers.port(basePort, memberId, ClusterMembers.READ_OFFSET);
        }

        /**
         * @param livenessTimeoutMs longest a thread of the node, or the whole process, may stall before the node is
         *                          declared dead.
         * @return this for a fluent API.
         * @see Configuration#LIVENESS_TIMEOUT_MS_PROP_NAME
         */
        public Context livenessTimeoutMs(final long livenessTimeoutMs)
        {
            this.livenessTimeoutMs = livenessTimeoutMs;
            return this;
        }

        /**
         * @return longest a thread of the node, or the whole process, may stall before the node is declared dead, in
         * milliseconds.
         */
        public long livenessTimeoutMs()
        {
            return livenessTimeoutMs;
        }

        long livenessTimeoutNs()
        {
            return TimeUnit.MILLISECONDS.toNanos(livenessTimeoutMs);
        }

        /**
         * @param maxSessions most client sessions at once.
         * @return this for a fluent API.
         */
        public Context maxSessions(final int maxSessions)
        {
            this.maxSessions = maxSessions;
            return this;
        }

        /**
         * @return most client sessions at once.
         */
        public int maxSessions()
        {
            return maxSessions;
        }

        /**
         * @param errorHandler that records the node's errors.
         * @return this for a fluent API.
         */
        public Context errorHandler(final NodeErrors errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * @return the handler recording the node's errors.
         */
        public NodeErrors errorHandler()
        {
            return errorHandler;
        }

        /**
         * @param terminationHook run once when the node stops on its own: the cluster terminated it (a shutdown
         *                        requested with ClusterTool) or a fatal error did, which
         *                        {@link MetaStoreNode#fatalError()} then names. Whoever runs the node must then
         *                        close it; it runs on one of the node's threads, so it should only signal.
         * @return this for a fluent API.
         */
        public Context terminationHook(final Runnable terminationHook)
        {
            this.terminationHook = terminationHook;
            return this;
        }

        /**
         * @return run once when the node stops on its own.
         */
        public Runnable terminationHook()
        {
            return terminationHook;
        }

        /**
         * @param readyHook run once when the node is first ready to serve (see {@link MetaStoreNode#isReady()}), on
         *                  one of the node's threads, so it should only signal or print.
         * @return this for a fluent API.
         */
        public Context readyHook(final Runnable readyHook)
        {
            this.readyHook = readyHook;
            return this;
        }

        /**
         * @return run once when the node is first ready to serve.
         */
        public Runnable readyHook()
        {
            return readyHook;
        }

        /**
         * @return the settings an operator looks for when a node starts, in one line.
         */
        public String settings()
        {
            return "base port " + basePort +
                ", data " + nodeDir().getAbsolutePath() +
                ", media driver " + aeronDirectoryName +
                ", fsync " + (fsync ? "on" : "off") +
                ", idle " + idleProfile +
                (archiveOnConsensusThread ? "" : ", archive on its own thread") +
                ", log term " + size(logTermLength) +
                ", max value " + size(maxValueBytes) +
                ", snapshot every " + (0 == snapshotLogBytes ? "never" : size(snapshotLogBytes) + " of log") +
                ", log retention " + (logRetentionBytes < 0 ? "all" : size(logRetentionBytes)) +
                (logRetentionPeriodMs < 0 ? "" : " or " + logRetentionPeriodMs + " ms") +
                ", leader heartbeat timeout " + leaderHeartbeatTimeoutMs + " ms" +
                ", liveness timeout " + livenessTimeoutMs + " ms" +
                ", disk alarm " + size(diskAlarmBytes) + " reserve " + size(diskReserveBytes) +
                ", quota " + (0 == quotaBackendBytes ? "none" : size(quotaBackendBytes)) +
                ", auto compaction " + (null == autoCompaction || !autoCompaction.isOn() ? "off" :
                autoCompactionMode + " " + autoCompactionRetention) +
                ", max sessions " + maxSessions;
        }

        private static String size(final long bytes)
        {
            if (0 != bytes && 0 == bytes % (1024 * 1024))
            {
                return (bytes / (1024 * 1024)) + " MiB";
            }
            if (0 != bytes && 0 == bytes % 1024)
            {
                return (bytes / 1024) + " KiB";
            }

            return bytes + " bytes";
        }

        @Override
        public String toString()
        {
            return "MetaStoreNode.Context{" +
                "memberId=" + memberId +
                ", members='" + members + '\'' +
                ", basePort=" + basePort +
                ", clusterId=" + clusterId +
                ", dataDir=" + dataDir +
                ", aeronDirectoryName='" + aeronDirectoryName + '\'' +
                ", idleProfile=" + idleProfile +
                ", fsync=" + fsync +
                ", logTermLength=" + logTermLength +
                ", maxKeyBytes=" + maxKeyBytes +
                ", maxValueBytes=" + maxValueBytes +
                ", maxResponseBytes=" + maxResponseBytes +
                ", egressBatchBytes=" + egressBatchBytes +
                ", egressRetryLimit=" + egressRetryLimit +
                ", snapshotChunkBytes=" + snapshotChunkBytes +
                ", logFragmentLimit=" + logFragmentLimit +
                ", maxTxnOps=" + maxTxnOps +
                ", leaseMinTtl=" + leaseMinTtl +
                ", leaseMaxTtl=" + leaseMaxTtl +
                ", maxLeases=" + maxLeases +
                ", maxKeysPerLease=" + maxKeysPerLease +
                ", leaderHeartbeatTimeoutMs=" + leaderHeartbeatTimeoutMs +
                ", livenessTimeoutMs=" + livenessTimeoutMs +
                ", maxSessions=" + maxSessions +
                ", snapshotLogBytes=" + snapshotLogBytes +
                ", logRetentionBytes=" + logRetentionBytes +
                ", logRetentionPeriodMs=" + logRetentionPeriodMs +
                ", logSegmentBytes=" + logSegmentBytes +
                ", diskAlarmBytes=" + diskAlarmBytes +
                ", quotaBackendBytes=" + quotaBackendBytes +
                ", autoCompaction=" + autoCompactionMode + " " + autoCompactionRetention +
                ", diskReserveBytes=" + diskReserveBytes +
                ", diskCheckIntervalMs=" + diskCheckIntervalMs +
                ", watchProgressNotifyIntervalMs=" + watchProgressNotifyIntervalMs +
                ", readSessionTimeoutMs=" + readSessionTimeoutMs +
                ", metricsPort=" + metricsPort +
                ", metricsHost=" + metricsHost +
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
