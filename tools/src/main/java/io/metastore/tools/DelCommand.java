package io.metastore.tools;

import io.metastore.client.DeleteOptions;
import io.metastore.client.DeleteResult;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.Op;
import io.metastore.codecs.ErrorCode;
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
        "if --prev-kv is given. Previous pairs larger than one response are read in pages first, then the range " +
        "is deleted in one request that runs only if none of its keys was put since.")
final class DelCommand extends ClientCommand
{
    @Mixin
    private RangeArgs range;

    @Option(names = "--prev-kv", description = "Return the deleted keys and values.")
    private boolean prevKv;

    @Override
    void prepare(final CommandLine commandLine)
    {
        range.validate(commandLine);
    }

    @Override
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        printer.delete(delete(client));
    }

    private DeleteResult delete(final MetaStoreClient client)
    {
        try
        {
            return client.delete(range.key(), options());
        }
        catch (final MetaStoreException ex)
        {
            if (ErrorCode.RESPONSE_TOO_LARGE == ex.code() && prevKv)
            {
                return PagedRange.deleteWithPrevKvs(client, range.key(), range.rangeEnd());
            }
            throw ex;
        }
    }

    /**
     * The delete as an operation of a {@code txn}.
     *
     * @param commandLine of this verb, for usage errors.
     * @return the operation.
     * @throws picocli.CommandLine.ParameterException if the arguments do not make a range.
     */
    Op toOp(final CommandLine commandLine)
    {
        prepare(commandLine);
        return Op.delete(range.key(), options());
    }

    private DeleteOptions options()
    {
        return new DeleteOptions()
            .rangeEnd(range.rangeEnd())
            .prevKv(prevKv);
    }
}
