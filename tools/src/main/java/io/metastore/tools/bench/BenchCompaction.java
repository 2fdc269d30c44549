package io.metastore.tools.bench;

import io.metastore.client.MetaStoreClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A compaction made by the bench's own client during a run, and the latency of the requests sent before it and of
 * those sent after it. Sent from the bench's sending thread; answered on the client's.
 */
final class BenchCompaction
{
    private final Recorder before;
    private final Recorder after;
    private boolean isSent;
    private long revision;
    private long atNs;
    private volatile long answeredNs = -1;
    private volatile String error;

    /**
     * @param before records the latency of the requests sent before the compaction.
     * @param after  records the latency of the requests sent after it.
     */
    BenchCompaction(final Recorder before, final Recorder after)
    {
        this.before = before;
        this.after = after;
    }

    /**
     * @return true once the compaction is sent (or found impossible).
     */
    boolean isSent()
    {
        return isSent;
    }

    /**
     * @return the recorder of a request sent now: before the compaction or after it.
     */
    Recorder recorder()
    {
        return isSent ? after : before;
    }

    /**
     * Compact at a revision; a revision nothing was answered with yet (below 1) is reported, not sent.
     *
     * @param client   to compact through.
     * @param revision to compact at.
     * @param atNs     into the run.
     */
    void send(final MetaStoreClient client, final long revision, final long atNs)
    {
        isSent = true;
        this.revision = revision;
        this.atNs = atNs;
        if (revision < 1)
        {
            error = "no revision to compact at yet: fewer puts answered than --compact-retain";
            return;
        }
        final long sentNs = System.nanoTime();
        client.compactAsync(revision, false).whenComplete((result, failure) ->
        {
            if (null != failure)
            {
                error = failure.getMessage();
            }
            answeredNs = System.nanoTime() - sentNs;
        });
    }

    /**
     * @return what was measured; called once the run's requests are all answered.
     */
    Result result()
    {
        return new Result(isSent, revision, atNs, answeredNs, error,
            before.getIntervalHistogram(), after.getIntervalHistogram());
    }

    /**
     * @param isSent     false if the run ended before the compaction was due.
     * @param revision   compacted at.
     * @param atNs       into the run that it was sent.
     * @param answeredNs how long the answer took, -1 if it had not come by the end of the run.
     * @param error      the compaction's error, or null.
     * @param before     latency of the requests sent before it, in nanoseconds.
     * @param after      latency of the requests sent after it, in nanoseconds.
     */
    record Result(
        boolean isSent,
        long revision,
        long atNs,
        long answeredNs,
        String error,
        Histogram before,
        Histogram after)
    {
    }
}
