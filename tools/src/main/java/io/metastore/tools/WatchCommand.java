package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.ResponseHeader;
import io.metastore.client.Watch;
import io.metastore.client.WatchEvents;
import io.metastore.client.WatchListener;
import io.metastore.client.WatchOptions;
import io.metastore.codecs.ErrorCode;
import io.metastore.protocol.KeyRanges;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code watch [<key> [<rangeEnd>]] [--prefix] [--rev N] [--prev-kv] [--progress-notify]}: etcdctl's watch. Prints
 * each revision's events as they come, until Ctrl-C, or until the watch ends (compacted past, canceled by the member),
 * which prints, as etcdctl, {@code watch was canceled (<reason>)} and {@code Error: watch is canceled by the server}
 * and exits 5. With {@code -i}, reads commands from standard input, one a line:
 * {@code watch <key> [<rangeEnd>] [--prefix] [--rev N] [--prev-kv] [--progress-notify]}, {@code cancel <id>} (ids
 * from 0 in the order the watches were made) and {@code progress}; it ends at the end of the input.
 * <p>
 * The watch is served by one member's read port, not through the log: the first member of {@code --endpoints}
 * unless the client is told another, a follower as well as the leader; the client moves to another member, and
 * resumes from the revision after the last one printed, if that member goes.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
        "Watch a key or a range of keys for changes; runs until Ctrl-C.",
        "Simple output prints each event's type (PUT or DELETE), its previous pair with --prev-kv, then its key",
        "and value on lines of their own; -w json prints one etcd WatchResponse per revision."})
