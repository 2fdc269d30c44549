package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * The flags every client verb takes, as etcdctl's global flags: where the cluster is, how long to wait, and how
 * to print. Defaults come from the client's {@link MetaStoreClient.Configuration} system properties.
 */
final class ClientOptions
{
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
     * Connect to the cluster. The client starts its own embedded media driver; close it to stop that driver.
     *
     * @param err where errors that no request can be told of are reported.
     * @return the connected client.
     */
    MetaStoreClient connect(final PrintWriter err)
    {
        try
        {
            return MetaStoreClient.connect(new MetaStoreClient.Context()
                .endpoints(endpoints)
                .requestTimeout(commandTimeoutNs, TimeUnit.NANOSECONDS)
                .connectTimeout(connectTimeoutNs, TimeUnit.NANOSECONDS)
                .errorHandler((throwable) -> err.println("Warning: " + MetaStoreCli.errorMessage(throwable))));
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException(
                "cannot connect to " + endpoints + ": " + MetaStoreCli.errorMessage(ex), ex);
        }
    }
}
