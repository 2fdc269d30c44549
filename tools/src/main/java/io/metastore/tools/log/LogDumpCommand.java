package io.metastore.tools.log;

import io.aeron.cluster.RecordingLog;
import io.metastore.node.ServiceSettingsRecord;
import io.metastore.node.log.TornLogException;
import io.metastore.node.replay.DamagedLogException;
import io.metastore.node.replay.RecordedLog;
import io.metastore.node.replay.StateReplay;
import io.metastore.tools.MemberOptions;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code log dump}: every entry of a member's recorded log, one line each (one per request of a client message),
 * with the revision each request produced or the error it was refused with, known by replaying the log through the
 * node's own service into a scratch directory as it is read.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
        "Print a member's recorded log: per entry its log position (the end of the entry, as the member counts " +
            "applied), leadership term, cluster time and kind; per request the client session, correlation id, " +
            "the request decoded and, unless --no-apply, the revision it produced or the error it was refused with.",
        "Also term starts, timers (lease expiry, automatic compaction), sessions opening and closing, and " +
            "snapshots taken. Kinds: " + LogDumpCommand.KINDS + ".",
        "The member must be stopped (its lock is taken), or give a copy of its directory with --data-dir."
    })
final class LogDumpCommand implements Callable<Integer>
{
    static final String KINDS = "put, range, delete, txn, lease-grant, lease-revoke, lease-keepalive, " +
        "lease-timetolive, lease-list, alarm, compact, defragment, changes, malformed, new-term, timer, " +
        "session-open, session-close, snapshot, suspend, resume";

    @Spec
    private CommandSpec spec;

    @Mixin
    private MemberOptions member;

    @Option(names = "--from-position", paramLabel = "<position>", description = "Entries ending at or after this.")
    private long fromPosition;

    @Option(names = "--to-position", paramLabel = "<position>", description = "Entries ending at or before this.")
    private long toPosition = Long.MAX_VALUE;

    @Option(names = "--term", paramLabel = "<term>", description = "Entries of this leadership term only.")
    private Long term;

    @Option(names = "--from-time", paramLabel = "<ISO-8601>", converter = InstantConverter.class,
        description = "Entries at or after this cluster time, e.g. 2026-11-26T14:02:31Z (UTC unless an offset " +
            "is given).")
    private Instant fromTime;

    @Option(names = "--to-time", paramLabel = "<ISO-8601>", converter = InstantConverter.class,
        description = "Entries at or before this cluster time.")
    private Instant toTime;

    @Option(names = "--from-revision", paramLabel = "<revision>",
        description = "Entries after which the store is at this revision or later.")
    private long fromRevision;

    @Option(names = "--to-revision", paramLabel = "<revision>",
        description = "Entries after which the store is at this revision or earlier.")
    private long toRevision = Long.MAX_VALUE;

    @Option(names = "--prefix", paramLabel = "<prefix>",
        description = "Requests naming a key with this prefix only (a txn's compares and operations included).")
    private String prefix;

    @Option(names = "--kind", paramLabel = "<kind>", split = ",", description = "Entries of these kinds only.")
    private Set<String> kinds;

    @Option(names = "--no-apply",
        description = "Do not replay the log through the state machine: faster, but no revisions or errors, and " +
            "no revision filter.")
    private boolean noApply;

    @Option(names = "--value-bytes", paramLabel = "<bytes>",
        description = "Bytes of each value to print, -1 for all (default: ${DEFAULT-VALUE}).")
    private int valueBytes = 32;

