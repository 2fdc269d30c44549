package io.metastore.tools.log;

import io.metastore.node.ServiceSettingsRecord;
import io.metastore.node.replay.RecordedLog;
import io.metastore.node.replay.StateReplay;
import io.metastore.tools.JsonWriter;
import io.metastore.tools.MemberOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code log replay}: rebuild the state a member held at a point of its log into a new directory, by running the
 * node's own service over the recorded log, and say where it got to and the state's digest, which equals the
 * member's own at that position.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
        "Rebuild the state a member held at a log position, a revision or a cluster time into a new directory, " +
            "from its recorded log and its newest snapshot before that point, by running the node's own state " +
            "machine. Prints the position and revision reached, the entries applied and the state digest.",
        "Query the result offline with `metastore get --state-dir <dir> ...` (reads at past revisions too).",
        "The member must be stopped (its lock is taken), or give a copy of its directory with --data-dir."
    })
final class LogReplayCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private MemberOptions member;

    @Option(names = "--out", required = true, paramLabel = "<dir>",
        description = "New directory to build the state in (a RocksDB store); must not exist or be empty.")
    private File outDir;

    @Option(names = "--to-position", paramLabel = "<position>",
        description = "Apply every entry that ends at or before this log position (default: the whole log).")
    private long toPosition = Long.MAX_VALUE;

    @Option(names = "--to-revision", paramLabel = "<revision>",
        description = "Stop after the entry that brings the store to this revision. Reads at any revision up to " +
            "the one reached answer as the member did then.")
    private long toRevision = Long.MAX_VALUE;

    @Option(names = "--to-time", paramLabel = "<ISO-8601>", converter = InstantConverter.class,
        description = "Stop before the first entry later than this cluster time, e.g. 2026-11-26T14:02:31.117Z " +
            "(UTC unless an offset is given).")
    private Instant toTime;

    @Option(names = { "-w", "--write-out" }, paramLabel = "<format>", description = "simple or json.")
    private String writeOut = "simple";

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final boolean isJson = LogDumpCommand.isJson(spec, writeOut);
        try (RecordedLog log = RecordedLog.open(member.nodeDir(), member.memberId(), member.members());
            StateReplay replay = new StateReplay(
                outDir, ServiceSettingsRecord.read(member.nodeDir()).serviceSettings(), member.memberId(), null))
        {
            replay.toRevision(toRevision).toTimestamp(null == toTime ? Long.MAX_VALUE : toTime.toEpochMilli());
            final long position = replay.replay(
                log, toPosition, new Progress(err, "replay", Math.min(toPosition, log.endPosition())));
            print(out, isJson, log, replay, position);
            if (replay.revision() < toRevision && Long.MAX_VALUE != toRevision)
            {
                err.println("note: the log ends at revision " + replay.revision() + ", before revision " +
                    toRevision);
            }

            return 0;
        }
        catch (final RuntimeException ex)
        {
            return LogDumpCommand.fail(err, ex);
        }
    }

    private void print(
        final PrintWriter out,
        final boolean isJson,
        final RecordedLog log,
        final StateReplay replay,
        final long position)
    {
        final String digest = replay.digest();
        if (isJson)
        {
            out.println(new JsonWriter().beginObject()
                .name("dir").value(outDir.getPath())
                .name("snapshotPosition").value(replay.snapshotPosition())
                .name("position").value(position)
                .name("revision").value(replay.revision())
                .name("compactRevision").value(replay.compactedRevision())
                .name("entries").value(replay.entries())
                .name("term").value(replay.leadershipTermId())
                .name("time").value(Instant.ofEpochMilli(replay.timestamp()).toString())
                .name("logStartPosition").value(log.startPosition())
                .name("logEndPosition").value(log.endPosition())
                .name("digest").value(digest)
                .endObject());
        }
        else
        {
            out.println("state of member " + member.memberId() + " rebuilt in " + outDir.getPath());
            out.println("from: " + (replay.snapshotPosition() < 0 ? "the start of the log" :
                "its snapshot at log position " + replay.snapshotPosition()));
            out.println("position: " + position + " (log recorded " + log.startPosition() + " to " +
                log.endPosition() + ")");
            out.println("revision: " + replay.revision());
            out.println("compacted revision: " + replay.compactedRevision());
            out.println("entries applied: " + replay.entries());
            out.println("last entry: term " + replay.leadershipTermId() + " at " +
                Instant.ofEpochMilli(replay.timestamp()));
            out.println("digest: " + digest);
        }
        out.flush();
    }
}
