package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * A verb that sends one request to the cluster: check the arguments, connect, send, print, close. Exit codes are
 * etcdctl's ({@link ExitCodes}): a bad argument is a usage error ({@link UsageErrorHandler}); a failed request
 * prints {@code Error: <message>} on stderr, with etcd's wording where etcd has one ({@link EtcdErrors}), and
 * exits 1.
 */
abstract class ClientCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions clientOptions;

    @Override
    public Integer call()
    {
        final CommandLine commandLine = spec.commandLine();
        final MetaStoreCli cli = (MetaStoreCli)spec.root().userObject();
        final PrintWriter out = commandLine.getOut();
        final PrintWriter err = commandLine.getErr();
        final PrintStream results = new PrintStream(cli.stdout(), false, StandardCharsets.UTF_8);
        try
        {
            final ClientOptions.Settings settings =
                ClientOptions.resolve(clientOptions, cli.globalOptions(), cli.environment());
            prepare(commandLine);
            out.flush();
            if (isOffline())
            {
                executeOffline(settings.format().newPrinter(results, settings.hex()));
                return ExitCodes.SUCCESS;
            }
            try (ClientShutdown shutdown = ClientShutdown.install();
                MetaStoreClient client = settings.connect(err, mayUseLocalNodeDriver()))
            {
                shutdown.connected(client);
                execute(client, settings.format().newPrinter(results, settings.hex()));
            }

            return ExitCodes.SUCCESS;
        }
        catch (final ParameterException ex)
        {
            throw ex;
        }
        catch (final CliFailure ex)
        {
            results.flush();
            // A connect cut short by a signal fails too ("interrupted while connecting"): the stop's, not reported.
            if (!ClientShutdown.isStopping())
            {
                err.println("Error: " + ex.getMessage());
            }
            return ex.exitCode();
        }
        catch (final Exception ex)
        {
            // Any exception: Agrona rethrows checked ones unchecked, e.g. a ClosedByInterruptException from mapping
            // the client driver's files when a signal comes while it starts, which picocli would print whole.
            results.flush();
            // Stopped by a signal, ClientShutdown closed the client: the failure is the stop's, nothing to report.
            if (!ClientShutdown.isStopping())
            {
                err.println("Error: " + EtcdErrors.message(ex));
            }
            return ExitCodes.ERROR;
        }
        finally
        {
            results.flush();
            out.flush();
            err.flush();
        }
    }

    /**
     * Check the arguments and gather any input before connecting.
     *
     * @param commandLine of this verb, for usage errors.
     * @throws ParameterException if the arguments do not make a request.
     * @throws CliFailure         if the input or a feature asked for is not there.
     */
    void prepare(final CommandLine commandLine)
    {
    }

    /**
     * @return true if the verb reads a stored state offline rather than asking a cluster.
     */
    boolean isOffline()
    {
        return false;
    }

    /**
     * Answer from a stored state offline, when {@link #isOffline()}.
     *
     * @param printer to print the result with.
     */
    void executeOffline(final ResultPrinter printer)
    {
        throw new IllegalStateException(spec.name() + " has no offline form");
    }

    /**
     * A verb that sends its requests and exits may use the media driver of a node on this machine rather than start
     * its own; one that runs until stopped starts its own, so that it outlives a restart of that node.
     *
     * @return true if the verb may use a local node's media driver.
     */
    boolean mayUseLocalNodeDriver()
    {
        return true;
    }

    /**
     * Send the request and print its result.
     *
     * @param client  connected to the cluster.
     * @param printer of the chosen output format.
     */
    abstract void execute(MetaStoreClient client, ResultPrinter printer);
}
