package io.metastore.client;

/**
 * No response arrived within the request timeout. The request may or may not have been applied.
 */
public final class MetaStoreTimeoutException extends MetaStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message for a person.
     */
    public MetaStoreTimeoutException(final String message)
    {
        super(null, message);
    }

    /**
     * {@inheritDoc}
     */
    public boolean isRetryable()
    {
        return true;
    }
}
