package io.metastore.client;

/**
 * Result of a lease revoke: the lease is gone and the keys attached to it are deleted.
 *
 * @param header of the response; its revision is the one the attached keys were deleted at.
 */
public record LeaseRevokeResult(ResponseHeader header)
{
}
