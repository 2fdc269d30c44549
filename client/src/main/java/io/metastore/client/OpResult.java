package io.metastore.client;

/**
 * The result of one operation that a transaction can hold: a {@link PutResult}, {@link RangeResult},
 * {@link DeleteResult} or nested {@link TxnResult}.
 */
public sealed interface OpResult permits PutResult, RangeResult, DeleteResult, TxnResult
{
    /**
     * @return the header of the response.
     */
    ResponseHeader header();
}
