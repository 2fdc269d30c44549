package io.metastore.tools;

import io.metastore.protocol.KeyRanges;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;

/**
 * The key range of {@code get} and {@code del}, as etcdctl takes it: {@code <key> [<rangeEnd>]}, or a key with
 * {@code --prefix} or {@code --from-key}. An empty key with either flag means every key, as in etcd's client.
 */
final class RangeArgs
{
    private static final byte[] EMPTY = new byte[0];

    @Parameters(index = "0", paramLabel = "<key>", description = "The key, or the start of the range.")
    private String key;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "<rangeEnd>",
        description = "Exclusive end of the range [key, rangeEnd).")
    private String rangeEnd;

    @Option(names = "--prefix", description = "Every key that starts with <key>.")
    private boolean prefix;

    @Option(names = "--from-key", description = "Every key greater than or equal to <key>.")
    private boolean fromKey;

    /**
     * @param commandLine of the verb, for usage errors.
     * @throws ParameterException if a range end is given twice over.
     */
    void validate(final CommandLine commandLine)
    {
        if (prefix && fromKey)
        {
            throw new ParameterException(commandLine, "--prefix and --from-key cannot be used together");
        }
        if ((prefix || fromKey) && null != rangeEnd)
        {
            throw new ParameterException(
                commandLine, "<rangeEnd> cannot be given with " + (prefix ? "--prefix" : "--from-key"));
        }
    }

    /**
     * @return the first key of the range: a single zero byte for an empty key with {@code --prefix} or
     * {@code --from-key}, so that the range is every key.
     */
    byte[] key()
    {
        final byte[] bytes = utf8(key);
        return 0 == bytes.length && (prefix || fromKey) ? KeyRanges.fromKey() : bytes;
    }

    /**
     * @return the exclusive end of the range in etcd's encoding: empty for the key alone.
     */
    byte[] rangeEnd()
    {
        if (prefix)
        {
            return KeyRanges.prefixEnd(utf8(key));
        }
        if (fromKey)
        {
            return KeyRanges.fromKey();
        }

        return null == rangeEnd ? EMPTY : utf8(rangeEnd);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
