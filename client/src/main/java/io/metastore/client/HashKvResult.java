package io.metastore.client;

/**
 * A member's digest of its kept history up to a revision, etcd's {@code HashKV}: members holding the same state
 * answer the same hash for the same revision, whatever their physical removal of compacted history has reached.
 *
 * @param header          of the response: the member, its leadership term, its committed revision.
 * @param hash            CRC-32C of the kept history and the compacted revision, an unsigned 32 bit value.
 * @param hashRevision    the revision hashed up to.
 * @param compactRevision the compacted revision of the state hashed.
 */
public record HashKvResult(ResponseHeader header, long hash, long hashRevision, long compactRevision)
{
}
