package io.metastore.tools.log;

import io.aeron.cluster.codecs.ClusterAction;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which entries a dump prints: every bound given must hold. A revision bound holds for an entry by the revision of
 * the store after it; a key prefix only for requests naming such a key.
 */
record DumpFilter(
    long fromPosition,
    long toPosition,
    Long term,
    long fromTimestamp,
    long toTimestamp,
    long fromRevision,
    long toRevision,
    byte[] prefix,
    Set<String> kinds)
{
    /**
     * Every kind of entry a dump prints: the requests', the log's own entries, and Aeron's cluster actions.
     */
    static final Set<String> KINDS = allKinds();

    boolean isEntryIn(final long position, final long leadershipTermId, final long timestamp, final String kind)
    {
        return position >= fromPosition && position <= toPosition &&
            (null == term || term == leadershipTermId) &&
            timestamp >= fromTimestamp && timestamp <= toTimestamp &&
            (null == kinds || kinds.contains(kind));
    }

    boolean isRevisionIn(final long revision)
    {
        return revision >= fromRevision && revision <= toRevision;
    }

    boolean hasRevisionBound()
    {
        return fromRevision > 0 || toRevision < Long.MAX_VALUE;
    }

    boolean isRequestIn(final LoggedRequest request)
    {
        if (null == prefix)
        {
            return true;
        }
        for (final byte[] key : request.keys())
        {
            if (startsWith(key, prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static boolean startsWith(final byte[] key, final byte[] prefix)
    {
        if (key.length < prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (key[i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static Set<String> allKinds()
    {
        final Set<String> kinds = new TreeSet<>(Set.of(
            "put", "range", "delete", "txn", "lease-grant", "lease-revoke", "lease-keepalive", "lease-timetolive",
            "lease-list", "alarm", "compact", "defragment", "changes", "malformed", "new-term", "timer",
            "session-open", "session-close"));
        for (final ClusterAction action : ClusterAction.values())
        {
            if (ClusterAction.NULL_VAL != action)
            {
                kinds.add(action.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }

        return kinds;
    }
}
