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
 * datagram is never lost to its length (its MTU is 64 KiB), so a stream there may use datagrams far longer than
 * Aeron's default of 1,408 bytes, sized for an Ethernet path. Fewer, longer datagrams mean fewer system calls in
 * both media drivers for the same bytes: what TCP gets on loopback by itself from the interface's MTU. A channel
 * that names its own {@code mtu}, or whose endpoint is not a loopback address, is left as it is, and so is one that
 * does not parse: Aeron reports it where it is used.
 */
final class LoopbackMtu
{
    /**
     * Largest MTU Aeron allows: the largest UDP payload less headers.
     */
    static final int MAX_MTU_LENGTH = 65504;

    private LoopbackMtu()
    {
    }

    /**
     * @param channel a UDP or IPC channel; anything else is returned as it is.
     * @param mtu     for a loopback endpoint, or 0 to leave every channel as it is.
     * @return the channel with {@code mtu} added when it is UDP, names no MTU of its own, and its endpoint is a
     *         loopback address; no more than an eighth of the term the channel names, if it names one.
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

            // A datagram may be at most a message long, an eighth of a term: a channel naming a short term keeps to it.
            final String termLength = uri.get(CommonContext.TERM_LENGTH_PARAM_NAME);
            final int length = null == termLength ? mtu : (int)Math.min(mtu,
                SystemUtil.parseSize(CommonContext.TERM_LENGTH_PARAM_NAME, termLength) / 8 & -FRAME_ALIGNMENT);
            if (length <= Configuration.MTU_LENGTH_DEFAULT)
            {
                return channel;
            }
            uri.put(CommonContext.MTU_LENGTH_PARAM_NAME, Integer.toString(length));

            return uri.toString();
        }
        catch (final IllegalArgumentException ex)
        {
            return channel;
        }
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
