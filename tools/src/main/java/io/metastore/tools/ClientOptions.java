package io.metastore.tools;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.metastore.client.MetaStoreClient;
import io.metastore.node.MetaStoreNode;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The flags every client verb takes, as etcdctl's global flags: where the cluster is, how long to wait, and how
 * to print. Defaults come from the client's {@link MetaStoreClient.Configuration} system properties.
 */
final class ClientOptions
{
    /**
     * Host names of an endpoint on this machine.
     */
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /**
     * Most age of a local node's driver heartbeat for a verb to use it; a live driver beats every few milliseconds.
     */
    private static final long LOCAL_NODE_DRIVER_HEARTBEAT_MS = 1000;

    @Option(
        names = "--endpoints",
        paramLabel = "<host:port,...>",
        description = "Ingress endpoints of the members, in member order (default: ${DEFAULT-VALUE}).")
    private String endpoints = new MetaStoreClient.Context().endpoints();

    @Option(
        names = { "-w", "--write-out" },
        paramLabel = "simple|json",
        converter = OutputFormat.Converter.class,
        description = "Output format (default: ${DEFAULT-VALUE}). JSON has etcdctl's shape, except that a key or " +
            "value is a string in \"key\"/\"value\" when valid UTF-8, else base64 in \"key_base64\"/" +
            "\"value_base64\" (etcd base64-encodes all). Simple output prints bytes that are not UTF-8 as " +
            "base64:<base64>.")
    private OutputFormat writeOut = OutputFormat.SIMPLE;

    @Option(
        names = "--command-timeout",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        defaultValue = "${sys:" + MetaStoreClient.Configuration.REQUEST_TIMEOUT_MS_PROP_NAME + ":-" +
            MetaStoreClient.Configuration.REQUEST_TIMEOUT_MS_DEFAULT + "}ms",
        description = "Time a request waits for its response: 5s, 500ms, 1m; a bare number is seconds " +
            "(default: ${DEFAULT-VALUE}).")
    private long commandTimeoutNs;

    @Option(
        names = "--connect-timeout",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        defaultValue = "${sys:" + MetaStoreClient.Configuration.CONNECT_TIMEOUT_MS_PROP_NAME + ":-" +
            MetaStoreClient.Configuration.CONNECT_TIMEOUT_MS_DEFAULT + "}ms",
        description = "Time to connect to the cluster's leader: 5s, 500ms, 1m; a bare number is seconds " +
            "(default: ${DEFAULT-VALUE}).")
    private long connectTimeoutNs;

    /**
     * @return the format to print results in.
     */
    OutputFormat writeOut()
    {
        return writeOut;
    }

    /**
     * Connect to the cluster. The client uses the media driver {@code metastore.client.aeron.dir} names; without one,
     * the driver of a node on this machine that serves the only endpoint, if allowed and found (see
     * {@link #localNodeDriver(String)}); otherwise it starts its own embedded driver, which closing it stops.
     *
     * @param err                   where errors that no request can be told of are reported.
     * @param mayUseLocalNodeDriver true if the verb may use the media driver of a node on this machine.
     * @return the connected client.
     */
    MetaStoreClient connect(final PrintWriter err, final boolean mayUseLocalNodeDriver)
    {
        try
        {
            final MetaStoreClient.Context ctx = new MetaStoreClient.Context()
                .endpoints(endpoints)
                .requestTimeout(commandTimeoutNs, TimeUnit.NANOSECONDS)
                .connectTimeout(connectTimeoutNs, TimeUnit.NANOSECONDS)
                .errorHandler((throwable) -> err.println("Warning: " + MetaStoreCli.errorMessage(throwable)));
            if (null == ctx.aeronDirectoryName() && mayUseLocalNodeDriver)
            {
                ctx.aeronDirectoryName(localNodeDriver(endpoints));
            }

            return MetaStoreClient.connect(ctx);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException(
                "cannot connect to " + endpoints + ": " + MetaStoreCli.errorMessage(ex), ex);
        }
    }

    /**
     * The Aeron directory of the media driver of a node on this machine that serves the endpoints, when they are one
     * loopback endpoint and the node is member 0 with the default directory ({@code metastore server} on that base
     * port): its driver runs, its heartbeat is fresh and this user may write its CnC file. A verb on that driver
     * starts no driver of its own and talks to the node over UDP as before: ~60 ms of a ~290 ms start.
     *
     * @param endpoints as given to {@code --endpoints}.
     * @return the node's Aeron directory, or null to start an embedded driver.
     */
    static String localNodeDriver(final String endpoints)
    {
        final String endpoint = null == endpoints ? "" : endpoints.trim();
        final int colonIndex = endpoint.lastIndexOf(':');
        if (colonIndex <= 0 || endpoint.indexOf(',') >= 0 || endpoint.indexOf('=') >= 0 ||
            !LOOPBACK_HOSTS.contains(endpoint.substring(0, colonIndex)))
        {
            return null;
        }

        try
        {
            final File dir = new File(MetaStoreNode.defaultAeronDirectoryName(
                Integer.parseInt(endpoint.substring(colonIndex + 1)), 0));
            final File cncFile = new File(dir, CncFileDescriptor.CNC_FILE);
            if (cncFile.canWrite() && CommonContext.isDriverActive(dir, LOCAL_NODE_DRIVER_HEARTBEAT_MS, (msg) -> {}))
            {
                return dir.getPath();
            }
        }
        catch (final RuntimeException ignore)
        {
            // Not a port, or not a driver this client can use: start an embedded one.
        }

        return null;
    }
}
