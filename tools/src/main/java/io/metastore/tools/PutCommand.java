package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.Op;
import io.metastore.client.PutOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code put <key> [<value>]}: etcdctl's put. Without a value the value is all of stdin, byte for byte.
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = "Put a key. Prints OK, then the previous key and value if --prev-kv is given and the key existed.")
final class PutCommand extends ClientCommand
{
    private static final byte[] EMPTY = new byte[0];

    /**
     * The {@link MetaStoreCli} when run as a verb, whose stdin holds a value not given; the txn parser's
     * {@link TxnParser.OpLine} when parsed as a request line of a {@code txn}.
     */
    @ParentCommand
    private Object parent;

    @Parameters(index = "0", paramLabel = "<key>", description = "The key.")
    private String key;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "<value>",
        description = "The value; read from stdin, byte for byte, when not given.")
    private String value;

    @Option(names = "--prev-kv", description = "Return the previous key and value.")
    private boolean prevKv;

    @Option(
        names = "--lease",
        paramLabel = "<hexid>",
        converter = LeaseIdConverter.class,
        description = "Lease id, in hexadecimal, to attach the key to.")
    private long lease;

    @Option(names = "--ignore-value", description = "Keep the key's current value; the key must exist.")
    private boolean ignoreValue;

    @Option(names = "--ignore-lease", description = "Keep the key's current lease; the key must exist.")
    private boolean ignoreLease;

    private byte[] valueBytes;

    @Override
    void prepare(final CommandLine commandLine)
    {
        if (ignoreValue)
        {
            if (null != value)
            {
                throw new ParameterException(commandLine, "<value> cannot be given with --ignore-value");
            }
            valueBytes = EMPTY;
        }
        else if (null != value)
        {
            valueBytes = value.getBytes(StandardCharsets.UTF_8);
        }
        else
        {
            valueBytes = readStdin(commandLine);
        }
    }

    @Override
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        printer.put(client.put(key.getBytes(StandardCharsets.UTF_8), valueBytes, options()));
    }

    /**
     * The put as an operation of a {@code txn}, where the value cannot come from stdin.
     *
     * @param commandLine of this verb, for usage errors.
     * @return the operation.
     * @throws ParameterException if the arguments do not make a put.
     */
    Op toOp(final CommandLine commandLine)
    {
        if (null == value && !ignoreValue)
        {
            throw new ParameterException(commandLine, "put in a txn needs <key> and <value>");
        }
        prepare(commandLine);

        return Op.put(key.getBytes(StandardCharsets.UTF_8), valueBytes, options());
    }

    private PutOptions options()
    {
        return new PutOptions()
            .prevKv(prevKv)
            .lease(lease)
            .ignoreValue(ignoreValue)
            .ignoreLease(ignoreLease);
    }

    private byte[] readStdin(final CommandLine commandLine)
    {
        try
        {
            final byte[] bytes = parent instanceof MetaStoreCli cli ? cli.stdin().readAllBytes() : EMPTY;
            if (0 == bytes.length)
            {
                throw new ParameterException(commandLine, "no <value> given and stdin is empty");
            }
            return bytes;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading the value from stdin", ex);
        }
    }

    /**
     * Parses a lease id in hexadecimal, as etcdctl prints and takes them, with or without {@code 0x}.
     */
    static final class LeaseIdConverter implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String text)
        {
            final String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
            try
            {
                return Long.parseUnsignedLong(digits, 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new UsageErrorHandler.BadArgs("bad lease ID '" + text + "', expecting ID in Hex");
            }
        }
    }
}
