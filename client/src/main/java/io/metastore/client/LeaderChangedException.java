package io.metastore.client;

/**
 * The cluster elected a new leader, or the session was lost, while the request was in flight: it may or may not
 * have been applied, and its response will not come. Send it again to the new leader.
 */
public final class LeaderChangedException extends MetaStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message for a person.
     */
    public LeaderChangedException(final String message)
    {
        super(null, message);
    }

    @Override
    public boolean isRetryable()
    {
        return true;
    }
}
