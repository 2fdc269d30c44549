package io.metastore.node.replay;

/**
 * The recorded log cannot be read at a position: a frame whose checksum does not match, an entry that cannot be
 * decoded, or a recording that ends before where it says it ends.
 */
public final class DamagedLogException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long position;

    /**
     * @param position of the log where reading failed.
     * @param reason   what was found there.
     */
    public DamagedLogException(final long position, final String reason)
    {
        super("the recorded log is damaged at position " + position + ": " + reason);
        this.position = position;
    }

    /**
     * @return the log position where reading failed.
     */
    public long position()
    {
        return position;
    }
}
