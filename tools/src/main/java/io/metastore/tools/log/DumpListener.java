package io.metastore.tools.log;

import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.codecs.ClusterAction;
import io.aeron.logbuffer.Header;
import io.metastore.node.kv.AutoCompaction;
import io.metastore.node.replay.LogEntryListener;
import io.metastore.node.replay.StateReplay;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints each entry of the log that passes the filter; with a replay, after the node's service applied it, so each
 * request is printed with what it produced. Never refuses an entry: a dump reads to the end asked for.
 */
final class DumpListener implements LogEntryListener
{
    private final DumpPrinter printer;
    private final RequestDescriber describer;
    private final DumpFilter filter;
    private StateReplay replay;
    private long lastRevision = -1;

    DumpListener(final DumpPrinter printer, final RequestDescriber describer, final DumpFilter filter)
    {
        this.printer = printer;
        this.describer = describer;
        this.filter = filter;
    }

    void replay(final StateReplay replay)
    {
        this.replay = replay;
    }

    @Override
    public boolean onSessionMessage(
        final long position,
        final long leadershipTermId,
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        final List<LoggedRequest> requests = describer.describe(buffer, offset, length);
        final boolean isApplied = null != replay;
        if (isApplied)
        {
            describer.answer(requests, replay.responses(), replay.responsesLength());
            lastRevision = replay.revision();
        }
        for (final LoggedRequest request : requests)
        {
            if (filter.isEntryIn(position, leadershipTermId, timestamp, request.op()) &&
                filter.isRequestIn(request) &&
                (!filter.hasRevisionBound() || filter.isRevisionIn(request.revision())))
            {
                printer.request(position, leadershipTermId, timestamp, clusterSessionId, request, isApplied);
            }
        }

        return true;
    }

    @Override
    public boolean onTimerEvent(
        final long position, final long leadershipTermId, final long correlationId, final long timestamp)
    {
        final long revision = revisionIfChanged();
        if (isPrinted(position, leadershipTermId, timestamp, "timer"))
        {
            printer.entry(position, leadershipTermId, timestamp, "timer", revision,
                "id", correlationId, "for", AutoCompaction.isTimer(correlationId) ? "auto-compaction" : "lease");
        }

        return true;
    }

    @Override
    public boolean onSessionOpen(
        final long position,
        final long leadershipTermId,
        final long clusterSessionId,
        final long timestamp,
        final String responseChannel)
    {
        if (isPrinted(position, leadershipTermId, timestamp, "session-open"))
        {
            printer.entry(position, leadershipTermId, timestamp, "session-open", -1,
                "session", clusterSessionId, "responseChannel", responseChannel);
        }

        return true;
    }

    @Override
    public boolean onSessionClose(
        final long position,
        final long leadershipTermId,
        final long clusterSessionId,
        final long timestamp,
        final CloseReason closeReason)
    {
        if (isPrinted(position, leadershipTermId, timestamp, "session-close"))
        {
            printer.entry(position, leadershipTermId, timestamp, "session-close", -1,
                "session", clusterSessionId, "reason", closeReason.name());
        }

        return true;
    }

    @Override
    public boolean onClusterAction(
        final long position,
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final ClusterAction action)
    {
        final String kind = action.name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (isPrinted(position, leadershipTermId, timestamp, kind))
        {
            printer.entry(position, leadershipTermId, timestamp, kind, -1, "logPosition", logPosition);
        }

        return true;
    }

    @Override
    public boolean onNewLeadershipTerm(
        final long position,
        final long leadershipTermId,
        final long logPosition,
        final long timestamp,
        final long termBaseLogPosition,
        final int leaderMemberId,
        final int logSessionId,
        final TimeUnit timeUnit,
        final int appVersion)
    {
        if (isPrinted(position, leadershipTermId, timestamp, "new-term"))
        {
            printer.entry(position, leadershipTermId, timestamp, "new-term", -1,
                "leader", (long)leaderMemberId, "termBasePosition", termBaseLogPosition, "logPosition", logPosition);
        }

        return true;
    }

    private boolean isPrinted(final long position, final long term, final long timestamp, final String kind)
    {
        return null == filter.prefix() && filter.isEntryIn(position, term, timestamp, kind) &&
            (!filter.hasRevisionBound() || (null != replay && filter.isRevisionIn(replay.revision())));
    }

    private long revisionIfChanged()
    {
        if (null == replay)
        {
            return -1;
        }
        final long revision = replay.revision();
        final boolean isChanged = revision != lastRevision && lastRevision >= 0;
        lastRevision = revision;

        return isChanged ? revision : -1;
    }
}
