package io.metastore.client;

import io.aeron.exceptions.ConfigurationException;
import io.metastore.protocol.Protocol;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadEndpointsTest
{
    @Test
    void shouldPutEachMembersReadPortAtItsIngressPortPlusTheOffset()
    {
        final ReadEndpoints endpoints = ReadEndpoints.fromIngressEndpoints("0=localhost:21000,1=10.0.0.2:21010");

        assertEquals(2, endpoints.count());
        assertEquals(1, endpoints.memberId(1));
        assertEquals("aeron:udp?endpoint=localhost:" + (21000 + Protocol.READ_PORT_OFFSET), endpoints.channel(0));
        assertEquals("aeron:udp?endpoint=10.0.0.2:21015", endpoints.channel(1));
    }

    @Test
    void shouldFindMembersByIdNotPosition()
    {
        final ReadEndpoints endpoints = ReadEndpoints.fromIngressEndpoints("3=a:1,7=b:2");

        assertEquals(1, endpoints.indexOf(7));
        assertEquals(-1, endpoints.indexOf(1));
    }

    @Test
    void shouldReadFromMemberZeroByIpc()
    {
        final ReadEndpoints endpoints = ReadEndpoints.ipc();

        assertEquals(1, endpoints.count());
        assertEquals(0, endpoints.memberId(0));
        assertEquals("aeron:ipc", endpoints.channel(0));
    }

    @Test
    void shouldRefuseEndpointWithoutMemberId()
    {
        assertThrows(ConfigurationException.class, () -> ReadEndpoints.fromIngressEndpoints("localhost:21000"));
    }
}
