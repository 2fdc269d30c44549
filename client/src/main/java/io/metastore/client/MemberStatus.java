package io.metastore.client;

import java.util.List;

/**
 * A member's status, etcd's {@code Maintenance.Status}, as its read port answers it.
 *
 * @param header           of the response: the member, its leadership term, its committed revision.
 * @param role             Aeron Cluster's role code: 0 follower, 1 candidate, 2 leader; -1 if not known.
 * @param leaderMemberId   the leader the member knows, -1 if none yet.
 * @param commitPosition   the consensus module's commit position (etcd's raft index).
 * @param appliedPosition  the log position the member's store holds (etcd's raft applied index).
 * @param appliedRevision  the revision the member's store holds.
 * @param compactRevision  the compacted revision.
 * @param storeBytes       RocksDB's size: its files on disk and its memtables (etcd's db size).
 * @param logBytes         the log recording still replayable, in bytes, -1 if not known.
 * @param logStartPosition the oldest log position still replayable, -1 if not known.
 * @param errorCount       errors since the member started.
 * @param version          the member's MetaStore version.
 * @param counters         the member's own counters of its media driver.
 */
public record MemberStatus(
    ResponseHeader header,
    int role,
    int leaderMemberId,
    long commitPosition,
    long appliedPosition,
    long appliedRevision,
    long compactRevision,
    long storeBytes,
    long logBytes,
    long logStartPosition,
    long errorCount,
    String version,
    List<Counter> counters)
{
    /**
     * Aeron Cluster's role code of a leader.
     */
    public static final int LEADER = 2;

    /**
     * A counter of the member's media driver.
     *
     * @param typeId of the counter.
     * @param label  of the counter.
     * @param value  of the counter when the member answered.
     */
    public record Counter(int typeId, String label, long value)
    {
    }

    /**
     * @return the member's id.
     */
    public int memberId()
    {
        return header.memberId();
    }

    /**
     * @return true if the member is the leader.
     */
    public boolean isLeader()
    {
        return LEADER == role;
    }

    /**
     * @return the role's name: leader, follower, candidate, or unknown.
     */
    public String roleName()
    {
        return switch (role)
        {
            case 0 -> "follower";
            case 1 -> "candidate";
            case LEADER -> "leader";
            default -> "unknown";
        };
    }
}
