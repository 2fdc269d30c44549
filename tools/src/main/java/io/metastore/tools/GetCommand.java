package io.metastore.tools;

import io.metastore.client.KeyValue;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.Op;
import io.metastore.client.RangeOptions;
import io.metastore.client.RangeResult;
import io.metastore.codecs.SortOrder;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.replay.StoredState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code get <key> [<rangeEnd>]}: etcdctl's get. {@code --order}, {@code --sort-by} and {@code --consistency} take
 * etcdctl's values in any case. The cluster sorts by key only; a range sorted by another target is read whole, in
 * pages, and sorted here, then cut to {@code --limit}, which is what etcd's server does for such a sort.
 * <p>
 * {@code --consistency s} reads serializably, as etcdctl's: the member of the client's read session answers from its
 * own state, possibly stale; pages after the first are read at the first's revision, through the log.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
        "Get a key or a range of keys.",
        "Simple output prints each key on a line and its value on the next; --count-only prints the count.",
        "A range larger than one response is read in pages at the revision of the first, and printed whole.",
        "--sort-by other than KEY reads the whole range and sorts it in the command line (not inside txn).",
        "--consistency s reads one member's own state without the log, possibly stale: the leader's, or that " +
            "of the member metastore.client.read.member names." })
final class GetCommand extends ClientCommand
{
    /**
     * The targets {@code --sort-by} takes, etcd's {@code RangeRequest.SortTarget}.
     */
    enum SortTarget
    {
        /**
         * By key, the order the cluster keeps.
         */
        KEY(Comparator.comparing(KeyValue::key, Arrays::compareUnsigned)),

        /**
         * By the revision that created the key.
         */
        CREATE(Comparator.comparingLong(KeyValue::createRevision)),

        /**
         * By the revision of the last change.
         */
        MODIFY(Comparator.comparingLong(KeyValue::modRevision)),

        /**
         * By the number of changes since the key was created.
         */
        VERSION(Comparator.comparingLong(KeyValue::version)),

        /**
         * By value, byte by byte, unsigned, as Go's bytes.Compare.
         */
        VALUE(Comparator.comparing(KeyValue::value, Arrays::compareUnsigned));

        private final Comparator<KeyValue> ascending;

        SortTarget(final Comparator<KeyValue> ascending)
        {
            this.ascending = ascending;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    @Mixin
    private RangeArgs range;

    @Option(names = "--limit", paramLabel = "<n>", description = "Most keys returned, 0 for all.")
    private long limit;

    @Option(names = "--keys-only", description = "Get only the keys.")
    private boolean keysOnly;

    @Option(names = "--count-only", description = "Get only the count of keys in the range.")
    private boolean countOnly;

    @Option(names = "--order", paramLabel = "ASCEND|DESCEND",
        description = "Order of the results, any case (ascending by default).")
    private String order;

    @Option(names = "--sort-by", paramLabel = "KEY|CREATE|MODIFY|VERSION|VALUE",
        description = "Sort target, any case (KEY by default).")
    private String sortBy;

    @Option(names = "--rev", paramLabel = "<n>", description = "Revision to read at, 0 for the latest.")
    private long revision;

    @Option(names = "--print-value-only", description = "Print only the values, in simple output.")
    private boolean printValueOnly;

    @Option(names = "--consistency", paramLabel = "l|s",
        description = "Linearizable (l, the default) or serializable (s), any case.")
    private String consistency;

    @Option(names = "--data-dir", paramLabel = "<dir>",
        description = "Read offline, no cluster: from the state `log replay --out` built in <dir>, or from a stopped " +
            "member's store when <dir> is its data directory (see --member-id). Reads at past revisions work too.")
    private File stateDir;

    @Option(names = "--member-id", paramLabel = "<id>",
        description = "With --data-dir naming a data directory: the member whose store to read (default: 0).")
    private int memberId;

    private SortOrder sortOrder = SortOrder.NONE;
    private SortTarget sortTarget = SortTarget.KEY;
    private boolean serializable;

    @Override
    void prepare(final CommandLine commandLine)
    {
        range.validate(commandLine);
        sortOrder = parseOrder(order);
        sortTarget = parseTarget(sortBy);
        serializable = isSerializable(consistency);
        if (SortTarget.KEY != sortTarget && SortOrder.NONE == sortOrder)
        {
            sortOrder = SortOrder.ASCEND;
        }
    }

    @Override
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        final RangeResult result;
        if (SortTarget.KEY == sortTarget || countOnly)
        {
            result = PagedRange.read(client, range.key(), range.rangeEnd(), options());
        }
        else
        {
            final RangeOptions whole = options().limit(0).sortOrder(SortOrder.NONE)
                .keysOnly(keysOnly && SortTarget.VALUE != sortTarget);
            result = sorted(PagedRange.read(client, range.key(), range.rangeEnd(), whole));
        }
        printer.range(result, keysOnly, countOnly, printValueOnly);
    }

