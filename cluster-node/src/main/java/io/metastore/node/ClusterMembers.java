package io.metastore.node;

import io.metastore.protocol.Protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The static member list of a cluster on the port layout MetaStore uses: member {@code i} listens on
 * {@code basePort + i * PORTS_PER_MEMBER + offset}, with an offset per endpoint.
 */
public final class ClusterMembers
{
    /**
     * Ports reserved for each member.
     */
    public static final int PORTS_PER_MEMBER = 10;

    /**
     * Offset of the client facing ingress port.
     */
    public static final int INGRESS_OFFSET = 0;

    /**
     * Offset of the consensus port.
     */
    public static final int CONSENSUS_OFFSET = 1;

    /**
     * Offset of the log replication port.
     */
    public static final int LOG_OFFSET = 2;

    /**
     * Offset of the catch-up port.
     */
    public static final int CATCHUP_OFFSET = 3;

    /**
     * Offset of the archive control port.
     */
    public static final int ARCHIVE_OFFSET = 4;

    /**
     * Offset of the read port: watches, served by the member itself, not through the log.
     */
    public static final int READ_OFFSET = INGRESS_OFFSET + Protocol.READ_PORT_OFFSET;

    private ClusterMembers()
    {
    }

    /**
     * Parse a comma separated list of hosts, member 0 first.
     *
     * @param hosts such as {@code localhost,localhost,localhost}.
     * @return the hosts.
     */
    public static List<String> parseHosts(final String hosts)
    {
        final List<String> result = new ArrayList<>();
        for (final String host : hosts.split(","))
        {
            final String trimmed = host.trim();
            if (trimmed.isEmpty())
            {
                throw new IllegalArgumentException("empty host in member list: " + hosts);
            }
            result.add(trimmed);
        }

        return result;
    }

    /**
     * The port of one endpoint of a member.
     *
     * @param basePort of the cluster.
     * @param memberId of the member.
     * @param offset   of the endpoint.
     * @return the port.
     */
    public static int port(final int basePort, final int memberId, final int offset)
    {
        return basePort + memberId * PORTS_PER_MEMBER + offset;
    }

    /**
     * Aeron's cluster members string: {@code id,ingress,consensus,log,catchup,archive|...}.
     *
     * @param hosts    of the members, member 0 first.
     * @param basePort of the cluster.
     * @return the members string for the consensus module.
     */
    public static String clusterMembers(final List<String> hosts, final int basePort)
    {
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < hosts.size(); id++)
        {
            final String host = hosts.get(id);
            if (id > 0)
            {
                sb.append('|');
            }
            sb.append(id)
                .append(',').append(host).append(':').append(port(basePort, id, INGRESS_OFFSET))
                .append(',').append(host).append(':').append(port(basePort, id, CONSENSUS_OFFSET))
                .append(',').append(host).append(':').append(port(basePort, id, LOG_OFFSET))
                .append(',').append(host).append(':').append(port(basePort, id, CATCHUP_OFFSET))
                .append(',').append(host).append(':').append(port(basePort, id, ARCHIVE_OFFSET));
        }

        return sb.toString();
    }

    /**
     * The ingress endpoints a client connects to: {@code 0=host:port,1=host:port,...}.
     *
     * @param hosts    of the members, member 0 first.
     * @param basePort of the cluster.
     * @return the endpoints string for {@code AeronCluster.Context#ingressEndpoints}.
     */
    public static String ingressEndpoints(final List<String> hosts, final int basePort)
    {
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < hosts.size(); id++)
        {
            if (id > 0)
            {
                sb.append(',');
            }
            sb.append(id).append('=').append(hosts.get(id)).append(':').append(port(basePort, id, INGRESS_OFFSET));
        }

        return sb.toString();
    }
}
