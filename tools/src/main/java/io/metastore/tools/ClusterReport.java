package io.metastore.tools;

import io.metastore.client.HashKvResult;
import io.metastore.client.MemberStatus;

/**
 * What the {@code endpoint} and {@code member} verbs print: one row per member asked.
 */
final class ClusterReport
{
    private ClusterReport()
    {
    }

    /**
     * A member's status, etcdctl's {@code epStatus}.
     *
     * @param endpoint of the member, {@code host:port}.
     * @param status   it answered.
     */
    record EndpointStatus(String endpoint, MemberStatus status)
    {
    }

    /**
     * A member's health, etcdctl's {@code epHealth}.
     *
     * @param endpoint of the member.
     * @param healthy  true if it answered a linearizable read.
     * @param tookNs   how long the read took through it.
     * @param error    why it is not healthy, or null.
     */
    record EndpointHealth(String endpoint, boolean healthy, long tookNs, String error)
    {
    }

    /**
     * A member's hash, etcdctl's {@code epHashKV}.
     *
     * @param endpoint of the member.
     * @param result   it answered.
     */
    record EndpointHash(String endpoint, HashKvResult result)
    {
    }

    /**
     * A member of the member list.
     *
     * @param member   its endpoints.
     * @param started  true if it answered its status.
     * @param isLeader true if it leads.
     */
    record MemberRow(MemberEndpoints.Member member, boolean started, boolean isLeader)
    {
    }
}