    @Option(names = { "-w", "--write-out" }, paramLabel = "<format>",
        description = "simple (a line per entry) or json (a JSON object per line).")
    private String writeOut = "simple";

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (noApply && (fromRevision > 0 || toRevision < Long.MAX_VALUE))
        {
            throw new ParameterException(spec.commandLine(), "--from-revision and --to-revision need the log " +
                "applied: drop --no-apply");
        }
        if (null != kinds && !DumpFilter.KINDS.containsAll(kinds))
        {
            final Set<String> unknown = new TreeSet<>(kinds);
            unknown.removeAll(DumpFilter.KINDS);
            throw new ParameterException(spec.commandLine(), "--kind: no entry is of kind " +
                String.join(", ", unknown) + "; the kinds are " + String.join(", ", DumpFilter.KINDS));
        }
        if (fromRevision > toRevision || fromPosition > toPosition)
        {
            throw new ParameterException(spec.commandLine(), "--from-revision and --from-position must not be " +
                "above --to-revision and --to-position: no entry would print");
        }
        final DumpFilter filter = new DumpFilter(
            fromPosition, toPosition, term, null == fromTime ? Long.MIN_VALUE : fromTime.toEpochMilli(),
            null == toTime ? Long.MAX_VALUE : toTime.toEpochMilli(), fromRevision, toRevision,
            null == prefix ? null : prefix.getBytes(StandardCharsets.UTF_8), kinds);
        final DumpPrinter printer = new DumpPrinter(out, isJson(spec, writeOut));
        final DumpListener listener = new DumpListener(printer, new RequestDescriber(valueBytes), filter);
        try (RecordedLog log = RecordedLog.open(member.nodeDir(), member.memberId(), member.members()))
        {
            final Progress progress = new Progress(err, "dump", Math.min(toPosition, log.endPosition()));
            if (fromPosition < log.startPosition())
            {
                err.println("note: the log before position " + log.startPosition() + " was purged (log retention); " +
                    (noApply ? "entries from there on" : "entries from the first snapshot still replayable on"));
                err.flush();
            }
            if (noApply)
            {
                log.read(entryBoundaryAtOrBefore(log, fromPosition), toPosition, listener, progress);
            }
            else
            {
                dumpApplied(log, listener, progress);
            }
            printer.flush();

            return 0;
        }
        catch (final RuntimeException ex)
        {
            printer.flush();
            return fail(err, ex);
        }
    }

    private void dumpApplied(final RecordedLog log, final DumpListener listener, final Progress progress)
    {
        final File scratch;
        try
        {
            scratch = Files.createTempDirectory("metastore-dump-").toFile();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        try (StateReplay replay = new StateReplay(
            scratch, ServiceSettingsRecord.read(member.nodeDir()).serviceSettings(), member.memberId(), listener))
        {
            listener.replay(replay);
            replay.fromPositionAtMost(fromPosition);
            if (null != toTime)
            {
                replay.toTimestamp(toTime.toEpochMilli());
            }
            replay.replay(log, toPosition, progress);
        }
        finally
        {
            IoUtil.delete(scratch, true);
        }
    }

    /**
     * Where reading may start and meet only whole entries: the start of the recording, a snapshot's or a term's
     * position, the latest of them at or before the position asked for.
     */
    private static long entryBoundaryAtOrBefore(final RecordedLog log, final long position)
    {
        long boundary = log.startPosition();
        for (final RecordingLog.Entry snapshot : log.snapshots())
        {
            if (snapshot.logPosition <= position && snapshot.logPosition > boundary)
            {
                boundary = snapshot.logPosition;
            }
        }
        for (final RecordingLog.Entry termEntry : log.terms())
        {
            if (termEntry.termBaseLogPosition <= position && termEntry.termBaseLogPosition > boundary)
            {
                boundary = termEntry.termBaseLogPosition;
            }
        }

        return boundary;
    }

    static boolean isJson(final CommandSpec spec, final String writeOut)
    {
        return switch (writeOut.toLowerCase(Locale.ROOT))
        {
            case "json" -> true;
            case "simple" -> false;
            default -> throw new ParameterException(spec.commandLine(), "unsupported output format: " + writeOut +
                " (simple or json)");
        };
    }

    /**
     * Say why the log could not be read, in one line: where it is damaged, that the member is running, or that
     * there is no log. A stack trace only for what is none of these.
     */
    static int fail(final PrintWriter err, final RuntimeException ex)
    {
        if (ex instanceof DamagedLogException || ex instanceof TornLogException ||
            ex instanceof IllegalStateException || ex instanceof IllegalArgumentException ||
            ex instanceof io.aeron.exceptions.AeronException)
        {
            err.println("Error: " + ex.getMessage());
        }
        else
        {
            err.println("Error: " + ex);
            ex.printStackTrace(err);
        }
        err.flush();

        return 1;
    }
}
