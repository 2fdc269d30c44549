package io.metastore.tools;

import io.metastore.client.DeleteOptions;
import io.metastore.client.MetaStoreClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code del <key> [<rangeEnd>]}: etcdctl's del.
 */
@Command(
    name = "del",
    mixinStandardHelpOptions = true,
    description = "Delete a key or a range of keys. Prints the number deleted, then the deleted keys and values " +
        "if --prev-kv is given.")
final class DelCommand extends ClientCommand
{
    @Mixin
    private RangeArgs range;

    @Option(names = "--prev-kv", description = "Return the deleted keys and values.")
    private boolean prevKv;

    /**
     * {@inheritDoc}
     */
    void prepare(final CommandLine commandLine)
    {
        range.validate(commandLine);
    }

    /**
     * {@inheritDoc}
     */
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        final DeleteOptions options = new DeleteOptions()
            .rangeEnd(range.rangeEnd())
            .prevKv(prevKv);

        printer.delete(client.delete(range.key(), options));
    }
}
