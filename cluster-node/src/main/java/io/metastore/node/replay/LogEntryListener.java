package io.metastore.node.replay;

import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.codecs.ClusterAction;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The entries of a cluster's log, decoded, in log order. Each position is the log position at the end of the entry,
 * the position a member counts as applied once it has applied the entry. Each call may refuse the entry by returning
 * false: reading stops before it, and it is read again by the next read from there.
 */
public interface LogEntryListener
{
    /**
     * A client's message: MetaStore's requests, back to back.
     *
     * @param position         at the end of the entry.
     * @param leadershipTermId of the entry.
     * @param clusterSessionId of the client's session.
     * @param timestamp        cluster time of the entry.
     * @param buffer           holding the message.
     * @param offset           of the message, after the cluster's session header.
     * @param length           of the message.
     * @param header           of the entry's last fragment.
     * @return true to go on, false to stop before this entry.
     */
    boolean onSessionMessage(
        long position,
        long leadershipTermId,
        long clusterSessionId,
        long timestamp,
        DirectBuffer buffer,
        int offset,
        int length,
        Header header);

    /**
     * A cluster timer fired: a lease's expiry or an automatic compaction check.
     *
     * @param position         at the end of the entry.
     * @param leadershipTermId of the entry.
     * @param correlationId    of the timer.
     * @param timestamp        cluster time of the entry.
     * @return true to go on, false to stop before this entry.
     */
    boolean onTimerEvent(long position, long leadershipTermId, long correlationId, long timestamp);

    /**
     * A client's session opened.
     *
     * @param position         at the end of the entry.
     * @param leadershipTermId of the entry.
     * @param clusterSessionId of the session.
     * @param timestamp        cluster time of the entry.
     * @param responseChannel  the client's egress channel.
     * @return true to go on, false to stop before this entry.
     */
    boolean onSessionOpen(
        long position, long leadershipTermId, long clusterSessionId, long timestamp, String responseChannel);

    /**
     * A client's session closed.
     *
     * @param position         at the end of the entry.
     * @param leadershipTermId of the entry.
     * @param clusterSessionId of the session.
     * @param timestamp        cluster time of the entry.
     * @param closeReason      why.
     * @return true to go on, false to stop before this entry.
     */
    boolean onSessionClose(
        long position, long leadershipTermId, long clusterSessionId, long timestamp, CloseReason closeReason);

    /**
     * A cluster action: a snapshot taken at this point of the log, a suspend or resume.
     *
     * @param position         at the end of the entry.
     * @param leadershipTermId of the entry.
     * @param logPosition      the action applies at.
     * @param timestamp        cluster time of the entry.
     * @param action           taken.
     * @return true to go on, false to stop before this entry.
     */
    boolean onClusterAction(
        long position, long leadershipTermId, long logPosition, long timestamp, ClusterAction action);

    /**
     * A leadership term starts.
     *
     * @param position            at the end of the entry.
     * @param leadershipTermId    of the new term.
     * @param logPosition         where the term's entries start.
     * @param timestamp           cluster time of the entry.
     * @param termBaseLogPosition of the term.
     * @param leaderMemberId      of the term.
     * @param logSessionId        of the term's log publication.
     * @param timeUnit            of the cluster's timestamps.
     * @param appVersion          of the leader's service.
     * @return true to go on, false to stop before this entry.
     */
    boolean onNewLeadershipTerm(
        long position,
        long leadershipTermId,
        long logPosition,
        long timestamp,
        long termBaseLogPosition,
        int leaderMemberId,
        int logSessionId,
        TimeUnit timeUnit,
        int appVersion);
}
