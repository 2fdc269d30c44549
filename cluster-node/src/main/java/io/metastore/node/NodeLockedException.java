package io.metastore.node;

/**
 * A node's directory or its media driver's directory belongs to a live process: the node refused to start and
 * touched nothing.
 */
public final class NodeLockedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message naming the directory and the process holding it.
     */
    public NodeLockedException(final String message)
    {
        super(message);
    }
}
