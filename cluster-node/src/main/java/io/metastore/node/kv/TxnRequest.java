package io.metastore.node.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * A transaction, decoded: compares, then the operations to run if all hold and those to run if any does not.
 */
public final class TxnRequest
{
    /**
     * All must hold for the success list to run.
     */
    public final List<TxnCompare> compares = new ArrayList<>();

    /**
     * Run when every compare holds.
     */
    public final List<TxnOp> success = new ArrayList<>();

    /**
     * Run when a compare does not hold.
     */
    public final List<TxnOp> failure = new ArrayList<>();

    /**
     * Decided by the state machine before anything runs: whether the compares held.
     */
    boolean succeeded;

    List<TxnOp> path()
    {
        return succeeded ? success : failure;
    }
}
