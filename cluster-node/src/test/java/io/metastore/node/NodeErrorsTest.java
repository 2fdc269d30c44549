package io.metastore.node;

import io.aeron.cluster.client.ClusterEvent;
import io.aeron.cluster.service.ClusterTerminationException;
import io.aeron.exceptions.ClientTimeoutException;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import org.agrona.concurrent.AgentTerminationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeErrorsTest
{
    @Test
    void shouldKeepAeronWarningsApartFromErrors()
    {
        final NodeErrors errors = new NodeErrors(null);
        errors.onError(new ClusterEvent("leader heartbeat timeout"));
        errors.onError(new IllegalStateException("broken"));

        assertEquals(1, errors.count());
        assertEquals(1, errors.errors().size());
        assertEquals(1, errors.warnings().size());
        assertEquals("broken", errors.errors().get(0).getMessage());
    }

    @Test
    void shouldKeepTheFirstFatalErrorAsTheReasonTheNodeStopped()
    {
        final NodeErrors errors = new NodeErrors(null);
        errors.onError(new IllegalStateException("not fatal"));
        final ConductorServiceTimeoutException timeout = new ConductorServiceTimeoutException("service interval");
        errors.onError(timeout);
        errors.onError(new InternalError("a fault occurred in a recent unsafe memory access"));

        assertSame(timeout, errors.fatalError());
        assertEquals(3, errors.count());
    }

    @Test
    void shouldTreatDeadAgentsAndUnexpectedTerminationAsFatal()
    {
        assertTrue(NodeErrors.isFatal(new InternalError("sigbus")));
        assertTrue(NodeErrors.isFatal(new AgentTerminationException("storage failed")));
        assertTrue(NodeErrors.isFatal(new ClusterTerminationException(false)));
        assertTrue(NodeErrors.isFatal(new ClientTimeoutException("client timeout from driver")));
        assertFalse(NodeErrors.isFatal(new ClusterTerminationException(true)));
        assertFalse(NodeErrors.isFatal(new ClusterEvent("leader heartbeat timeout")));
        assertFalse(NodeErrors.isFatal(new IllegalStateException("bad request")));
    }

    @Test
    void shouldNotLogARequestedTermination()
    {
        final NodeErrors errors = new NodeErrors(null);
        errors.onError(new ClusterTerminationException(true));

        assertEquals(0, errors.count());
        assertNull(errors.fatalError());
    }

    @Test
    void shouldNotBlameErrorsWhileClosingOnRequestForTheStop()
    {
        final NodeErrors errors = new NodeErrors(null);
        errors.shutdownRequested();
        errors.onError(new ClusterTerminationException(false));

        assertEquals(1, errors.count());
        assertNull(errors.fatalError());
    }
}
