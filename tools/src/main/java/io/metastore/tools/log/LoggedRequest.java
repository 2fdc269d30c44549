package io.metastore.tools.log;

import io.metastore.codecs.RequestHeaderDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * One request of a log entry, decoded: its operation, the fields it was sent with in the order the schema has them,
 * and the requests a transaction nests. Keys and values are kept as bytes, for the printer to show as text or not.
 */
final class LoggedRequest
{
    /**
     * A field as sent: a {@link Long}, a {@link String}, a {@code byte[]} (a key, range end or value), a
     * {@link Bytes} (a value shown in part) or a list of nested requests or compares.
     */
    record Field(String name, Object value)
    {
    }

    /**
     * The first bytes of a value, and how long it is.
     */
    record Bytes(byte[] preview, int length)
    {
    }

    private final String op;
    private final long correlationId;
    private final long clientId;
    private final List<Field> fields = new ArrayList<>();
    private final List<byte[]> keys = new ArrayList<>();
    private long revision;
    private String errorCode;
    private String errorMessage;

    LoggedRequest(final String op, final long correlationId, final long clientId)
    {
        this.op = op;
        this.correlationId = correlationId;
        this.clientId = clientId;
    }

    LoggedRequest(final String op, final RequestHeaderDecoder header)
    {
        this(op, header.correlationId(), header.clientId());
    }

    String op()
    {
        return op;
    }

    long correlationId()
    {
        return correlationId;
    }

    /**
     * @return the identity the client gave itself, the same across its sessions.
     */
    long clientId()
    {
        return clientId;
    }

    List<Field> fields()
    {
        return fields;
    }

    /**
     * @return every key the request names, its nested requests' and compares' included, for a prefix filter.
     */
    List<byte[]> keys()
    {
        return keys;
    }

    LoggedRequest add(final String name, final Object value)
    {
        fields.add(new Field(name, value));
        return this;
    }

    LoggedRequest key(final String name, final byte[] key)
    {
        keys.add(key);
        return add(name, key);
    }

    void answered(final long revision, final String errorCode, final String errorMessage)
    {
        this.revision = revision;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
    }

    /**
     * @return the revision of the store after the request, as its response said; 0 if not known.
     */
    long revision()
    {
        return revision;
    }

    /**
     * @return the error code the request was refused with, or null.
     */
    String errorCode()
    {
        return errorCode;
    }

    String errorMessage()
    {
        return errorMessage;
    }
}
