package io.metastore.client;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.exceptions.ConfigurationException;
import io.metastore.protocol.Protocol;

/**
 * The read ports of the members, in member order: a member's read port is its ingress port plus
 * {@link Protocol#READ_PORT_OFFSET}, stream {@link Protocol#READ_STREAM_ID}.
 */
final class ReadEndpoints
{
    /**
     * Channel of the read port of a node on this machine, through its media driver.
     */
    static final String IPC_READ_CHANNEL = "aeron:ipc";

    private final int[] memberIds;
    private final String[] channels;
    private final String[] endpoints;

    private ReadEndpoints(final int[] memberIds, final String[] channels)
    {
        this.memberIds = memberIds;
        this.channels = channels;
        this.endpoints = new String[channels.length];
        for (int i = 0; i < channels.length; i++)
        {
            endpoints[i] = endpointOf(channels[i]);
        }
    }

    /**
     * @param ingressEndpoints in Aeron's form, {@code 0=host:port,1=host:port}.
     * @return the read ports of those members.
     */
    static ReadEndpoints fromIngressEndpoints(final String ingressEndpoints)
    {
        return fromIngressEndpoints(ingressEndpoints, 0);
    }

    /**
     * @param ingressEndpoints in Aeron's form, {@code 0=host:port,1=host:port}.
     * @param loopbackMtu      of the channel to a member on a loopback address, or 0 for Aeron's default.
     * @return the read ports of those members.
     */
    static ReadEndpoints fromIngressEndpoints(final String ingressEndpoints, final int loopbackMtu)
    {
        final String[] parts = ingressEndpoints.split(",");
        final int[] memberIds = new int[parts.length];
        final String[] channels = new String[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            final String part = parts[i].trim();
            final int equalsIndex = part.indexOf('=');
            final int colonIndex = part.lastIndexOf(':');
            if (equalsIndex <= 0 || colonIndex <= equalsIndex)
            {
                throw new ConfigurationException("ingress endpoint '" + part + "' is not memberId=host:port");
            }

            memberIds[i] = Integer.parseInt(part.substring(0, equalsIndex));
            channels[i] = readChannel(part.substring(equalsIndex + 1), loopbackMtu);
        }

        return new ReadEndpoints(memberIds, channels);
    }

    /**
     * @param ingressEndpoint {@code host:port} of a member's ingress.
     * @param loopbackMtu     of the channel to a member on a loopback address, or 0 for Aeron's default.
     * @return the channel of that member's read port.
     */
    private static String readChannel(final String ingressEndpoint, final int loopbackMtu)
    {
        return LoopbackMtu.apply("aeron:udp?endpoint=" + readEndpoint(ingressEndpoint), loopbackMtu);
    }

    /**
     * @param ingressEndpoint {@code host:port} of a member's ingress.
     * @return {@code host:port} of that member's read port; no name is looked up.
     */
    static String readEndpoint(final String ingressEndpoint)
    {
        final int colonIndex = ingressEndpoint.lastIndexOf(':');
        final String host = ingressEndpoint.substring(0, colonIndex);
        return host + ":" + (Integer.parseInt(ingressEndpoint.substring(colonIndex + 1)) + Protocol.READ_PORT_OFFSET);
    }

    /**
     * @param endpoint {@code host:port} of a read port.
     * @return true if one of these members' read ports is at it (whatever else their channels name).
     */
    boolean containsEndpoint(final String endpoint)
    {
        for (final String memberEndpoint : endpoints)
        {
            if (null != memberEndpoint && memberEndpoint.equals(endpoint))
            {
                return true;
            }
        }

        return false;
    }

    private static String endpointOf(final String channel)
    {
        try
        {
            return ChannelUri.parse(channel).get(CommonContext.ENDPOINT_PARAM_NAME);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /**
     * @return the read port of member 0 on this machine, by IPC.
     */
    static ReadEndpoints ipc()
    {
        return new ReadEndpoints(new int[]{ 0 }, new String[]{ IPC_READ_CHANNEL });
    }

    /**
     * @return number of members.
     */
    int count()
    {
        return memberIds.length;
    }

    /**
     * @param index of a member in member order.
     * @return its member id.
     */
    int memberId(final int index)
    {
        return memberIds[index];
    }

    /**
     * @param index of a member in member order.
     * @return the channel of its read port.
     */
    String channel(final int index)
    {
        return channels[index];
    }

    /**
     * @param memberId of a member here.
     * @return the read port of that member alone: a read session with it never moves to another.
     */
    ReadEndpoints only(final int memberId)
    {
        final int index = indexOf(memberId);
        return new ReadEndpoints(new int[]{ memberIds[index] }, new String[]{ channels[index] });
    }

    /**
     * @param memberId to find.
     * @return its index in member order, or -1 if no member has that id.
     */
    int indexOf(final int memberId)
    {
        for (int i = 0; i < memberIds.length; i++)
        {
            if (memberIds[i] == memberId)
            {
                return i;
            }
        }

        return -1;
    }
}
