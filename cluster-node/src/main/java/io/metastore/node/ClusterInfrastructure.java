package io.metastore.node;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.client.ClusterException;
import io.aeron.cluster.service.ClusterTerminationException;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A member's Aeron side: its media driver, archive, consensus module and clustered service container, with the
 * archive and the consensus module on one thread.
 * <p>
 * On a single member a put goes from the consensus module (appended to the log) to the archive (recorded) and back
 * to the consensus module (committed once recorded) before the service sees it: on threads of their own each of
 * those steps is a hand-off to a thread that may be parked. On one thread the three run in consecutive duty cycles.
 * <p>
 * The archive's control sessions must be served by one thread from their first request, so the shared thread starts
 * first and runs the archive alone. The consensus module starts on the launching thread, where it waits for the
 * service to start: so the container is launched before it, and the shared thread takes it over once started.
 * Inside its duty cycle, its waits (its idle strategy) and its archive client's
 * ({@link io.aeron.archive.client.AeronArchive.Context#agentInvoker(AgentInvoker)}) invoke the archive, but only on
 * the shared thread. The media driver keeps a thread of its own: the Aeron clients of all three block on it while
 * they add publications and subscriptions.
 */
final class ClusterInfrastructure implements AutoCloseable
{
    private final MediaDriver driver;
    private final Archive archive;
    private final ClusteredServiceContainer container;
    private final ConsensusModule consensusModule;
    private final AgentRunner runner;
    private final SharedAgent sharedAgent;

    private ClusterInfrastructure(
        final MediaDriver driver,
        final Archive archive,
        final ClusteredServiceContainer container,
        final ConsensusModule consensusModule,
        final AgentRunner runner,
        final SharedAgent sharedAgent)
    {
        this.driver = driver;
        this.archive = archive;
        this.container = container;
        this.consensusModule = consensusModule;
        this.runner = runner;
        this.sharedAgent = sharedAgent;
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
     * @param isStopping         true once the member stops, on request or on a fatal error: the consensus module's
     *                           waits end then, also while it starts on the launching thread.
     * @return the launched components.
     */
    static ClusterInfrastructure launch(
        final MediaDriver.Context driverCtx,
        final Archive.Context archiveCtx,
        final ConsensusModule.Context consensusModuleCtx,
        final ClusteredServiceContainer.Context serviceCtx,
        final boolean isShared,
        final Supplier<IdleStrategy> idleStrategies,
        final ErrorHandler errorHandler,
        final BooleanSupplier isStopping)
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
            SharedAgent sharedAgent = null;
            if (isShared)
            {
                // An invoker whose agent fails to start reports why and closes, and launch returns as if started.
                checkStarted(archive.invoker(), "archive");
                // The archive's control sessions must be served on one thread from the first: the shared one.
                sharedAgent = new SharedAgent(archive.invoker(), isStopping);
                runner = new AgentRunner(idleStrategies.get(), errorHandler, null, sharedAgent);
                final Thread sharedThread = AgentRunner.startOnThread(runner);
                final AgentInvoker archiveOnSharedThread = new ThreadBoundInvoker(
                    archive.invoker(), sharedThread, errorHandler);
                consensusModuleCtx
                    .useAgentInvoker(true)
                    .idleStrategySupplier(() ->
                        new InvokingIdleStrategy(archiveOnSharedThread, idleStrategies.get(), isStopping))
                    .archiveContext().agentInvoker(archiveOnSharedThread);
                container = ClusteredServiceContainer.launch(serviceCtx);
                consensusModule = ConsensusModule.launch(consensusModuleCtx.aeronDirectoryName(aeronDirectoryName));
                checkStarted(consensusModule.conductorAgentInvoker(), "consensus module");
                sharedAgent.consensusModule(consensusModule.conductorAgentInvoker());
            }
            else
            {
                consensusModule = ConsensusModule.launch(consensusModuleCtx.aeronDirectoryName(aeronDirectoryName));
                container = ClusteredServiceContainer.launch(serviceCtx);
            }
            return new ClusterInfrastructure(driver, archive, container, consensusModule, runner, sharedAgent);
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(container, runner, consensusModule, archive, driver);
            throw ex;
        }
    }

    private static void checkStarted(final AgentInvoker invoker, final String name)
    {
        if (!invoker.isRunning())
        {
            throw new ClusterException("the " + name + " did not start (its error is logged above)");
        }
    }

    ConsensusModule consensusModule()
    {
        return consensusModule;
    }

    public void close()
    {
        CloseHelper.closeAll(container, runner);
        if (null != sharedAgent && !sharedAgent.isClosedOnItsThread())
        {
            // The shared thread ended on an Error without closing them: the consensus module's last calls to the
            // archive could not be served from here, so the archive goes first and they fail at once.
            CloseHelper.closeAll(archive, consensusModule, driver);
        }
        else
        {
            CloseHelper.closeAll(consensusModule, archive, driver);
        }
    }

    /**
     * Invokes the archive, then the consensus module once it has started; ends when either has ended.
     */
    static final class SharedAgent implements Agent
    {
        private final AgentInvoker archive;
        private final BooleanSupplier isStopping;
        private volatile AgentInvoker consensusModule;
        private volatile boolean isClosedOnItsThread;

        SharedAgent(final AgentInvoker archive, final BooleanSupplier isStopping)
        {
            this.archive = archive;
            this.isStopping = isStopping;
        }

        void consensusModule(final AgentInvoker consensusModule)
        {
            this.consensusModule = consensusModule;
        }

        boolean isClosedOnItsThread()
        {
            return isClosedOnItsThread;
        }

        public int doWork()
        {
            int workCount = archive.invoke();
            final AgentInvoker consensusModule = this.consensusModule;
            if (null != consensusModule)
            {
                workCount += consensusModule.invoke();
            }
            // Each invoker has reported why it ended. The archive only ends here on an error (a close comes through
            // onClose); the consensus module also ends when the member stops, which is no error.
            if (archive.isClosed())
            {
                throw new ClusterTerminationException(false);
            }
            if (null != consensusModule && consensusModule.isClosed())
            {
                throw new ClusterTerminationException(isStopping.getAsBoolean());
            }
            return workCount;
        }

        /**
         * Close both on the thread that ran them, the consensus module first: the archive serves its last requests.
         * A close that timed out interrupts this thread; the archive's files must still close, so the interrupt is
         * held back meanwhile.
         */
        public void onClose()
        {
            final boolean wasInterrupted = Thread.interrupted();
            try
            {
                CloseHelper.closeAll(consensusModule, archive);
            }
            finally
            {
                isClosedOnItsThread = true;
                if (wasInterrupted)
                {
                    Thread.currentThread().interrupt();
                }
            }
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
     * running; and ends the wait once the member stops, so that a consensus module starting on the launching thread,
     * waiting for a service that has died, lets the launch fail rather than hang.
     */
    static final class InvokingIdleStrategy implements IdleStrategy
    {
        private final AgentInvoker invoker;
        private final IdleStrategy delegate;
        private final BooleanSupplier isStopping;

        InvokingIdleStrategy(final AgentInvoker invoker, final IdleStrategy delegate, final BooleanSupplier isStopping)
        {
            this.invoker = invoker;
            this.delegate = delegate;
            this.isStopping = isStopping;
        }

        public void idle(final int workCount)
        {
            checkStopping();
            delegate.idle(workCount + invoker.invoke());
        }

        public void idle()
        {
            checkStopping();
            if (invoker.invoke() > 0)
            {
                delegate.reset();
            }
            else
            {
                delegate.idle();
            }
        }

        public void reset()
        {
            delegate.reset();
        }

        private void checkStopping()
        {
            if (isStopping.getAsBoolean())
            {
                // What stops the member (a request, or a fatal error) was reported where it happened.
                throw new ClusterTerminationException(true);
            }
        }
    }
}
