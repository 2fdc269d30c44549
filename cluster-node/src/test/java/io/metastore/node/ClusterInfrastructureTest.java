package io.metastore.node;

import io.aeron.cluster.service.ClusterTerminationException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the thread the archive and the consensus module share ends, and how the consensus module's waits behave: what
 * decides whether a member that stops reports an error (and exits non-zero) and whether a launch can hang.
 */
class ClusterInfrastructureTest
{
    private final List<Throwable> errors = new ArrayList<>();
    private final AtomicBoolean isStopping = new AtomicBoolean();

    @Test
    void shouldInvokeTheArchiveInEveryWaitOfTheConsensusModuleAndEndTheWaitOnceTheMemberStops()
    {
        final CountingAgent archiveAgent = new CountingAgent();
        final AgentInvoker archive = started(archiveAgent);
        final ClusterInfrastructure.InvokingIdleStrategy idle =
            new ClusterInfrastructure.InvokingIdleStrategy(archive, NoOpIdleStrategy.INSTANCE, isStopping::get);

        idle.idle();
        idle.idle(0);
        idle.idle(1);
        assertEquals(3, archiveAgent.calls);

        isStopping.set(true);
        final ClusterTerminationException ex = assertThrows(ClusterTerminationException.class, idle::idle);
        assertTrue(ex.isExpected(), "what stops the member was reported where it happened");
        assertFalse(NodeErrors.isFatal(ex));
        assertThrows(ClusterTerminationException.class, () -> idle.idle(0));
        assertEquals(3, archiveAgent.calls, "not run once the member stops");
    }

    @Test
    void shouldEndQuietlyWhenTheConsensusModuleEndsBecauseTheMemberStops()
    {
        final CountingAgent consensusModuleAgent = new CountingAgent();
        final ClusterInfrastructure.SharedAgent shared = shared(new CountingAgent(), consensusModuleAgent);
        assertEquals(2, shared.doWork());

        isStopping.set(true);
        consensusModuleAgent.terminate = true;
        final ClusterTerminationException ex = assertThrows(ClusterTerminationException.class, shared::doWork);
        assertTrue(ex.isExpected());
        assertFalse(NodeErrors.isFatal(ex));
    }

    @Test
    void shouldEndWithAnErrorWhenTheConsensusModuleEndsWhileTheMemberRuns()
    {
        final CountingAgent consensusModuleAgent = new CountingAgent();
        final ClusterInfrastructure.SharedAgent shared = shared(new CountingAgent(), consensusModuleAgent);

        consensusModuleAgent.terminate = true;
        final ClusterTerminationException ex = assertThrows(ClusterTerminationException.class, shared::doWork);
        assertFalse(ex.isExpected());
        assertTrue(NodeErrors.isFatal(ex));
    }

    @Test
    void shouldEndWithAnErrorWhenTheArchiveEndsOnItsOwnEvenWhileTheMemberStops()
    {
        final CountingAgent archiveAgent = new CountingAgent();
        final ClusterInfrastructure.SharedAgent shared =
            new ClusterInfrastructure.SharedAgent(started(archiveAgent), isStopping::get);

        isStopping.set(true);
        archiveAgent.terminate = true;
        final ClusterTerminationException ex = assertThrows(ClusterTerminationException.class, shared::doWork);
        assertFalse(ex.isExpected());
        assertTrue(NodeErrors.isFatal(ex));
    }

    @Test
    void shouldCloseBothOnTheSharedThreadAndSayItDid()
    {
        final CountingAgent archiveAgent = new CountingAgent();
        final CountingAgent consensusModuleAgent = new CountingAgent();
        final ClusterInfrastructure.SharedAgent shared = shared(archiveAgent, consensusModuleAgent);
        assertFalse(shared.isClosedOnItsThread());

        Thread.currentThread().interrupt();
        shared.onClose();

        assertTrue(Thread.interrupted(), "the interrupt is kept for the runner");
        assertTrue(archiveAgent.isClosed);
        assertTrue(consensusModuleAgent.isClosed);
        assertTrue(shared.isClosedOnItsThread());
    }

    private ClusterInfrastructure.SharedAgent shared(final Agent archive, final Agent consensusModule)
    {
        final ClusterInfrastructure.SharedAgent shared =
            new ClusterInfrastructure.SharedAgent(started(archive), isStopping::get);
        shared.consensusModule(started(consensusModule));
        return shared;
    }

    private AgentInvoker started(final Agent agent)
    {
        final AgentInvoker invoker = new AgentInvoker(errors::add, null, agent);
        invoker.start();
        return invoker;
    }

    /**
     * An agent that counts its duty cycles and, when told, ends as Aeron's agents end.
     */
    private static final class CountingAgent implements Agent
    {
        int calls;
        boolean terminate;
        boolean isClosed;

        public int doWork()
        {
            if (terminate)
            {
                throw new AgentTerminationException("ended");
            }
            return ++calls > 0 ? 1 : 0;
        }

        public void onClose()
        {
            isClosed = true;
        }

        public String roleName()
        {
            return "counting";
        }
    }
}
