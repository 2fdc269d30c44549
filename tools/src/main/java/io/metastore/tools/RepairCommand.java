package io.metastore.tools;

import io.metastore.node.MetaStoreNode;
import io.metastore.node.log.LogTailCheck;
import io.metastore.node.log.SegmentTail;
import io.metastore.node.log.TailRepair;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code repair}: with the node stopped, end a member's log at its last whole entry after a write was cut short, or
 * with {@code --discard} remove the member's log and state so that it rejoins empty. Either way the member fetches
 * what it lacks from the leader when it rejoins; a single-member cluster has no leader to fetch from.
 */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = {
        "Repair a stopped member whose log ends in a torn write (a full disk or a crash): zero the torn entry so " +
            "the log ends at its last whole entry; the member fetches the rest from the leader when it rejoins.",
        "With --discard, remove the member's archive, cluster and RocksDB directories instead: it rejoins empty " +
            "and fetches the whole log from the leader (which it cannot once the leader's log retention purged " +
            "part of it).",
        "A single-member cluster has no leader to fetch from: --discard there loses every key, and needs --force."
    })
final class RepairCommand implements Callable<Integer>
{
    /**
     * Lock file in the node's directory that a running node holds with {@link FileChannel#tryLock()}.
     */
    static final String LOCK_FILE_NAME = "metastore.lock";

    /**
     * The directories {@code --discard} removes, as {@link MetaStoreNode} names them under its node directory.
     */
    static final List<String> STATE_DIR_NAMES = List.of(LogTailCheck.ARCHIVE_DIR_NAME, "cluster", "rocksdb");

    @Spec
    private CommandSpec spec;

    @Mixin
    private MemberOptions member;

    @ParentCommand
    private Object parent;

    @Option(
        names = "--discard",
        description = "Remove the member's log and state (archive, cluster and RocksDB directories) so that it " +
            "rejoins empty and fetches the whole log from the leader.")
    private boolean discard;

    @Option(
        names = "--yes",
        description = "With --discard: do not ask for confirmation.")
    private boolean yes;

    @Option(
        names = "--force",
        description = "With --discard on a single-member cluster: discard although no leader holds the log.")
    private boolean force;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try
        {
            final File nodeDir = member.nodeDir();
            if (!nodeDir.isDirectory())
            {
                err.println("Error: no node directory " + nodeDir.getAbsolutePath());
                return ExitCode.SOFTWARE;
            }

            try (FileChannel lockChannel = FileChannel.open(
                new File(nodeDir, LOCK_FILE_NAME).toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE))
            {
                final FileLock lock = tryLock(lockChannel);
                if (null == lock)
                {
                    err.println("Error: refusing to repair member " + member.memberId + ": a running process holds " +
                        new File(nodeDir, LOCK_FILE_NAME).getAbsolutePath() + "; stop the node first");
                    return ExitCode.SOFTWARE;
                }

                return discard ? discard(nodeDir, out, err) : truncate(nodeDir, out);
            }
        }
        catch (final IOException ex)
        {
            err.println("Error: " + ex);
            return ExitCode.SOFTWARE;
        }
        catch (final RuntimeException ex)
        {
            err.println("Error: " + MetaStoreCli.errorMessage(ex));
            return ExitCode.SOFTWARE;
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    private int truncate(final File nodeDir, final PrintWriter out)
    {
        final File archiveDir = new File(nodeDir, LogTailCheck.ARCHIVE_DIR_NAME);
        final List<SegmentTail> damaged = LogTailCheck.damagedTails(archiveDir);
        if (damaged.isEmpty())
        {
            out.println("member " + member.memberId + ": no torn log tail in " + archiveDir.getAbsolutePath() +
                ", nothing to repair");
            return ExitCode.OK;
        }

        for (final SegmentTail tail : damaged)
        {
            out.println("found " + LogTailCheck.describe(tail));
            final long zeroedBytes = TailRepair.truncate(tail);
            out.println("zeroed " + tail.segmentFile() + " from file offset " + tail.frameOffset() +
                " to its end (" + zeroedBytes + " bytes held data): recording " + tail.recordingId() +
                " now ends at log position " + tail.framePosition() + ", after its last whole entry");
        }

        if (LogTailCheck.isSingleMember(member.members))
        {
            out.println("member " + member.memberId + " is a single-member cluster: there is no leader to fetch the " +
                "dropped entry from; it is lost (a write cut short by a full disk was never acknowledged)");
        }
        else
        {
            out.println("member " + member.memberId +
                " fetches the log after that position from the leader when it rejoins");
        }

        return ExitCode.OK;
    }

    private int discard(final File nodeDir, final PrintWriter out, final PrintWriter err) throws IOException
    {
        if (LogTailCheck.isSingleMember(member.members) && !force)
        {
            err.println("Error: refusing to discard: member " + member.memberId + " is a single-member cluster, " +
                "with no leader to fetch the log from, so --discard would lose every key; run repair without " +
                "--discard, or add --force to discard anyway");
            return ExitCode.SOFTWARE;
        }

        final List<File> dirs = new ArrayList<>();
        for (final String name : STATE_DIR_NAMES)
        {
            final File dir = new File(nodeDir, name);
            if (dir.exists())
            {
                dirs.add(dir);
            }
        }

        if (dirs.isEmpty())
        {
            out.println("member " + member.memberId + ": no log or state in " + nodeDir.getAbsolutePath() +
                ", nothing to discard");
            return ExitCode.OK;
        }

        if (!yes && !confirm(dirs, out))
        {
            err.println("Error: not confirmed, nothing removed");
            return ExitCode.SOFTWARE;
        }

        for (final File dir : dirs)
        {
            IoUtil.delete(dir, false);
            out.println("removed " + dir.getAbsolutePath());
        }
        out.println(LogTailCheck.isSingleMember(member.members) ?
            "member " + member.memberId +
            " starts empty: a single-member cluster has no leader to fetch the log from" :
            "member " + member.memberId + " rejoins empty and fetches the whole log from the leader");

        return ExitCode.OK;
    }

    private boolean confirm(final List<File> dirs, final PrintWriter out) throws IOException
    {
        out.println("This removes the log and state of member " + member.memberId + ":");
        for (final File dir : dirs)
        {
            out.println("  " + dir.getAbsolutePath());
        }
        out.print("Type yes to remove them: ");
        out.flush();

        final BufferedReader reader = new BufferedReader(new InputStreamReader(
            parent instanceof MetaStoreCli cli ? cli.stdin() : System.in, StandardCharsets.UTF_8));
        final String answer = reader.readLine();

        return null != answer && "yes".equals(answer.trim());
    }

    private static FileLock tryLock(final FileChannel channel)
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
