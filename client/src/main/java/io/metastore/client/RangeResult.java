package io.metastore.client;

import java.util.List;

/**
 * Result of a range.
 *
 * @param header of the response; its revision is the one the range was read at.
 * @param kvs    the pairs, in the order asked for.
 * @param count  of keys in the range, whatever the limit.
 * @param more   true if the range holds more keys than returned.
 */
public record RangeResult(ResponseHeader header, List<KeyValue> kvs, long count, boolean more) implements OpResult
{
}
