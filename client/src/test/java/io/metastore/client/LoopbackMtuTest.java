package io.metastore.client;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.exceptions.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackMtuTest
{
    @Test
    void shouldGiveAUdpChannelToALoopbackEndpointTheMtu()
    {
        assertChannel("localhost:0", "8192", LoopbackMtu.apply("aeron:udp?endpoint=localhost:0", 8192));
        assertChannel("127.0.0.5:21005", "65504", LoopbackMtu.apply("aeron:udp?endpoint=127.0.0.5:21005", 65504));
        assertChannel("[::1]:21005", "8192", LoopbackMtu.apply("aeron:udp?endpoint=[::1]:21005", 8192));
    }

    @Test
    void shouldKeepTheMtuWithinTheTermReceiverWindowAndSendBufferTheChannelNames()
    {
        final String channel = "aeron:udp?endpoint=localhost:0|term-length=";
        assertChannel("localhost:0", "16384", LoopbackMtu.apply(channel + "128k", 65504));
        assertChannel("localhost:0", "8192", LoopbackMtu.apply(channel + "64k", 65504));
        assertEquals("aeron:udp?endpoint=localhost:0|term-length=x",
            LoopbackMtu.apply("aeron:udp?endpoint=localhost:0|term-length=x", 65504));
        assertChannel("localhost:0", "32768",
            LoopbackMtu.apply("aeron:udp?endpoint=localhost:0|rcv-wnd=32k|so-sndbuf=1m", 65504));
        assertChannel("localhost:0", "16384", LoopbackMtu.apply("aeron:udp?endpoint=localhost:0|so-sndbuf=16k", 65504));
    }

    @Test
    void shouldLeaveAChannelThatIsNotUdpToLoopbackOrNamesItsOwnMtuOrDoesNotParse()
    {
        for (final String channel : new String[]{
            "aeron:udp?endpoint=10.0.0.2:21005", "aeron:udp?endpoint=localhost:0|mtu=1408", "aeron:ipc",
            "aeron:udp?control=localhost:4000|control-mode=dynamic", "not a channel", "aeron:udp?endpoint=nohost" })
        {
            assertEquals(channel, LoopbackMtu.apply(channel, 8192));
        }
        assertEquals("aeron:udp?endpoint=localhost:0", LoopbackMtu.apply("aeron:udp?endpoint=localhost:0", 0));
    }

    @Test
    void shouldTellLoopbackEndpointsByTheAddressTheirHostResolvesTo()
    {
        assertTrue(LoopbackMtu.isLoopbackEndpoint("localhost:21000"));
        assertTrue(LoopbackMtu.isLoopbackEndpoint("127.0.0.1:21000"));
        assertTrue(LoopbackMtu.isLoopbackEndpoint("[::1]:21000"));
        assertFalse(LoopbackMtu.isLoopbackEndpoint("192.168.1.5:21000"));
        assertFalse(LoopbackMtu.isLoopbackEndpoint(":21000"));
        assertFalse(LoopbackMtu.isLoopbackEndpoint(null));
    }

    @Test
    void shouldPutTheMtuOnEveryChannelToAndFromMembersOnLoopbackOnly()
    {
        final MetaStoreClient.Context local = new MetaStoreClient.Context()
            .endpoints("localhost:21000,127.0.0.1:21010").loopbackMtu(16384).conclude();
        assertEquals("aeron:udp?mtu=16384", local.ingressChannel());
        assertChannel("localhost:0", "16384", local.egressChannel());
        assertChannel("localhost:0", "16384", local.readResponseChannel());
        assertChannel("127.0.0.1:21015", "16384", local.readEndpoints().channel(1));

        final MetaStoreClient.Context remote = new MetaStoreClient.Context()
            .endpoints("localhost:21000,192.168.1.5:21010").egressChannel("aeron:udp?endpoint=192.168.1.9:0")
            .loopbackMtu(16384).conclude();
        assertEquals("aeron:udp", remote.ingressChannel());
        assertEquals("aeron:udp?endpoint=192.168.1.9:0", remote.egressChannel());
        assertEquals("aeron:udp?endpoint=192.168.1.5:21015", remote.readEndpoints().channel(1));

        final MetaStoreClient.Context off = new MetaStoreClient.Context().loopbackMtu(0).conclude();
        assertEquals("aeron:udp", off.ingressChannel());
        assertEquals(MetaStoreClient.Configuration.EGRESS_CHANNEL_DEFAULT, off.egressChannel());
    }

    @Test
    void shouldRefuseAnMtuAeronWouldNotTakeNamingTheSetting()
    {
        for (final int mtu : new int[]{ -32, 1024, 8200, 65536 })
        {
            final ConfigurationException ex = assertThrows(
                ConfigurationException.class, () -> new MetaStoreClient.Context().loopbackMtu(mtu).conclude());
            assertTrue(ex.getMessage().contains(MetaStoreClient.Configuration.LOOPBACK_MTU_PROP_NAME), ex.getMessage());
        }
    }

    private static void assertChannel(final String endpoint, final String mtu, final String channel)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        assertTrue(uri.isUdp(), channel);
        assertEquals(endpoint, uri.get(CommonContext.ENDPOINT_PARAM_NAME), channel);
        assertEquals(mtu, uri.get(CommonContext.MTU_LENGTH_PARAM_NAME), channel);
        assertNull(uri.get(CommonContext.INTERFACE_PARAM_NAME), channel);
    }
}
