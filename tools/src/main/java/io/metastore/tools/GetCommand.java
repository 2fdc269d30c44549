package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.Op;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.codecs.SortOrder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code get <key> [<rangeEnd>]}: etcdctl's get.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
        "Get a key or a range of keys.",
        "Simple output prints each key on a line and its value on the next; --count-only prints the count.",
        "A range larger than one response is read in pages at the revision of the first, and printed whole." })
final class GetCommand extends ClientCommand
{
    /**
     * The orders {@code --order} takes, by key.
     */
    enum Order
    {
        /**
         * Lowest key first.
         */
        ASCEND(SortOrder.ASCEND),

        /**
         * Highest key first.
         */
        DESCEND(SortOrder.DESCEND);

        private final SortOrder sortOrder;

        Order(final SortOrder sortOrder)
        {
            this.sortOrder = sortOrder;
        }
    }

    @Mixin
    private RangeArgs range;

    @Option(names = "--limit", paramLabel = "<n>", description = "Most keys returned, 0 for all.")
    private long limit;

    @Option(names = "--keys-only", description = "Get only the keys.")
    private boolean keysOnly;

    @Option(names = "--count-only", description = "Get only the count of keys in the range.")
    private boolean countOnly;

    @Option(names = "--order", paramLabel = "ASCEND|DESCEND", description = "Order of the keys.")
    private Order order;

    @Option(names = "--rev", paramLabel = "<n>", description = "Revision to read at, 0 for the latest.")
    private long revision;

    @Option(names = "--print-value-only", description = "Print only the values, in simple output.")
    private boolean printValueOnly;

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
        final RangeResult result = PagedRange.read(client, range.key(), range.rangeEnd(), options());
        printer.range(result, keysOnly, countOnly, printValueOnly);
    }

    /**
     * The get as an operation of a {@code txn}.
     *
     * @param commandLine of this verb, for usage errors.
     * @return the operation.
     * @throws picocli.CommandLine.ParameterException if the arguments do not make a range.
     */
    Op toOp(final CommandLine commandLine)
    {
        prepare(commandLine);
        return Op.get(range.key(), options());
    }

    /**
     * @return how the result of this get prints.
     */
    RangeFormat format()
    {
        return new RangeFormat(keysOnly, countOnly, printValueOnly);
    }

    private RangeOptions options()
    {
        return new RangeOptions()
            .rangeEnd(range.rangeEnd())
            .limit(limit)
            .revision(revision)
            .sortOrder(null == order ? SortOrder.NONE : order.sortOrder)
            .keysOnly(keysOnly)
            .countOnly(countOnly);
    }
}
