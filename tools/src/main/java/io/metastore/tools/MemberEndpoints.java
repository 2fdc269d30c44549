package io.metastore.tools;

import io.metastore.node.ClusterMembers;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * The members a client reaches, as its ingress endpoints name them ({@code 0=host:port,1=host:port}), and the other
 * endpoints of each that MetaStore's port layout implies ({@link ClusterMembers}): member {@code i}'s ingress port
 * is its base, and its consensus, log, catch-up, archive and read ports follow.
 */
final class MemberEndpoints
{
    private MemberEndpoints()
    {
    }

    /**
     * One member's endpoints.
     *
     * @param id          of the member.
     * @param host        of the member.
     * @param ingressPort of the member: its clients' endpoint, and the base of its other ports.
     */
    record Member(int id, String host, int ingressPort)
    {
        /**
         * @return {@code host:port} of the ingress, as etcdctl names an endpoint.
         */
        String endpoint()
        {
            return address(ClusterMembers.INGRESS_OFFSET);
        }

        /**
         * @param offset of the port from the ingress port ({@link ClusterMembers}'s offsets).
         * @return {@code host:port}.
         */
        String address(final int offset)
        {
            return host + ":" + (ingressPort - ClusterMembers.INGRESS_OFFSET + offset);
        }

        /**
         * @return the consensus, log, catch-up and archive endpoints, in that order: etcd's peer addresses.
         */
        List<String> peerAddresses()
        {
            return List.of(address(ClusterMembers.CONSENSUS_OFFSET), address(ClusterMembers.LOG_OFFSET),
                address(ClusterMembers.CATCHUP_OFFSET), address(ClusterMembers.ARCHIVE_OFFSET));
        }
    }

    /**
     * @param ingressEndpoints in Aeron's form, {@code 0=host:port,1=host:port}, as the client's context holds them.
     * @return the members, in the order given.
     */
    static List<Member> parse(final String ingressEndpoints)
    {
        final List<Member> members = new ArrayList<>();
        for (final String part : ingressEndpoints.split(","))
        {
            final String endpoint = part.trim();
            final int equalsIndex = endpoint.indexOf('=');
            final int colonIndex = endpoint.lastIndexOf(':');
            members.add(new Member(Integer.parseInt(endpoint.substring(0, equalsIndex)),
                endpoint.substring(equalsIndex + 1, colonIndex), Integer.parseInt(endpoint.substring(colonIndex + 1))));
        }

        return members;
    }

    /**
     * The members asked: every one, or those named.
     *
     * @param all         the client's members.
     * @param memberIds   named with {@code --member}, or empty for every member.
     * @param commandLine for the usage error.
     * @return the members to ask, in member order.
     * @throws CommandLine.ParameterException naming a member that is not among the endpoints.
     */
    static List<Member> select(final List<Member> all, final List<Integer> memberIds, final CommandLine commandLine)
    {
        if (memberIds.isEmpty())
        {
            return all;
        }
        final List<Member> selected = new ArrayList<>();
        for (final int memberId : memberIds)
        {
            final Member member = all.stream().filter(m -> m.id() == memberId).findFirst().orElseThrow(() ->
                new CommandLine.ParameterException(commandLine, "no member " + memberId + " among the endpoints " +
                    endpoints(all) + " (--member)"));
            selected.add(member);
        }

        return selected;
    }

    private static String endpoints(final List<Member> members)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Member member : members)
        {
            sb.append(sb.length() > 0 ? "," : "").append(member.id()).append('=').append(member.endpoint());
        }

        return sb.toString();
    }
}
