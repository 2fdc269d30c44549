package io.metastore.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A transaction, as etcd's {@code Txn}: if every compare holds, run the success operations, else the failure ones;
 * atomically, at one revision. Immutable: each step returns a new transaction.
 * <pre>{@code
 * Txn txn = Txn.txn()
 *     .when(Compare.version("lock", CompareResult.EQUAL, 0))
 *     .then(Op.put("lock", "me"))
 *     .otherwise(Op.get("lock"));
 * TxnResult result = client.txn(txn);
 * }</pre>
 * The cluster refuses a transaction, applying nothing, with more operations in a branch than its limit
 * ({@code TOO_MANY_OPERATIONS}), a key put twice or put inside a range it deletes ({@code DUPLICATE_KEY}), or nested
 * too deep ({@code TXN_TOO_DEEP}).
 */
public final class Txn
{
    private static final Txn EMPTY = new Txn(List.of(), List.of(), List.of());

    private final List<Compare> compares;
    private final List<Op> success;
    private final List<Op> failure;

    private Txn(final List<Compare> compares, final List<Op> success, final List<Op> failure)
    {
        this.compares = compares;
        this.success = success;
        this.failure = failure;
    }

    /**
     * @return an empty transaction: no compares (so it succeeds), no operations.
     */
    public static Txn txn()
    {
        return EMPTY;
    }

    /**
     * @param compares to add; all must hold for the success branch to run.
     * @return a new transaction with the compares added.
     */
    public Txn when(final Compare... compares)
    {
        return new Txn(append(this.compares, compares), success, failure);
    }

    /**
     * @param ops to add to the success branch.
     * @return a new transaction with the operations added.
     */
    public Txn then(final Op... ops)
    {
        return new Txn(compares, append(success, ops), failure);
    }

    /**
     * @param ops to add to the failure branch, run when a compare fails.
     * @return a new transaction with the operations added.
     */
    public Txn otherwise(final Op... ops)
    {
        return new Txn(compares, success, append(failure, ops));
    }

    /**
     * @return the compares, unmodifiable.
     */
    public List<Compare> compares()
    {
        return compares;
    }

    /**
     * @return the success branch, unmodifiable.
     */
    public List<Op> success()
    {
        return success;
    }

    /**
     * @return the failure branch, unmodifiable.
     */
    public List<Op> failure()
    {
        return failure;
    }

    @Override
    public String toString()
    {
        return "Txn{when=" + compares + ", then=" + success + ", otherwise=" + failure + '}';
    }

    @SafeVarargs
    private static <T> List<T> append(final List<T> list, final T... more)
    {
        final List<T> all = new ArrayList<>(list.size() + more.length);
        all.addAll(list);
        for (final T item : Arrays.asList(more))
        {
            all.add(Objects.requireNonNull(item));
        }

        return List.copyOf(all);
    }
}
