package io.metastore.client;

/**
 * Result of a lease grant, as etcd's {@code LeaseGrantResponse}.
 *
 * @param header     of the response.
 * @param id         of the lease granted: the one asked for, or one the cluster picked.
 * @param ttlSeconds granted; the cluster may raise a TTL below its minimum, as etcd does.
 */
public record LeaseGrantResult(ResponseHeader header, long id, long ttlSeconds)
{
}
