package io.metastore.client;

/**
 * Result of a compaction.
 *
 * @param header          of the response; its revision is the store's, which compaction does not move.
 * @param compactRevision the new compacted revision: reads below it are refused from now on.
 */
public record CompactResult(ResponseHeader header, long compactRevision)
{
}
