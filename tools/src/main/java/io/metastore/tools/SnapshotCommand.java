package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.SnapshotTakeResult;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.snapshot.SnapshotLoader;
import io.metastore.node.storage.RocksDbStorage;
import io.metastore.node.storage.StateDigest;
import io.metastore.protocol.SnapshotFile;
import org.agrona.IoUtil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code snapshot}: etcdctl's {@code snapshot save} and etcdutl's {@code snapshot status} and {@code snapshot restore},
 * plus {@code snapshot take}, a cluster snapshot now (what the leader does every {@code metastore.snapshot.log.bytes}).
 */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = "Save a running member's state to a file, show a file's status, restore it into the data " +
        "directory of a new cluster, or have the cluster take a snapshot now.",
    subcommands = {
        SnapshotCommand.Save.class,
        SnapshotCommand.Status.class,
        SnapshotCommand.Restore.class,
        SnapshotCommand.Take.class
    })
final class SnapshotCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "snapshot needs a subcommand: save, status, " +
            "restore or take");
    }

    /**
     * {@code snapshot save}: stream a member's committed state into a new file.
     */
    @Command(
        name = "save",
        mixinStandardHelpOptions = true,
        description = "Save the committed state of a running member (the leader unless --member-id names another) " +
            "to a new file: the member streams it from a consistent view of its store, off its log's path.")
    static final class Save extends ClientCommand
    {
        @Parameters(index = "0", paramLabel = "<file>",
            description = "File to write: saved beside it as <file>.part, then renamed over it, as etcdctl does.")
        private Path file;

        @Option(
            names = "--member-id",
            paramLabel = "<id>",
            description = "Member to save from, leader or follower (default: the leader).")
        private Integer memberId;

        @Override
        void prepare(final CommandLine commandLine)
        {
            final Path directory = file.toAbsolutePath().getParent();
            if (null == directory || !Files.isDirectory(directory))
            {
                throw new CliFailure(ExitCodes.ERROR, "could not save to " + file + ": no directory " + directory);
            }
            if (Files.isDirectory(file))
            {
                throw new CliFailure(ExitCodes.ERROR, "could not save to " + file + ": it is a directory");
            }
        }

        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            final int member = null == memberId ? client.leaderMemberId() : memberId;
            // A save that fails leaves no file, so the one being replaced stays whole until the new one is.
            final Path part = file.resolveSibling(file.getFileName() + ".part");
            final SnapshotFile.Header header;
            try
            {
                Files.deleteIfExists(part);
                header = client.snapshotSave(member, part);
                moveOver(part, file);
            }
            catch (final IOException ex)
            {
                throw new CliFailure(ExitCodes.ERROR, "could not save to " + file + ": " + ex, ex);
            }
            final PrintStream out = out(spec);
            if (OutputFormat.SIMPLE == format(spec, clientOptions))
            {
                out.println("Snapshot saved at " + file);
                out.println("member " + header.memberId() + ", revision " + header.revision() + ", log position " +
                    header.logPosition() + ", " + header.fileBytes() + " bytes, hash " + header.checksumHex());
            }
            else
            {
                out.println(new JsonWriter().beginObject()
                    .name("path").value(file.toString())
                    .name("member").value(header.memberId())
                    .name("revision").value(header.revision())
                    .name("logPosition").value(header.logPosition())
                    .name("compactRevision").value(header.compactRevision())
                    .name("totalSize").value(header.fileBytes())
                    .name("hash").value(header.checksumHex())
                    .endObject());
            }
        }

        /**
         * Rename the complete part file over the file, atomically where the file system allows; the part file never
         * stays behind.
         */
        private static void moveOver(final Path part, final Path file) throws IOException
        {
            try
            {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
            finally
            {
                Files.deleteIfExists(part);
            }
        }
    }

    /**
     * {@code snapshot take}: a cluster snapshot now.
     */
    @Command(
        name = "take",
        mixinStandardHelpOptions = true,
        description = "Have the leader take a cluster snapshot now (every member takes it at the same log position), " +
            "as it does every metastore.snapshot.log.bytes of log; a restart replays the log from the newest " +
            "snapshot, and log retention keeps the log from there back.")
    static final class Take extends ClientCommand
    {
        @Override
        void execute(final MetaStoreClient client, final ResultPrinter printer)
        {
            final SnapshotTakeResult result = client.snapshotTake();
            final PrintStream out = out(spec);
            if (OutputFormat.SIMPLE == format(spec, clientOptions))
            {
                out.println("Snapshot taken by member " + result.memberId() + " at log position " +
                    result.logPosition() + " (" + result.snapshots() + " since it started)");
            }
            else
            {
                out.println(new JsonWriter().beginObject()
                    .name("member").value(result.memberId())
                    .name("logPosition").value(result.logPosition())
                    .name("snapshots").value(result.snapshots())
                    .endObject());
            }
        }
    }

    /**
     * {@code snapshot status}: what a file holds, checked whole.
     */
    @Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Check a snapshot file whole (length, framing, checksum), load it into a temporary store and " +
            "print its hash (the file's CRC-32C), revision, keys, size and state digest (as the member's " +
            "StateDigest at that revision).")
    static final class Status implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<file>", description = "Snapshot file.")
        private Path file;

        @Option(
            names = {"-w", "--write-out"},
            paramLabel = "<format>",
            description = "simple, table or json (default: ${DEFAULT-VALUE}).")
        private String writeOut = "simple";

        @Override
        public Integer call()
        {
            return offline(spec, () ->
            {
                final String format = writeOut.toLowerCase(Locale.ROOT);
                if (!List.of("simple", "table", "json").contains(format))
                {
                    throw new CliFailure(ExitCodes.BAD_FEATURE, "unsupported output format: " + writeOut);
                }
                final Path scratch = Files.createTempDirectory("metastore-snapshot-status");
                try
                {
                    final Loaded loaded = load(file, scratch.resolve("rocksdb").toFile());
                    print(out(spec), format, loaded);
                }
                finally
                {
                    IoUtil.delete(scratch.toFile(), true);
                }
            });
        }

        private static void print(final PrintStream out, final String format, final Loaded loaded)
        {
            final SnapshotFile.Header header = loaded.header;
            switch (format)
            {
                case "json" -> out.println(new JsonWriter().beginObject()
                    .name("hash").value(header.checksumHex())
                    .name("revision").value(header.revision())
                    .name("totalKey").value(loaded.keys)
                    .name("totalSize").value(header.fileBytes())
                    .name("logPosition").value(header.logPosition())
                    .name("compactRevision").value(header.compactRevision())
                    .name("member").value(header.memberId())
                    .name("digest").value(loaded.digest)
                    .endObject());
                case "table" ->
                {
                    final String[] titles = { "HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE", "LOG POSITION",
                        "MEMBER", "DIGEST" };
                    final String[] values = { header.checksumHex(), String.valueOf(header.revision()),
                        String.valueOf(loaded.keys), size(header.fileBytes()), String.valueOf(header.logPosition()),
                        String.valueOf(header.memberId()), loaded.digest };
                    table(out, titles, values);
                }
                default -> out.println(header.checksumHex() + ", " + header.revision() + ", " + loaded.keys + ", " +
                    size(header.fileBytes()) + ", " + header.logPosition() + ", " + loaded.digest);
            }
        }
    }

    /**
     * {@code snapshot restore}: a new cluster's stores from a file.
     */
    @Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = {
            "Build the store of each member of a new cluster from a snapshot file: <data-dir>/node-<id>/rocksdb " +
                "for every member of --members, or only --member-id. Each holds the saved state at its revision, " +
                "applied at log position 0: the new cluster's log starts empty. Then start each member with " +
                "`metastore server` on the same --data-dir and --members: it serves the saved revision, and the " +
                "next write gets the one after.",
            "A target node directory that exists and is not empty is refused."
        })
    static final class Restore implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<file>", description = "Snapshot file.")
        private Path file;

        @Option(
            names = "--data-dir",
            paramLabel = "<dir>",
            description = "Data directory of the new cluster, parent of node-<id> (default: ${DEFAULT-VALUE}).")
        private File dataDir = new File(MetaStoreNode.Configuration.dataDirName());

        @Option(
            names = "--members",
            paramLabel = "<host,...>",
            description = "Hosts of the new cluster's 1, 3 or 5 members, as each will be started with " +
                "(default: ${DEFAULT-VALUE}).")
        private String members = MetaStoreNode.Configuration.members();

        @Option(
            names = "--member-id",
            paramLabel = "<id>",
            description = "Restore only this member (default: every member of --members).")
        private Integer memberId;

        @Override
        public Integer call()
        {
            return offline(spec, () ->
            {
                final int count = members.split(",").length;
                final List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < count; i++)
                {
                    if (null == memberId || memberId == i)
                    {
                        ids.add(i);
                    }
                }
                if (ids.isEmpty())
                {
                    throw new CliFailure(ExitCodes.ERROR, "member id " + memberId + " is not among the " + count +
                        " of --members " + members);
                }
                SnapshotFile.verify(file);
                for (final int id : ids)
                {
                    final File nodeDir = new MetaStoreNode.Context().memberId(id).dataDir(dataDir).nodeDir();
                    final String[] existing = nodeDir.list();
                    if (null != existing && existing.length > 0)
                    {
                        throw new CliFailure(ExitCodes.ERROR, "refusing to restore into " +
                            nodeDir.getAbsolutePath() + ": it is not empty");
                    }
                }
                final PrintStream out = out(spec);
                Loaded loaded = null;
                for (final int id : ids)
                {
                    final File nodeDir = new MetaStoreNode.Context().memberId(id).dataDir(dataDir).nodeDir();
                    loaded = load(file, new File(nodeDir, "rocksdb"));
                    out.println("restored member " + id + " into " + nodeDir.getAbsolutePath());
                }
                out.println("revision " + loaded.header.revision() + ", " + loaded.keys + " keys, state digest " +
                    loaded.digest + "; start each member with: metastore server --data-dir " + dataDir +
                    " --members " + members + " --member-id <id>");
            });
        }
    }

    /**
     * What a file loaded into a store holds.
     */
    private record Loaded(SnapshotFile.Header header, long keys, String digest)
    {
    }

    @FunctionalInterface
    private interface OfflineAction
    {
        void run() throws IOException;
    }

    private static Loaded load(final Path file, final File rocksDbDir)
    {
        boolean isLoaded = false;
        try (RocksDbStorage storage = RocksDbStorage.open(rocksDbDir))
        {
            final SnapshotFile.Header header = SnapshotLoader.restore(storage, file);
            final Loaded loaded = new Loaded(header, storage.liveKeyCount(), StateDigest.of(storage));
            isLoaded = true;
            return loaded;
        }
        finally
        {
            if (!isLoaded)
            {
                // A store half loaded is no use to anyone: the directory is left as it was found.
                IoUtil.delete(rocksDbDir.getParentFile(), true);
            }
        }
    }

    private static int offline(final CommandSpec spec, final OfflineAction action)
    {
        final PrintWriter err = spec.commandLine().getErr();
        final MetaStoreCli cli = (MetaStoreCli)spec.root().userObject();
        try
        {
            action.run();
            return ExitCodes.SUCCESS;
        }
        catch (final CliFailure ex)
        {
            err.println("Error: " + ex.getMessage());
            return ex.exitCode();
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("Error: " + MetaStoreCli.errorMessage(ex));
            return ExitCodes.ERROR;
        }
        finally
        {
            new PrintStream(cli.stdout(), true, StandardCharsets.UTF_8).flush();
            err.flush();
        }
    }

    private static PrintStream out(final CommandSpec spec)
    {
        return new PrintStream(((MetaStoreCli)spec.root().userObject()).stdout(), true, StandardCharsets.UTF_8);
    }

    private static OutputFormat format(final CommandSpec spec, final ClientOptions options)
    {
        final MetaStoreCli cli = (MetaStoreCli)spec.root().userObject();
        return ClientOptions.resolve(options, cli.globalOptions(), cli.environment()).format();
    }

    private static void table(final PrintStream out, final String[] titles, final String[] values)
    {
        final StringBuilder rule = new StringBuilder("+");
        final StringBuilder head = new StringBuilder("|");
        final StringBuilder row = new StringBuilder("|");
        for (int i = 0; i < titles.length; i++)
        {
            final int width = Math.max(titles[i].length(), values[i].length()) + 2;
            rule.append("-".repeat(width)).append('+');
            head.append(center(titles[i], width)).append('|');
            row.append(' ').append(String.format("%-" + (width - 1) + "s", values[i])).append('|');
        }
        out.println(rule);
        out.println(head);
        out.println(rule);
        out.println(row);
        out.println(rule);
    }

    private static String center(final String text, final int width)
    {
        final int left = (width - text.length()) / 2;
        return " ".repeat(left) + text + " ".repeat(width - text.length() - left);
    }

    private static String size(final long bytes)
    {
        if (bytes >= 1024 * 1024)
        {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        if (bytes >= 1024)
        {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " B";
    }
}
