package io.metastore.tools;

import io.metastore.client.MemberStatus;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.ResponseHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code member list}: etcdctl's member verb, read only: MetaStore's membership is static.
 */
@Command(
    name = "member",
    mixinStandardHelpOptions = true,
    description = "The cluster's members.",
    subcommands = MemberCommand.ListMembers.class)
final class MemberCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    /**
     * Without a sub-verb there is nothing to do: a usage error.
     */
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * {@code member list}.
     */
    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "Each member's id, name, endpoints (client: ingress; peer: consensus, log, catch-up, " +
            "archive, as the port layout implies them), whether it answered and whether it leads.")
    static final class ListMembers extends ClientCommand
    {
        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            final List<MemberEndpoints.Member> members = MemberEndpoints.parse(client.context().ingressEndpoints());
            final List<CompletableFuture<MemberStatus>> futures = new ArrayList<>();
            for (final MemberEndpoints.Member member : members)
            {
                futures.add(client.memberStatusAsync(member.id()));
            }
            final List<ClusterReport.MemberRow> rows = new ArrayList<>();
            ResponseHeader header = null;
            int leader = -1;
            final boolean[] started = new boolean[members.size()];
            final int[] memberIds = new int[members.size()];
            for (int i = 0; i < members.size(); i++)
            {
                memberIds[i] = members.get(i).id();
                try
                {
                    final MemberStatus status = MetaStoreClient.await(futures.get(i));
                    started[i] = true;
                    // Plain endpoints are numbered in the order given: the member says which it is.
                    memberIds[i] = status.memberId();
                    if (status.isLeader())
                    {
                        leader = status.memberId();
                        header = status.header();
                    }
                    else if (null == header)
                    {
                        header = status.header();
                    }
                }
                catch (final RuntimeException ex)
                {
                    started[i] = false;
                }
            }
            for (int i = 0; i < members.size(); i++)
            {
                final MemberEndpoints.Member listed = members.get(i);
                final MemberEndpoints.Member member = listed.id() == memberIds[i] ?
                    listed : new MemberEndpoints.Member(memberIds[i], listed.host(), listed.ingressPort());
                rows.add(new ClusterReport.MemberRow(member, started[i], started[i] && member.id() == leader));
            }
            printer.memberList(header, rows);
        }
    }
}