final class WatchCommand extends ClientCommand
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "<key>", description = "The key, or the start of the range.")
    private String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<rangeEnd>",
        description = "Exclusive end of the range [key, rangeEnd).")
    private String rangeEnd;

    @Option(names = "--prefix", description = "Watch every key that starts with <key>.")
    private boolean prefix;

    @Option(names = "--rev", paramLabel = "<n>", description = "Revision to start watching from, 0 for the next.")
    private long revision;

    @Option(names = "--prev-kv", description = "Print each event's previous pair.")
    private boolean prevKv;

    @Option(names = "--progress-notify", description = "Print a progress notification now and then when idle.")
    private boolean progressNotify;

    @Option(names = {"-i", "--interactive"}, description = "Read watch, cancel and progress commands from stdin.")
    private boolean interactive;

    private final CompletableFuture<MetaStoreException> ended = new CompletableFuture<>();

    @Override
    void prepare(final CommandLine commandLine)
    {
        if (!interactive)
        {
            spec(commandLine);
        }
    }

    @Override
    boolean mayUseLocalNodeDriver()
    {
        return false;
    }

    @Override
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        // As etcdctl, which fails at the first event; before any here, rather than warn at every one.
        if (printer instanceof TablePrinter)
        {
            throw TablePrinter.unsupported();
        }
        if (interactive)
        {
            interact(client, printer);
            return;
        }

        final WatchSpec watchSpec = spec(spec.commandLine());
        try (Watch ignore = client.watch(
            watchSpec.key, watchSpec.options, new Printing(printer, ended, spec.commandLine().getErr())))
        {
            final MetaStoreException reason = ended.get();
            // No code: the client was closed, by Ctrl-C.
            if (null != reason && null != reason.code())
            {
                // As etcdctl: the cancel's reason, then its error and exit status.
                final PrintWriter err = spec.commandLine().getErr();
                err.println(canceledLine(reason));
                err.flush();
                throw new CliFailure(ExitCodes.INTERRUPTED, "watch is canceled by the server");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex.getCause());
        }
    }

    private void interact(final MetaStoreClient client, final ResultPrinter printer)
    {
        final List<Watch> watches = new ArrayList<>();
        final MetaStoreCli cli = (MetaStoreCli)spec.root().userObject();
        final PrintWriter err = spec.commandLine().getErr();
        final BufferedReader in = new BufferedReader(new InputStreamReader(cli.stdin(), StandardCharsets.UTF_8));
        try
        {
            String line;
            while (null != (line = in.readLine()))
            {
                final String[] words = line.trim().split("\\s+");
                if (0 == words[0].length())
                {
                    continue;
                }
                switch (words[0])
                {
                    case "watch" ->
                    {
                        final WatchCommand parsed = new WatchCommand();
                        final CommandLine commandLine = new CommandLine(parsed);
                        final String[] args = new String[words.length - 1];
                        System.arraycopy(words, 1, args, 0, args.length);
                        try
                        {
                            commandLine.parseArgs(args);
                            if (null == parsed.key)
                            {
                                throw new ParameterException(commandLine, "watch takes a key");
                            }
                            final WatchSpec watchSpec = parsed.spec(commandLine);
                            watches.add(client.watch(
                                watchSpec.key, watchSpec.options, new Printing(printer, null, err)));
                        }
                        catch (final ParameterException ex)
                        {
                            err.println("Invalid command: " + ex.getMessage());
                        }
                    }
                    case "cancel" -> cancel(watches, words, err);
                    case "progress" -> client.requestWatchProgress();
                    default -> err.println("Invalid command " + words[0] + " (" + line + ")");
                }
                err.flush();
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("reading commands: " + ex.getMessage(), ex);
        }
        finally
        {
            watches.forEach(Watch::cancel);
        }
    }

    private static void cancel(final List<Watch> watches, final String[] words, final PrintWriter err)
    {
        final int index;
        try
        {
            index = words.length == 2 ? Integer.parseInt(words[1]) : -1;
        }
        catch (final NumberFormatException ex)
        {
            err.println("Invalid watch id " + words[1]);
            return;
        }
        if (index < 0 || index >= watches.size())
        {
            err.println("Invalid command: cancel takes the id of a watch made, from 0");
            return;
        }
        watches.get(index).cancel();
    }

    private WatchSpec spec(final CommandLine commandLine)
    {
        if (null == key)
        {
            throw new ParameterException(commandLine, "watch takes a key, or -i to read commands from stdin");
        }
        if (prefix && null != rangeEnd)
        {
            throw new ParameterException(commandLine, "<rangeEnd> cannot be given with --prefix");
        }
        if (revision < 0)
        {
            throw new ParameterException(commandLine, "--rev must not be negative");
        }
        final byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        final byte[] first = 0 == keyBytes.length && prefix ? KeyRanges.fromKey() : keyBytes;
        if (0 == first.length)
        {
            throw new ParameterException(commandLine, "the key must not be empty, unless with --prefix");
        }
        final WatchOptions options = new WatchOptions()
            .startRevision(revision)
            .prevKv(prevKv)
            .progressNotify(progressNotify);
        if (prefix)
        {
            options.rangeEnd(0 == keyBytes.length ? KeyRanges.fromKey() : KeyRanges.prefixEnd(keyBytes));
        }
        else if (null != rangeEnd)
        {
            options.rangeEnd(rangeEnd.getBytes(StandardCharsets.UTF_8));
        }

        return new WatchSpec(first, options);
    }

    private record WatchSpec(byte[] key, WatchOptions options)
    {
    }

    /**
     * etcdctl's line for a watch the member ended: {@code watch was canceled (<etcd's reason>)}, with etcd's wording
     * where it has one (an inverted range is etcd's empty watcher range), else the member's message.
     *
     * @param reason the watch ended with.
     * @return the line.
     */
    static String canceledLine(final MetaStoreException reason)
    {
        final String wording = ErrorCode.INVALID_RANGE == reason.code() ?
            "mvcc: watcher range is empty" : EtcdErrors.etcdWording(reason.code());
        return "watch was canceled (" + (null != wording ? wording : reason.getMessage()) + ")";
    }

    /**
     * Prints a watch's events, one revision at a time; the printer is shared by every watch of the command.
     */
    private static final class Printing implements WatchListener
    {
        private final ResultPrinter printer;
        private final CompletableFuture<MetaStoreException> ended;
        private final PrintWriter err;

        Printing(
            final ResultPrinter printer, final CompletableFuture<MetaStoreException> ended, final PrintWriter err)
        {
            this.printer = printer;
            this.ended = ended;
            this.err = err;
        }

        public void onEvents(final WatchEvents events)
        {
            synchronized (printer)
            {
                printer.watchEvents(events);
                printer.flush();
            }
        }

        public void onProgress(final ResponseHeader header)
        {
            synchronized (printer)
            {
                printer.watchProgress(header);
                printer.flush();
            }
        }

        public void onTerminated(final MetaStoreException reason)
        {
            if (null != ended)
            {
                ended.complete(reason);
            }
            else if (null != reason.code() && ErrorCode.CANCELED != reason.code())
            {
                err.println(canceledLine(reason));
                err.flush();
            }
        }
    }
}
