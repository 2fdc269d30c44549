package io.metastore.client;

import io.metastore.codecs.ErrorCode;

/**
 * A request failed. When the cluster refused it, {@link #code()} says why and nothing was applied.
 */
public class MetaStoreException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    /**
     * @param code    from the cluster, or null for a failure on the client's side.
     * @param message for a person.
     */
    public MetaStoreException(final ErrorCode code, final String message)
    {
        super(null == code ? message : code + ": " + message);
        this.code = code;
    }

    /**
     * @param code    from the cluster, or null for a failure on the client's side.
     * @param message for a person.
     * @param cause   of the failure.
     */
    public MetaStoreException(final ErrorCode code, final String message, final Throwable cause)
    {
        super(null == code ? message : code + ": " + message, cause);
        this.code = code;
    }

    /**
     * @return the cluster's error code, or null if the request failed on the client's side.
     */
    public ErrorCode code()
    {
        return code;
    }

    /**
     * @return true if sending the same request again may succeed: the outcome of the first is unknown.
     */
    public boolean isRetryable()
    {
        return false;
    }
}
