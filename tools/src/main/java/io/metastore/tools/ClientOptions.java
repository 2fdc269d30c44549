package io.metastore.tools;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.exceptions.ConfigurationException;
import io.metastore.client.MetaStoreClient;
import io.metastore.node.MetaStoreNode;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The flags every client verb takes, as etcdctl's global flags: where the cluster is, how long to wait, and how
 * to print. As with etcdctl they may come before the verb ({@code metastore --endpoints=h:p get k}) or after it,
 * or from an environment variable named after the flag ({@code METASTORE_ENDPOINTS}, as etcdctl's
 * {@code ETCDCTL_ENDPOINTS}). A flag after the verb wins over one before it, which wins over the variable, which
 * wins over the default. Every field is null until given, so that {@link #resolve} can tell given from not.
 */
final class ClientOptions
{
    /**
     * The connect timeout when neither a flag, a variable nor the client's system property sets one: etcdctl's
     * command line fails an unreachable endpoint after 5 s (its command timeout; its dial does not block).
     */
    static final long CONNECT_TIMEOUT_MS_DEFAULT = 5000;

    /**
     * Prefix of the environment variables that set these flags, as {@code ETCDCTL_} is etcdctl's.
     */
    static final String ENV_PREFIX = "METASTORE_";

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
        description = "Ingress endpoints of the members, in member order; env METASTORE_ENDPOINTS " +
            "(default: metastore.endpoints, else localhost:21000).")
    private String endpoints;

    @Option(
        names = { "-w", "--write-out" },
        paramLabel = "simple|json|table|jsontext",
        description = "Output format; env METASTORE_WRITE_OUT (default: simple). json is etcdctl's: keys and " +
            "values base64, zero fields left out. jsontext is the same shape with keys and values as UTF-8 " +
            "text when they are (\"key\"/\"value\"), else base64 (\"key_base64\"/\"value_base64\"), and every " +
            "field present. table is etcdctl's, for the endpoint and member verbs.")
    private String writeOut;

    @Option(
        names = "--hex",
        arity = "0..1",
        fallbackValue = "true",
        paramLabel = "<bool>",
        description = "Print keys and values as hex: \\x-escaped bytes in simple output, hex strings " +
            "(key_hex/value_hex) in jsontext; json is unchanged, as etcdctl 3.4's; env METASTORE_HEX.")
    private Boolean hex;

    @Option(
        names = "--command-timeout",
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description = "Time a request waits for its response: 5s, 500ms, 1m; a bare number is seconds; env " +
            "METASTORE_COMMAND_TIMEOUT (default: metastore.client.request.timeout.ms, else 5s).")
    private Long commandTimeoutNs;

    @Option(
        names = { "--connect-timeout", "--dial-timeout" },
        paramLabel = "<duration>",
        converter = DurationConverter.class,
        description = "Time to connect to the cluster's leader: 5s, 500ms, 1m; a bare number is seconds; env " +
            "METASTORE_CONNECT_TIMEOUT or METASTORE_DIAL_TIMEOUT (default: metastore.client.connect.timeout.ms, " +
            "else 5s).")
    private Long connectTimeoutNs;

    /**
     * The settings of a verb: its own flags, else those before the verb, else the environment, else defaults.
     *
     * @param verb        flags given after the verb.
     * @param global      flags given before the verb.
     * @param environment variables of the process.
     * @return the settings to connect and print with.
     * @throws CliFailure with {@link ExitCodes#BAD_FEATURE} for an unknown output format, or
     *                    {@link ExitCodes#BAD_ARGS} for a variable whose value does not parse.
     */
    static Settings resolve(
        final ClientOptions verb, final ClientOptions global, final Map<String, String> environment)
    {
        final String endpoints = pick(verb.endpoints, global.endpoints, environment, "ENDPOINTS", (s) -> s,
            MetaStoreClient.Configuration.endpoints());
        final String writeOut = pick(verb.writeOut, global.writeOut, environment, "WRITE_OUT", (s) -> s, "simple");
        final boolean hex = pick(verb.hex, global.hex, environment, "HEX", ClientOptions::parseBoolean, false);
        final DurationConverter durations = new DurationConverter();
        final long commandTimeoutNs = pick(
            verb.commandTimeoutNs, global.commandTimeoutNs, environment, "COMMAND_TIMEOUT", durations::convert,
            MetaStoreClient.Configuration.requestTimeoutNs());
        final long defaultConnectTimeoutNs = TimeUnit.MILLISECONDS.toNanos(Long.getLong(
            MetaStoreClient.Configuration.CONNECT_TIMEOUT_MS_PROP_NAME, CONNECT_TIMEOUT_MS_DEFAULT));
        final long connectTimeoutNs = pick(
            verb.connectTimeoutNs, global.connectTimeoutNs, environment, "CONNECT_TIMEOUT", durations::convert,
            pick(null, null, environment, "DIAL_TIMEOUT", durations::convert, defaultConnectTimeoutNs));

        return new Settings(endpoints, OutputFormat.parse(writeOut), hex, commandTimeoutNs, connectTimeoutNs);
    }

    private static <T> T pick(
        final T verb,
        final T global,
        final Map<String, String> environment,
        final String variable,
        final Function<String, T> parser,
        final T defaultValue)
    {
        if (null != verb)
        {
            return verb;
        }
        if (null != global)
        {
            return global;
        }
        final String text = environment.get(ENV_PREFIX + variable);
        if (null != text && !text.isEmpty())
        {
            try
            {
                return parser.apply(text);
            }
            catch (final RuntimeException ex)
            {
                throw new CliFailure(ExitCodes.BAD_ARGS,
                    "invalid value \"" + text + "\" of " + ENV_PREFIX + variable + ": " + ex.getMessage(), ex);
            }
        }

        return defaultValue;
    }

    private static Boolean parseBoolean(final String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "1", "t", "true" -> Boolean.TRUE;
            case "0", "f", "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    /**
     * What a client verb connects and prints with.
     *
     * @param endpoints        of the members, in member order.
     * @param format           to print results in.
     * @param hex              print keys and values as hex.
     * @param commandTimeoutNs a request waits for its response.
     * @param connectTimeoutNs the connect waits for a leader.
     */
    record Settings(
        String endpoints, OutputFormat format, boolean hex, long commandTimeoutNs, long connectTimeoutNs)
    {
        /**
         * Connect to the cluster. The client uses the media driver {@code metastore.client.aeron.dir} names;
         * without one, the driver of a node on this machine that serves the only endpoint, if allowed and found
         * (see {@link ClientOptions#localNodeDriver(String)}); otherwise it starts its own embedded driver, which
         * closing it stops. A connect that fails prints one line, as etcdctl's
         * {@code Error: context deadline exceeded}, and MetaStore's reason, without Aeron's internals.
         *
         * @param err                   where errors that no request can be told of are reported.
         * @param mayUseLocalNodeDriver true if the verb may use the media driver of a node on this machine.
         * @return the connected client.
         * @throws CliFailure with {@link ExitCodes#ERROR} if no leader answered, or {@link ExitCodes#BAD_ARGS}
         *                    if the endpoints are malformed.
         */
        MetaStoreClient connect(final PrintWriter err, final boolean mayUseLocalNodeDriver)
        {
            final MetaStoreClient.Context context = new MetaStoreClient.Context()
                .endpoints(endpoints)
                .requestTimeout(commandTimeoutNs, TimeUnit.NANOSECONDS)
                .connectTimeout(connectTimeoutNs, TimeUnit.NANOSECONDS)
                .errorHandler((throwable) -> err.println("Warning: " + EtcdErrors.withoutAeronCategory(throwable)));
            if (null == context.aeronDirectoryName() && mayUseLocalNodeDriver)
            {
                context.aeronDirectoryName(localNodeDriver(endpoints));
            }
            final long startNs = System.nanoTime();
            try
            {
                return MetaStoreClient.connect(context);
            }
            catch (final ConfigurationException ex)
            {
                throw new CliFailure(ExitCodes.BAD_ARGS, EtcdErrors.withoutAeronCategory(ex), ex);
            }
            catch (final RuntimeException ex)
            {
                if (System.nanoTime() - startNs >= connectTimeoutNs)
                {
                    throw new CliFailure(ExitCodes.ERROR, EtcdErrors.DEADLINE_EXCEEDED + ": no leader at " +
                        endpoints + " answered within the connect timeout of " +
                        TimeUnit.NANOSECONDS.toMillis(connectTimeoutNs) + " ms (--connect-timeout)", ex);
                }
                throw new CliFailure(ExitCodes.ERROR, "cannot connect to " + endpoints + ": " + firstClause(ex), ex);
            }
        }

        /**
         * @return the message up to the underlying Aeron failure the client appends after {@code "; last: "}.
         */
        private static String firstClause(final RuntimeException ex)
        {
            final String message = EtcdErrors.withoutAeronCategory(ex);
            final int last = message.indexOf("; last: ");
            return last < 0 ? message : message.substring(0, last);
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
