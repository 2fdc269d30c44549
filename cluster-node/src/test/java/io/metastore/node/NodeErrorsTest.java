package io.metastore.node;

import io.aeron.cluster.client.ClusterEvent;
import io.aeron.cluster.service.ClusterTerminationException;
import io.aeron.exceptions.AeronEvent;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.ClientTimeoutException;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

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

    @Test
    void shouldLogAFloodOfOneWarningAsOneLineAndItsCountOncePerWindow()
    {
        final CapturedLog log = new CapturedLog();
        final CachedEpochClock clock = new CachedEpochClock();
        final NodeErrors errors = new NodeErrors(log, clock, NodeErrors.REPEAT_WINDOW_MS);
        final String message = "failed to send datagram to localhost/127.0.0.1:20112, " +
            "cause: java.net.PortUnreachableException";
        for (int i = 0; i < 200_000; i++)
        {
            clock.update(i / 20);
            errors.onError(new AeronEvent(message, AeronException.Category.WARN));
        }
        clock.update(NodeErrors.REPEAT_WINDOW_MS);
        errors.reportRepeats();

        final String line = "io.aeron.exceptions.AeronEvent: WARN - " + message;
        assertEquals(List.of("WARN " + line, "WARN " + line + " (repeated 199,999 times in the last 10 s)"),
            log.lines());
        assertEquals(100, errors.warnings().size());
    }

    @Test
    void shouldLogAKnownConditionAsOneLineAndAnUnexpectedErrorWithItsStackTrace()
    {
        final CapturedLog log = new CapturedLog();
        final NodeErrors errors = new NodeErrors(log, new CachedEpochClock(), NodeErrors.REPEAT_WINDOW_MS);
        final ConductorServiceTimeoutException timeout =
            new ConductorServiceTimeoutException("service interval exceeded: timeout=2s");
        final IllegalStateException bug = new IllegalStateException("broken", new IOException("disk"));
        errors.onError(timeout);
        errors.onError(new AgentTerminationException(bug));
        errors.onError(bug);

        assertEquals(List.of(
            "ERROR io.aeron.exceptions.ConductorServiceTimeoutException: FATAL - service interval exceeded: timeout=2s",
            "ERROR org.agrona.concurrent.AgentTerminationException: " + bug,
            "ERROR java.lang.IllegalStateException: broken; cause: java.io.IOException: disk"), log.lines());
        assertEquals(List.of(bug), log.throwables());
    }

    @Test
    void shouldLogEveryCountLeftWhenTheNodeCloses()
    {
        final CapturedLog log = new CapturedLog();
        final CachedEpochClock clock = new CachedEpochClock();
        final NodeErrors errors = new NodeErrors(log, clock, NodeErrors.REPEAT_WINDOW_MS);
        errors.onError(new ClusterEvent("leader heartbeat timeout"));
        clock.update(3_000);
        errors.onError(new ClusterEvent("leader heartbeat timeout"));
        errors.reportRepeats();
        errors.reportAllRepeats();

        final String line = "WARN io.aeron.cluster.client.ClusterEvent: WARN - leader heartbeat timeout";
        assertEquals(List.of(line, line + " (repeated once in the last 3 s)"), log.lines());
    }
}
