package io.metastore.client;

/**
 * Header of every response.
 *
 * @param clusterId        of the cluster that answered.
 * @param memberId         of the member that answered.
 * @param revision         of the store after the request, or the revision a read was made at.
 * @param leadershipTermId in which the request was applied.
 */
public record ResponseHeader(int clusterId, int memberId, long revision, long leadershipTermId)
{
}
