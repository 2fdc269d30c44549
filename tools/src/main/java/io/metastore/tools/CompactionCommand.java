package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compaction <revision> [--physical]}: etcdctl's compaction.
 */
@Command(
    name = "compaction",
    mixinStandardHelpOptions = true,
    description = "Compact the history at a revision: reads at revisions below it are refused from then on. " +
        "Prints: compacted revision <n>.")
final class CompactionCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "<revision>", description = "Revision to compact at.")
    private long revision;

    @Option(
        names = "--physical",
        description = "etcd's wait for the removal from disk; accepted, and the same: the answer comes once the " +
            "compaction is applied, what it hides is removed from disk after, in small steps.")
    private boolean physical;

    @Override
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        printer.compacted(MetaStoreClient.await(client.compactAsync(revision, physical)));
    }
}
