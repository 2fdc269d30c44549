package io.metastore.client;

/**
 * No response arrived within the request timeout. If the message says the request was not sent, it was not applied
 * and never will be; otherwise it was sent and may or may not have been applied.
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

    @Override
    public boolean isRetryable()
    {
        return true;
    }
}
