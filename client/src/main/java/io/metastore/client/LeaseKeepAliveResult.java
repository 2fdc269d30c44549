package io.metastore.client;

/**
 * Result of one lease renewal, as etcd's {@code LeaseKeepAliveResponse}.
 *
 * @param header     of the response.
 * @param id         of the lease renewed.
 * @param ttlSeconds the lease has from now on.
 */
public record LeaseKeepAliveResult(ResponseHeader header, long id, long ttlSeconds)
{
}
