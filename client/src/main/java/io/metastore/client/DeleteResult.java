package io.metastore.client;

import java.util.List;

/**
 * Result of a delete-range.
 *
 * @param header  of the response; its revision is the delete's.
 * @param deleted number of keys deleted.
 * @param prevKvs the deleted pairs when asked for, else empty.
 */
public record DeleteResult(ResponseHeader header, long deleted, List<KeyValue> prevKvs) implements OpResult
{
}
