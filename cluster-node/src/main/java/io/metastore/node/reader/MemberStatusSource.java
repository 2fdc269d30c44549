package io.metastore.node.reader;

/**
 * What a member's read port reports of the member beyond its store: its consensus module's view, its log and its
 * errors. Every method is called on the read port's thread and must be safe there.
 */
public interface MemberStatusSource
{
    /**
     * A source for a read port with no member around it (tests): nothing known.
     */
    MemberStatusSource NONE = new MemberStatusSource()
    {
    };

    /**
     * @return Aeron Cluster's role code (0 follower, 1 candidate, 2 leader), -1 if not known.
     */
    default int role()
    {
        return -1;
    }

    /**
     * @return the leader the member learned of last, -1 if none.
     */
    default int leaderMemberId()
    {
        return -1;
    }

    /**
     * @return the consensus module's commit position, -1 if not known.
     */
    default long commitPosition()
    {
        return -1;
    }

    /**
     * @return bytes the store takes, on disk and in memtables.
     */
    default long storeBytes()
    {
        return 0;
    }

    /**
     * The member's log recording: where it starts (what is still replayable) and where it ends.
     *
     * @param positions to fill: [0] the start position, [1] the end position; -1 each if not known.
     */
    default void logPositions(final long[] positions)
    {
        positions[0] = -1;
        positions[1] = -1;
    }

    /**
     * @return errors since the member started.
     */
    default long errorCount()
    {
        return 0;
    }

    /**
     * @return the member's MetaStore version.
     */
    default String version()
    {
        return "";
    }
}
