package io.metastore.tools;

import io.metastore.client.LeaseKeepAlive;
import io.metastore.client.LeaseKeepAliveResult;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.codecs.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.CompletableFuture;

/**
 * {@code lease grant|revoke|timetolive|list|keep-alive}: etcdctl's lease verbs. Lease ids are hexadecimal, as
 * etcdctl prints and takes them.
 */
@Command(
    name = "lease",
    mixinStandardHelpOptions = true,
    description = "Grant, revoke, inspect, list and keep alive leases. Lease ids are hexadecimal.",
    subcommands = {
        LeaseCommand.Grant.class,
        LeaseCommand.Revoke.class,
        LeaseCommand.TimeToLive.class,
        LeaseCommand.List.class,
        LeaseCommand.KeepAlive.class
    })
final class LeaseCommand implements Runnable
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
     * {@code lease grant <ttl>}.
     */
    @Command(name = "grant", mixinStandardHelpOptions = true,
        description = "Grant a lease. Prints: lease <id> granted with TTL(<ttl>s).")
    static final class Grant extends ClientCommand
    {
        @Parameters(index = "0", paramLabel = "<ttl>",
            description = "Time to live, in seconds; below the cluster's minimum (0 too), the minimum, as etcd.")
        private long ttlSeconds;

        @Option(names = "--id", paramLabel = "<hexid>", converter = PutCommand.LeaseIdConverter.class,
            description = "Lease id wanted, in hexadecimal; by default the cluster picks one.")
        private long leaseId;

        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            // etcd raises any TTL below its minimum, 0 and negative ones too; the cluster raises those from 1 up.
            printer.leaseGrant(client.leaseGrant(Math.max(1, ttlSeconds), leaseId));
        }
    }

    /**
     * {@code lease revoke <id>}.
     */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a lease, deleting the keys attached to it. Prints: lease <id> revoked.")
    static final class Revoke extends ClientCommand
    {
        @Parameters(index = "0", paramLabel = "<hexid>", converter = PutCommand.LeaseIdConverter.class,
            description = "Lease id, in hexadecimal.")
        private long leaseId;

        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            printer.leaseRevoke(leaseId, client.leaseRevoke(leaseId));
        }
    }

    /**
     * {@code lease timetolive <id> [--keys]}.
     */
    @Command(name = "timetolive", mixinStandardHelpOptions = true,
        description = "Show a lease's granted and remaining TTL, and with --keys the keys attached to it.")
    static final class TimeToLive extends ClientCommand
    {
        @Parameters(index = "0", paramLabel = "<hexid>", converter = PutCommand.LeaseIdConverter.class,
            description = "Lease id, in hexadecimal.")
        private long leaseId;

        @Option(names = "--keys", description = "Also list the keys attached to the lease.")
        private boolean withKeys;

        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            printer.leaseTimeToLive(client.leaseTimeToLive(leaseId, withKeys), withKeys);
        }
    }

    /**
     * {@code lease list}.
     */
    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every live lease. Prints: found <n> leases, then one id per line.")
    static final class List extends ClientCommand
    {
        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            printer.leases(client.leases());
        }
    }

    /**
     * {@code lease keep-alive <id> [--once]}.
     */
    @Command(name = "keep-alive", mixinStandardHelpOptions = true,
        description = {
            "Keep a lease alive, renewing it every third of its TTL, until interrupted. Prints: lease <id> " +
                "keepalived with TTL(<ttl>) per renewal.",
            "When the lease is lost (revoked, expired, or not renewed within its TTL) prints: lease <id> expired " +
                "or revoked. and exits 0, as etcdctl; a loss other than the lease being gone is told on stderr.",
            "With --once a failed renewal exits 2, as etcdctl." })
    static final class KeepAlive extends ClientCommand
    {
        @Parameters(index = "0", paramLabel = "<hexid>", converter = PutCommand.LeaseIdConverter.class,
            description = "Lease id, in hexadecimal.")
        private long leaseId;

        @Option(names = "--once", description = "Renew once and exit.")
        private boolean once;

        @Override
        boolean mayUseLocalNodeDriver()
        {
            return once;
        }

        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            if (once)
            {
                final LeaseKeepAliveResult result;
                try
                {
                    result = client.leaseKeepAliveOnce(leaseId);
                }
                catch (final RuntimeException ex)
                {
                    throw new CliFailure(ExitCodes.BAD_CONNECTION, EtcdErrors.message(ex), ex);
                }
                printer.leaseKeepAlive(result);
                return;
            }

            final CompletableFuture<MetaStoreException> lost = new CompletableFuture<>();
            final LeaseKeepAlive keepAlive = client.keepAlive(leaseId, new LeaseKeepAlive.Listener()
            {
                public void onKeepAlive(final LeaseKeepAliveResult result)
                {
                    printer.leaseKeepAlive(result);
                }

                public void onLost(final long id, final MetaStoreException cause)
                {
                    lost.complete(cause);
                }
            });
            final MetaStoreException cause;
            try
            {
                cause = MetaStoreClient.await(lost);
            }
            finally
            {
                keepAlive.close();
            }
            printer.leaseKeepAliveEnded(leaseId);
            if (null != cause && ErrorCode.LEASE_NOT_FOUND != cause.code())
            {
                spec.commandLine().getErr().println("Warning: " + EtcdErrors.message(cause));
            }
        }
    }
}
