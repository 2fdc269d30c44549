package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import picocli.CommandLine.Command;

/**
 * {@code defrag}: etcdctl's defrag, for every member at once.
 */
@Command(
    name = "defrag",
    mixinStandardHelpOptions = true,
    description = "Ask every member to reclaim the space of deleted and compacted data (RocksDB's compaction of the " +
        "whole store, as etcd's defragmentation). The request goes through the log to every member; each rewrites " +
        "its store on a thread of its own and serves meanwhile.")
final class DefragCommand extends ClientCommand
{
    @Override
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        printer.defragmented(client.defragment());
    }
}
