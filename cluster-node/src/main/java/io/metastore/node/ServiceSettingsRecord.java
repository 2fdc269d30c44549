package io.metastore.node;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The limits a member's service ran with, kept in its directory ({@value #FILENAME}) so that its log is replayed
 * offline with the same: a request the member refused for a limit is refused alike, and one it accepted is accepted.
 * Written at each start; only the settings that decide what a request does are kept (key, value and response bounds,
 * transaction size, lease limits), under their {@code metastore.*} property names.
 */
public final class ServiceSettingsRecord
{
    /**
     * Name of the file in the node's directory.
     */
    public static final String FILENAME = "service.properties";

    private ServiceSettingsRecord()
    {
    }

    /**
     * Record the service settings of a member about to start.
     *
     * @param nodeDir the node's directory.
     * @param ctx     the member's context.
     * @throws UncheckedIOException if the file cannot be written.
     */
    public static void write(final File nodeDir, final MetaStoreNode.Context ctx)
    {
        final Properties properties = new Properties();
        properties.setProperty(
            MetaStoreNode.Configuration.MAX_KEY_BYTES_PROP_NAME, Integer.toString(ctx.maxKeyBytes()));
        properties.setProperty(
            MetaStoreNode.Configuration.MAX_VALUE_BYTES_PROP_NAME, Integer.toString(ctx.maxValueBytes()));
        properties.setProperty(
            MetaStoreNode.Configuration.MAX_RESPONSE_BYTES_PROP_NAME, Integer.toString(ctx.maxResponseBytes()));
        properties.setProperty(MetaStoreNode.Configuration.MAX_TXN_OPS_PROP_NAME, Integer.toString(ctx.maxTxnOps()));
        properties.setProperty(MetaStoreNode.Configuration.LEASE_MIN_TTL_PROP_NAME, Long.toString(ctx.leaseMinTtl()));
        properties.setProperty(MetaStoreNode.Configuration.LEASE_MAX_TTL_PROP_NAME, Long.toString(ctx.leaseMaxTtl()));
        properties.setProperty(MetaStoreNode.Configuration.MAX_LEASES_PROP_NAME, Integer.toString(ctx.maxLeases()));
        properties.setProperty(
            MetaStoreNode.Configuration.MAX_KEYS_PER_LEASE_PROP_NAME, Integer.toString(ctx.maxKeysPerLease()));

        final File file = new File(nodeDir, FILENAME);
        final File temporary = new File(nodeDir, FILENAME + ".tmp");
        try
        {
            try (Writer writer = Files.newBufferedWriter(temporary.toPath(), StandardCharsets.UTF_8))
            {
                properties.store(writer, "The limits this member's service last started with; log replay uses them");
            }
            Files.move(temporary.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot record the service settings in " + file, ex);
        }
    }

    /**
     * A context for replaying a member's log: the recorded settings, where the member recorded them, over the
     * defaults and {@code metastore.*} properties of this JVM; a property set in this JVM wins, so an operator can
     * still replay with other limits.
     *
     * @param nodeDir the member's directory.
     * @return the context to take {@link MetaStoreNode.Context#serviceSettings()} from.
     */
    public static MetaStoreNode.Context read(final File nodeDir)
    {
        final MetaStoreNode.Context ctx = new MetaStoreNode.Context();
        final File file = new File(nodeDir, FILENAME);
        if (!file.isFile())
        {
            return ctx;
        }

        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file.toPath(), StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the service settings in " + file, ex);
        }

        final String maxKey = recorded(properties, MetaStoreNode.Configuration.MAX_KEY_BYTES_PROP_NAME);
        final String maxValue = recorded(properties, MetaStoreNode.Configuration.MAX_VALUE_BYTES_PROP_NAME);
        final String maxResponse = recorded(properties, MetaStoreNode.Configuration.MAX_RESPONSE_BYTES_PROP_NAME);
        final String maxTxnOps = recorded(properties, MetaStoreNode.Configuration.MAX_TXN_OPS_PROP_NAME);
        final String minTtl = recorded(properties, MetaStoreNode.Configuration.LEASE_MIN_TTL_PROP_NAME);
        final String maxTtl = recorded(properties, MetaStoreNode.Configuration.LEASE_MAX_TTL_PROP_NAME);
        final String maxLeases = recorded(properties, MetaStoreNode.Configuration.MAX_LEASES_PROP_NAME);
        final String maxKeysPerLease = recorded(properties, MetaStoreNode.Configuration.MAX_KEYS_PER_LEASE_PROP_NAME);
        if (null != maxKey)
        {
            ctx.maxKeyBytes(Integer.parseInt(maxKey));
        }
        if (null != maxValue)
        {
            ctx.maxValueBytes(Integer.parseInt(maxValue));
        }
        if (null != maxResponse)
        {
            ctx.maxResponseBytes(Integer.parseInt(maxResponse));
        }
        if (null != maxTxnOps)
        {
            ctx.maxTxnOps(Integer.parseInt(maxTxnOps));
        }
        if (null != minTtl)
        {
            ctx.leaseMinTtl(Long.parseLong(minTtl));
        }
        if (null != maxTtl)
        {
            ctx.leaseMaxTtl(Long.parseLong(maxTtl));
        }
        if (null != maxLeases)
        {
            ctx.maxLeases(Integer.parseInt(maxLeases));
        }
        if (null != maxKeysPerLease)
        {
            ctx.maxKeysPerLease(Integer.parseInt(maxKeysPerLease));
        }

        return ctx;
    }

    /**
     * @return the recorded value, or null if the member recorded none or this JVM sets the property itself.
     */
    private static String recorded(final Properties properties, final String name)
    {
        return null != System.getProperty(name) ? null : properties.getProperty(name);
    }
}
