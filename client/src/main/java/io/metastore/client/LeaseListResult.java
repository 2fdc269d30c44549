package io.metastore.client;

import java.util.List;

/**
 * Result of a lease list, as etcd's {@code LeaseLeasesResponse}.
 *
 * @param header of the response.
 * @param ids    of every live lease.
 */
public record LeaseListResult(ResponseHeader header, List<Long> ids)
{
}
