package io.metastore.benchmarks;

import java.util.Arrays;

/**
 * A put request as a JSON document, with the same fields as the SBE PutRequest and etcd's lowerCamelCase names.
 * <p>
 * The key and value are {@code byte[]}, which Jackson writes as base64 strings, as etcd's JSON gateway does for
 * bytes fields. Unlike etcd's gateway, the int64 fields are JSON numbers rather than quoted strings, and fields
 * holding their default value are written rather than left out: the document always has the same shape.
 *
 * @param header      correlation id, client id and sequence, as the SBE requestHeader composite.
 * @param lease       to attach, 0 for none.
 * @param prevKv      return the previous key-value pair.
 * @param ignoreValue keep the current value.
 * @param ignoreLease keep the current lease.
 * @param key         the key bytes, base64 in the document.
 * @param value       the value bytes, base64 in the document.
 */
public record PutRequestJson(
    Header header,
    long lease,
    boolean prevKv,
    boolean ignoreValue,
    boolean ignoreLease,
    byte[] key,
    byte[] value)
{
    /**
     * The request header that leads every request.
     *
     * @param correlationId chosen by the client, echoed on the response.
     * @param clientId      stable identity of the client across sessions.
     * @param sequence      per-client request number.
     */
    public record Header(long correlationId, long clientId, long sequence)
    {
    }

    static PutRequestJson from(final PutRequestFields fields)
    {
        return new PutRequestJson(
            new Header(fields.correlationId, fields.clientId, fields.sequence),
            fields.lease,
            fields.prevKv,
            fields.ignoreValue,
            fields.ignoreLease,
            Arrays.copyOf(fields.key, fields.keyLength),
            Arrays.copyOf(fields.value, fields.valueLength));
    }
}
