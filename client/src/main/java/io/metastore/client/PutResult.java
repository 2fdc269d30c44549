package io.metastore.client;

/**
 * Result of a put.
 *
 * @param header of the response; its revision is the put's.
 * @param prevKv the previous pair when asked for and the key existed, else null.
 */
public record PutResult(ResponseHeader header, KeyValue prevKv) implements OpResult
{
}
