package io.metastore.tools.log;

import java.util.Set;

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
}
