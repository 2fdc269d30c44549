package io.metastore.client;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.driver.Configuration;
import org.agrona.SystemUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static io.aeron.logbuffer.FrameDescriptor.FRAME_ALIGNMENT;

/**
 * The MTU of the UDP channels between a client and a member on the same machine. Over the loopback interface a
 * datagram is never lost to its length (Linux gives it an MTU of 64 KiB), so a stream there may use datagrams far
 * longer than Aeron's default of 1,408 bytes, sized for an Ethernet path. Fewer, longer datagrams mean fewer system
 * calls in both media drivers for the same bytes: what TCP gets on loopback by itself from the interface's MTU. A
 * channel that names its own {@code mtu}, or whose endpoint is not a loopback address, is left as it is, and so is one
 * that does not parse: Aeron reports it where it is used. Where a platform's socket send buffer is smaller than the
 * MTU (macOS's UDP default is 9 KiB) Aeron refuses the channel: set {@code metastore.client.loopback.mtu} to 0 there.
 */
final class LoopbackMtu
{
    /**
     * Largest MTU Aeron allows: the largest UDP payload less headers.
     */
    static final int MAX_MTU_LENGTH = Configuration.MAX_UDP_PAYLOAD_LENGTH;

    /**
     * Smallest MTU worth asking for: Aeron's default, below which a loopback channel is left as it is.
     */
    static final int MIN_MTU_LENGTH = Configuration.MTU_LENGTH_DEFAULT;

    private LoopbackMtu()
    {
    }

    /**
     * @param channel a UDP or IPC channel; anything else is returned as it is.
     * @param mtu     for a loopback endpoint, or 0 to leave every channel as it is.
     * @return the channel with {@code mtu} added when it is UDP, names no MTU of its own, and its endpoint is a
     *         loopback address; no more than an eighth of the term, the receiver window or the send buffer the
     *         channel names, if it names them.
     */
    static String apply(final String channel, final int mtu)
    {
        if (0 == mtu)
        {
            return channel;
        }

        try
        {
            final ChannelUri uri = ChannelUri.parse(channel);
            if (!uri.isUdp() || null != uri.get(CommonContext.MTU_LENGTH_PARAM_NAME) ||
                !isLoopbackEndpoint(uri.get(CommonContext.ENDPOINT_PARAM_NAME)))
            {
                return channel;
            }

            // Aeron refuses an MTU above a message (an eighth of the term), the receiver's window or the socket's
            // send buffer: a channel naming any of these keeps within it.
            long length = mtu;
            length = Math.min(length, namedSize(uri, CommonContext.TERM_LENGTH_PARAM_NAME) / 8);
            length = Math.min(length, namedSize(uri, CommonContext.RECEIVER_WINDOW_LENGTH_PARAM_NAME));
            length = Math.min(length, namedSize(uri, CommonContext.SOCKET_SNDBUF_PARAM_NAME));
            length &= -FRAME_ALIGNMENT;
            if (length <= MIN_MTU_LENGTH)
            {
                return channel;
            }
            uri.put(CommonContext.MTU_LENGTH_PARAM_NAME, Long.toString(length));

            return uri.toString();
        }
        catch (final IllegalArgumentException ex)
        {
            return channel;
        }
    }

    private static long namedSize(final ChannelUri uri, final String name)
    {
        final String value = uri.get(name);
        return null == value ? Long.MAX_VALUE : SystemUtil.parseSize(name, value);
    }

    /**
     * @param endpoint {@code host:port}, the host a name, an IPv4 literal or a bracketed IPv6 literal.
     * @return true if the host is a loopback address; false if it is not, or does not resolve.
     */
    static boolean isLoopbackEndpoint(final String endpoint)
    {
        final int colonIndex = null == endpoint ? -1 : endpoint.lastIndexOf(':');
        if (colonIndex <= 0)
        {
            return false;
        }

        String host = endpoint.substring(0, colonIndex);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }
}
