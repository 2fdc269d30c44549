package io.metastore.node.storage;

/**
 * The storage failed (disk, RocksDB). Not a property of the request: the node must stop rather than skip the
 * entry, or its replica would diverge from the others.
 */
public final class StorageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Wrap the cause of a storage failure.
     *
     * @param message what was being done.
     * @param cause   the failure.
     */
    public StorageException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
