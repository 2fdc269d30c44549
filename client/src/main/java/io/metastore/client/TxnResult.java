package io.metastore.client;

import java.util.List;

/**
 * Result of a transaction, as etcd's {@code TxnResponse}.
 *
 * @param header    of the response; its revision is the transaction's.
 * @param succeeded true if every compare held and the success operations ran, false if the failure ones ran.
 * @param responses one result per operation of the branch that ran, in order.
 */
public record TxnResult(ResponseHeader header, boolean succeeded, List<OpResult> responses) implements OpResult
{
    /**
     * @param index of the operation in the branch that ran.
     * @return its result, which must be a put's.
     */
    public PutResult putResult(final int index)
    {
        return (PutResult)responses.get(index);
    }

    /**
     * @param index of the operation in the branch that ran.
     * @return its result, which must be a range's.
     */
    public RangeResult rangeResult(final int index)
    {
        return (RangeResult)responses.get(index);
    }

    /**
     * @param index of the operation in the branch that ran.
     * @return its result, which must be a delete-range's.
     */
    public DeleteResult deleteResult(final int index)
    {
        return (DeleteResult)responses.get(index);
    }

    /**
     * @param index of the operation in the branch that ran.
     * @return its result, which must be a nested transaction's.
     */
    public TxnResult txnResult(final int index)
    {
        return (TxnResult)responses.get(index);
    }
}
