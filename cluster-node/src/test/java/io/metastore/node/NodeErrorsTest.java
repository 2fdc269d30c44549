package io.metastore.node;

import io.aeron.cluster.client.ClusterEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
