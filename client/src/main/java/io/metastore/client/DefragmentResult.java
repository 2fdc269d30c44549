package io.metastore.client;

/**
 * Result of a defragment request: every member was asked, through the log, to reclaim the space of deleted and
 * compacted data, and does so on a thread of its own.
 *
 * @param header of the response.
 */
public record DefragmentResult(ResponseHeader header)
{
}
