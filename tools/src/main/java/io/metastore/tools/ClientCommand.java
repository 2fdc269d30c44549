package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A verb that sends one request to the cluster: check the arguments, connect, send, print, close. A bad argument
 * is a usage error, exit code 2; a failed request prints {@code Error: <message>} on stderr, exit code 1.
 */
abstract class ClientCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions clientOptions;

    /**
     * {@inheritDoc}
     */
    public Integer call()
    {
        final CommandLine commandLine = spec.commandLine();
        final PrintWriter out = commandLine.getOut();
        final PrintWriter err = commandLine.getErr();
        try
        {
            prepare(commandLine);
            try (ClientShutdown shutdown = ClientShutdown.install();
                MetaStoreClient client = clientOptions.connect(err, mayUseLocalNodeDriver()))
            {
                shutdown.connected(client);
                execute(client, clientOptions.writeOut().newPrinter(out));
            }

            return ExitCode.OK;
        }
        catch (final ParameterException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            err.println("Error: " + MetaStoreCli.errorMessage(ex));
            return ExitCode.SOFTWARE;
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    /**
     * Check the arguments and gather any input before connecting.
     *
     * @param commandLine of this verb, for usage errors.
     * @throws ParameterException if the arguments do not make a request.
     */
    void prepare(final CommandLine commandLine)
    {
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
