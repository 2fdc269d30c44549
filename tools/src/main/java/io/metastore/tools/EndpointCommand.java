package io.metastore.tools;

import io.metastore.client.HashKvResult;
import io.metastore.client.MemberStatus;
import io.metastore.client.MetaStoreClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code endpoint status|health|hashkv}: etcdctl's endpoint verbs, each member asked on its own read port.
 * <p>
 * As etcdctl asks every endpoint of {@code --endpoints}, these ask every member the endpoints name, which for
 * MetaStore is the cluster (a client names every member to find the leader): {@code --cluster} is accepted and the
 * same. {@code --member} asks only the members named.
 */
@Command(
    name = "endpoint",
    mixinStandardHelpOptions = true,
    description = "The members' status, health and history hashes, each asked of the member itself.",
    subcommands = {
        EndpointCommand.Status.class,
        EndpointCommand.Health.class,
        EndpointCommand.HashKv.class
    })
final class EndpointCommand implements Runnable
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
     * The members asked, for every endpoint sub-verb.
     */
    abstract static class MemberVerb extends ClientCommand
    {
        @Option(names = "--cluster",
            description = "Every member of the cluster: the members --endpoints names, which is the default.")
        boolean cluster;

        @Option(names = "--member", paramLabel = "<id>", split = ",",
            description = "Ask only these members, by id (comma separated, or repeated); default: every member.")
        List<Integer> memberIds = new ArrayList<>();

        List<MemberEndpoints.Member> members(final MetaStoreClient client)
        {
            return MemberEndpoints.select(
                MemberEndpoints.parse(client.context().ingressEndpoints()), memberIds, spec.commandLine());
        }

        PrintWriter err()
        {
            return spec.commandLine().getErr();
        }
    }

    /**
     * {@code endpoint status}.
     */
    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Each member's status: id, version, store size, leader, term, commit and applied positions, " +
            "errors, role, revision, compacted revision, log size and start. -w json adds the member's counters.")
    static final class Status extends MemberVerb
    {
        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            final List<MemberEndpoints.Member> members = members(client);
            final List<CompletableFuture<MemberStatus>> futures = new ArrayList<>();
            for (final MemberEndpoints.Member member : members)
            {
                futures.add(client.memberStatusAsync(member.id()));
            }
            final List<ClusterReport.EndpointStatus> statuses = new ArrayList<>();
            int failures = 0;
            for (int i = 0; i < members.size(); i++)
            {
                try
                {
                    statuses.add(new ClusterReport.EndpointStatus(
                        members.get(i).endpoint(), MetaStoreClient.await(futures.get(i))));
                }
                catch (final RuntimeException ex)
                {
                    failures++;
                    err().println("Failed to get the status of endpoint " + members.get(i).endpoint() + " (" +
                        EtcdErrors.message(ex) + ")");
                }
            }
            printer.endpointStatus(statuses);
            if (failures > 0)
            {
                throw new CliFailure(ExitCodes.ERROR, failures + " of " + members.size() + " members did not answer");
            }
        }
    }

    /**
     * {@code endpoint health}.
     */
    @Command(name = "health", mixinStandardHelpOptions = true,
        description = "Whether each member serves, and how long a linearizable read took through it: the " +
            "leader's revision read through the log, then the member asked until it has applied that revision. " +
            "Exits 1 if any member is unhealthy.")
    static final class Health extends MemberVerb
    {
        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            final List<MemberEndpoints.Member> members = members(client);
            final List<ClusterReport.EndpointHealth> healths = new ArrayList<>();
            boolean isHealthy = true;
            for (final MemberEndpoints.Member member : members)
            {
                final ClusterReport.EndpointHealth health = HealthCheck.check(client, member);
                healths.add(health);
                if (!health.healthy())
                {
                    isHealthy = false;
                    err().println(member.endpoint() + " is unhealthy: failed to commit proposal: " + health.error());
                }
            }
            printer.endpointHealth(healths);
            if (!isHealthy)
            {
                throw new CliFailure(ExitCodes.ERROR, "unhealthy cluster");
            }
        }
    }

    /**
     * {@code endpoint hashkv [--rev R]}.
     */
    @Command(name = "hashkv", mixinStandardHelpOptions = true,
        description = "Each member's hash of its kept history up to a revision (etcd's HashKV): members holding " +
            "the same state print the same hash. Prints the revision hashed and the compacted revision too.")
    static final class HashKv extends MemberVerb
    {
        @Option(names = "--rev", paramLabel = "<revision>",
            description = "Revision to hash up to; 0 (the default) for each member's current revision.")
        private long revision;

        @Override
        void prepare(final picocli.CommandLine commandLine)
        {
            if (revision < 0)
            {
                throw new ParameterException(commandLine, "--rev " + revision + " is negative");
            }
        }

        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            final List<MemberEndpoints.Member> members = members(client);
            final List<CompletableFuture<HashKvResult>> futures = new ArrayList<>();
            for (final MemberEndpoints.Member member : members)
            {
                futures.add(client.hashKvAsync(member.id(), revision));
            }
            final List<ClusterReport.EndpointHash> hashes = new ArrayList<>();
            int failures = 0;
            for (int i = 0; i < members.size(); i++)
            {
                try
                {
                    hashes.add(new ClusterReport.EndpointHash(
                        members.get(i).endpoint(), MetaStoreClient.await(futures.get(i))));
                }
                catch (final RuntimeException ex)
                {
                    failures++;
                    err().println("Failed to get the hash of endpoint " + members.get(i).endpoint() + " (" +
                        EtcdErrors.message(ex) + ")");
                }
            }
            printer.endpointHashKv(hashes);
            if (failures > 0)
            {
                throw new CliFailure(ExitCodes.ERROR, failures + " of " + members.size() + " members did not hash");
            }
        }
    }
}
