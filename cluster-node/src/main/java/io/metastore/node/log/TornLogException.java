package io.metastore.node.log;

/**
 * The node's log ends in a damaged frame: the node must not start until it is repaired.
 */
public final class TornLogException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is damaged, where, and the command that repairs it.
     */
    public TornLogException(final String message)
    {
        super(message);
    }
}