    @Override
    boolean isOffline()
    {
        return null != stateDir;
    }

    @Override
    void executeOffline(final ResultPrinter printer)
    {
        final File store = new File(stateDir, "CURRENT").isFile() ? stateDir :
            new File(new MetaStoreNode.Context().memberId(memberId).dataDir(stateDir).nodeDir(), "rocksdb");
        try (StoredState state = StoredState.open(store))
        {
            final RangeResult result;
            if (SortTarget.KEY == sortTarget || countOnly)
            {
                result = state.range(range.key(), options());
            }
            else
            {
                result = sorted(state.range(range.key(), options().limit(0)
                    .sortOrder(SortOrder.NONE).keysOnly(keysOnly && SortTarget.VALUE != sortTarget)));
            }
            printer.range(result, keysOnly, countOnly, printValueOnly);
        }
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
        if (SortTarget.KEY != sortTarget)
        {
            throw new ParameterException(commandLine, "--sort-by " + sortTarget + " is not supported inside a " +
                "txn: the cluster sorts by key only, and a txn's range is not read whole");
        }
        return Op.get(range.key(), options());
    }

    /**
     * @return how the result of this get prints.
     */
    RangeFormat format()
    {
        return new RangeFormat(keysOnly, countOnly, printValueOnly);
    }

    /**
     * Sort a whole range as etcd's server does for a target other than the key: stable, so pairs that tie stay
     * in key order, then cut to the limit, {@code more} saying whether any was cut.
     */
    private RangeResult sorted(final RangeResult whole)
    {
        final Comparator<KeyValue> comparator =
            SortOrder.DESCEND == sortOrder ? sortTarget.ascending.reversed() : sortTarget.ascending;
        final List<KeyValue> kvs = new ArrayList<>(whole.kvs());
        kvs.sort(comparator);
        final boolean cut = limit > 0 && kvs.size() > limit;
        final List<KeyValue> kept = cut ? kvs.subList(0, (int)limit) : kvs;
        final List<KeyValue> printed = new ArrayList<>(kept.size());
        for (final KeyValue kv : kept)
        {
            printed.add(keysOnly ? new KeyValue(
                kv.key(), EMPTY, kv.createRevision(), kv.modRevision(), kv.version(), kv.lease()) : kv);
        }

        return new RangeResult(whole.header(), printed, whole.count(), cut);
    }

    private RangeOptions options()
    {
        return new RangeOptions()
            .rangeEnd(range.rangeEnd())
            .limit(limit)
            .revision(revision)
            .sortOrder(sortOrder)
            .keysOnly(keysOnly)
            .countOnly(countOnly)
            .serializable(serializable);
    }

    /**
     * @throws CliFailure etcdctl's "bad sort order", exit code {@link ExitCodes#BAD_FEATURE}.
     */
    private static SortOrder parseOrder(final String order)
    {
        if (null == order || order.isEmpty())
        {
            return SortOrder.NONE;
        }
        return switch (order.toUpperCase(Locale.ROOT))
        {
            case "ASCEND" -> SortOrder.ASCEND;
            case "DESCEND" -> SortOrder.DESCEND;
            default -> throw new CliFailure(ExitCodes.BAD_FEATURE, "bad sort order " + order);
        };
    }

    /**
     * @return true for {@code s}, false for {@code l} or none, in any case.
     * @throws CliFailure etcdctl's "unknown consistency flag", exit code {@link ExitCodes#BAD_FEATURE}.
     */
    static boolean isSerializable(final String consistency)
    {
        if (null == consistency || "l".equalsIgnoreCase(consistency))
        {
            return false;
        }
        if ("s".equalsIgnoreCase(consistency))
        {
            return true;
        }
        throw new CliFailure(ExitCodes.BAD_FEATURE, "unknown consistency flag \"" +
            consistency.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    /**
     * @throws CliFailure etcdctl's "bad sort target", exit code {@link ExitCodes#BAD_FEATURE}.
     */
    private static SortTarget parseTarget(final String sortBy)
    {
        if (null == sortBy || sortBy.isEmpty())
        {
            return SortTarget.KEY;
        }
        for (final SortTarget target : SortTarget.values())
        {
            if (target.name().equalsIgnoreCase(sortBy))
            {
                return target;
            }
        }
        throw new CliFailure(ExitCodes.BAD_FEATURE, "bad sort target " + sortBy);
    }
}
