package io.metastore.node.reader;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response channels a read port answers on: IPC, or UDP to an address, a host name resolved by the read port,
 * never by the member's shared driver while the log waits.
 */
class ReadPortChannelTest
{
    @Test
    void shouldAnswerOnIpcAndUdpToAnAddressAsGiven()
    {
        assertEquals("aeron:ipc?term-length=" + ReadPort.MAX_ANSWER_TERM_LENGTH,
            ReadPort.answerableChannel("aeron:ipc"));
        assertEquals("aeron:ipc?term-length=16m", ReadPort.answerableChannel("aeron:ipc?term-length=16m"));
        assertEquals("aeron:udp?endpoint=127.0.0.1:40123",
            ReadPort.answerableChannel("aeron:udp?endpoint=127.0.0.1:40123"));
        assertEquals("aeron:udp?endpoint=10.1.2.3:40123|mtu=8192",
            ReadPort.answerableChannel("aeron:udp?endpoint=10.1.2.3:40123|mtu=8192"));
        assertEquals("aeron:udp?endpoint=[::1]:40123", ReadPort.answerableChannel("aeron:udp?endpoint=[::1]:40123"));
    }

    @Test
    void shouldResolveAHostNameItself()
    {
        final ChannelUri resolved =
            ChannelUri.parse(ReadPort.answerableChannel("aeron:udp?endpoint=localhost:40123|mtu=8192"));
        final String endpoint = resolved.get(CommonContext.ENDPOINT_PARAM_NAME);
        assertTrue("127.0.0.1:40123".equals(endpoint) || "[0:0:0:0:0:0:0:1]:40123".equals(endpoint), endpoint);
        assertEquals("8192", resolved.get(CommonContext.MTU_LENGTH_PARAM_NAME));
    }

    @Test
    void shouldKeepTheMembersMemoryForAnswersToWhatItGivesWhateverTheClientAsks()
    {
        final ChannelUri ipc = ChannelUri.parse(ReadPort.answerableChannel("aeron:ipc?term-length=1g|sparse=false"));
        assertEquals(Integer.toString(ReadPort.MAX_ANSWER_TERM_LENGTH), ipc.get(CommonContext.TERM_LENGTH_PARAM_NAME));
        assertNull(ipc.get(CommonContext.SPARSE_PARAM_NAME));

        final ChannelUri udp = ChannelUri.parse(ReadPort.answerableChannel(
            "aeron:udp?endpoint=127.0.0.1:40123|term-length=512m|linger=3600s|mtu=8192"));
        assertEquals("127.0.0.1:40123", udp.get(CommonContext.ENDPOINT_PARAM_NAME));
        assertEquals(Integer.toString(ReadPort.MAX_ANSWER_TERM_LENGTH), udp.get(CommonContext.TERM_LENGTH_PARAM_NAME));
        assertNull(udp.get(CommonContext.LINGER_PARAM_NAME));
        assertEquals("8192", udp.get(CommonContext.MTU_LENGTH_PARAM_NAME));

        assertEquals("aeron:ipc?term-length=64k", ReadPort.answerableChannel("aeron:ipc?term-length=64k"));
        assertNull(ReadPort.answerableChannel("aeron:ipc?term-length=lots"));
    }

    @Test
    void shouldNotAnswerOnSomethingElse()
    {
        assertNull(ReadPort.answerableChannel("aeron:udp?endpoint=no-such-host.invalid:40123"));
        assertNull(ReadPort.answerableChannel("aeron:udp?control=10.1.2.3:40123|control-mode=dynamic"));
        assertNull(ReadPort.answerableChannel("aeron:udp"));
        assertNull(ReadPort.answerableChannel("not a channel"));
        assertNull(ReadPort.answerableChannel(""));
    }
}
