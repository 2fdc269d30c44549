package io.metastore.node;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.ClusterTerminationException;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.Supplier;

/**
 * A member's Aeron side: its media driver, archive, consensus module and clustered service container, with the
 * archive and the consensus module on one thread.
 * <p>
 * On a single member a put goes from the consensus module (appended to the log) to the archive (recorded) and back
 * to the consensus module (committed once recorded) before the service sees it: on threads of their own each of
 * those steps is a hand-off to a thread that may be parked. On one thread the three run in consecutive duty cycles.
 * <p>
 * The consensus module then starts on the launching thread, where it waits for the service to start: so the
 * container is launched before it, and every wait of the consensus module (its idle strategy) and of its archive
 * client ({@link io.aeron.archive.client.AeronArchive.Context#agentInvoker(AgentInvoker)}) invokes the archive. The
 * media driver keeps a thread of its own: the Aeron clients of all three block on it while they add publications
 * and subscriptions.
 */
final class ClusterInfrastructure implements AutoCloseable
{
    private final MediaDriver driver;
    private final Archive archive;
    private final ClusteredServiceContainer container;
    private final ConsensusModule consensusModule;
    private final AgentRunner runner;

    private ClusterInfrastructure(
        final MediaDriver driver,
        final Archive archive,
        final ClusteredServiceContainer container,
        final ConsensusModule consensusModule,
        final AgentRunner runner)
    {
        this.driver = driver;
        this.archive = archive;
        this.container = container;
        this.consensusModule = consensusModule;
        this.runner = runner;
    }

    /**
     * Launch the driver, the archive, the service container and the consensus module, the archive and the consensus
     * module on a thread they share when asked.
     *
     * @param driverCtx          of the media driver.
     * @param archiveCtx         of the archive.
     * @param consensusModuleCtx of the consensus module.
     * @param serviceCtx         of the service container.
     * @param isShared           to run the archive and the consensus module on one thread, else a thread each.
     * @param idleStrategies     of the shared thread and of the consensus module's waits.
     * @param errorHandler       of the shared thread.
     * @return the launched components.
     */
    static ClusterInfrastructure launch(
        final MediaDriver.Context driverCtx,
        final Archive.Context archiveCtx,
        final ConsensusModule.Context consensusModuleCtx,
        final ClusteredServiceContainer.Context serviceCtx,
        final boolean isShared,
        final Supplier<IdleStrategy> idleStrategies,
        final ErrorHandler errorHandler)
    {
        MediaDriver driver = null;
        Archive archive = null;
        ClusteredServiceContainer container = null;
        ConsensusModule consensusModule = null;
        AgentRunner runner = null;
        try
        {
            driver = MediaDriver.launch(driverCtx);
            final String aeronDirectoryName = driver.aeronDirectoryName();
            if (isShared)
            {
                archiveCtx.threadingMode(ArchiveThreadingMode.INVOKER);
            }
            archive = Archive.launch(archiveCtx.aeronDirectoryName(aeronDirectoryName));
            if (isShared)
            {
                // The archive's control sessions must be served on one thread from the first: the shared one.
                final SharedAgent sharedAgent = new SharedAgent(archive.invoker());
                runner = new AgentRunner(idleStrategies.get(), errorHandler, null, sharedAgent);
                final Thread sharedThread = AgentRunner.startOnThread(runner);
                final AgentInvoker archiveOnSharedThread = new ThreadBoundInvoker(
                    archive.invoker(), sharedThread, errorHandler);
                consensusModuleCtx
                    .useAgentInvoker(true)
                    .idleStrategySupplier(() -> new InvokingIdleStrategy(archiveOnSharedThread, idleStrategies.get()))
                    .archiveContext().agentInvoker(archiveOnSharedThread);
                container = ClusteredServiceContainer.launch(serviceCtx);
                consensusModule = ConsensusModule.launch(consensusModuleCtx.aeronDirectoryName(aeronDirectoryName));
                sharedAgent.consensusModule(consensusModule.conductorAgentInvoker());
            }
            else
            {
                consensusModule = ConsensusModule.launch(consensusModuleCtx.aeronDirectoryName(aeronDirectoryName));
                container = ClusteredServiceContainer.launch(serviceCtx);
            }
            return new ClusterInfrastructure(driver, archive, container, consensusModule, runner);
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(container, runner, consensusModule, archive, driver);
            throw ex;
        }
    }

    ConsensusModule consensusModule()
    {
        return consensusModule;
    }

    public void close()
    {
        CloseHelper.closeAll(container, runner, consensusModule, archive, driver);
    }

    /**
     * Invokes the archive, then the consensus module once it has started; ends when either has ended.
     */
    private static final class SharedAgent implements Agent
    {
        private final AgentInvoker archive;
        private volatile AgentInvoker consensusModule;

        SharedAgent(final AgentInvoker archive)
        {
            this.archive = archive;
        }

        void consensusModule(final AgentInvoker consensusModule)
        {
            this.consensusModule = consensusModule;
        }

        public int doWork()
        {
            int workCount = archive.invoke();
            final AgentInvoker consensusModule = this.consensusModule;
            if (null != consensusModule)
            {
                workCount += consensusModule.invoke();
            }
            if (archive.isClosed() || (null != consensusModule && consensusModule.isClosed()))
            {
                // Each invoker has reported why it ended (a termination on request is not an error): stop quietly.
                throw new ClusterTerminationException(true);
            }
            return workCount;
        }

        /**
         * Close both on the thread that ran them, the consensus module first: the archive serves its last requests.
         */
        public void onClose()
        {
            final AgentInvoker consensusModule = this.consensusModule;
            CloseHelper.closeAll(consensusModule, archive);
        }

        public String roleName()
        {
            return "archive-consensus-module";
        }
    }

    /**
     * Invokes an agent only on the thread it is bound to, and does nothing on any other: the consensus module starts
     * on the launching thread, while the shared thread already runs the archive, and its waits there must not run the
     * archive too.
     */
    private static final class ThreadBoundInvoker extends AgentInvoker
    {
        private final AgentInvoker invoker;
        private final Thread thread;

        ThreadBoundInvoker(final AgentInvoker invoker, final Thread thread, final ErrorHandler errorHandler)
        {
            // The base class's agent is never run: invoke() is the wrapped invoker's.
            super(errorHandler, null, new Agent()
            {
                public int doWork()
                {
                    return 0;
                }

                public String roleName()
                {
                    return "thread-bound-invoker";
                }
            });
            this.invoker = invoker;
            this.thread = thread;
        }

        public int invoke()
        {
            return Thread.currentThread() == thread ? invoker.invoke() : 0;
        }
    }

    /**
     * Invokes an agent at each idle, so that a loop that waits inside another agent on the same thread keeps it
     * running.
     */
    private static final class InvokingIdleStrategy implements IdleStrategy
    {
        private final AgentInvoker invoker;
        private final IdleStrategy delegate;

        InvokingIdleStrategy(final AgentInvoker invoker, final IdleStrategy delegate)
        {
            this.invoker = invoker;
            this.delegate = delegate;
        }

        public void idle(final int workCount)
        {
            delegate.idle(workCount + invoker.invoke());
        }

        public void idle()
        {
            if (invoker.invoke() <= 0)
            {
                delegate.idle();
            }
        }

        public void reset()
        {
            delegate.reset();
        }
    }
}
