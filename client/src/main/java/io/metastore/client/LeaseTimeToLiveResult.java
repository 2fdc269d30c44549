package io.metastore.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Result of a lease time-to-live query, as etcd's {@code LeaseTimeToLiveResponse}. A lease that does not exist is
 * not an error: its {@link #ttlSeconds()} is -1.
 *
 * @param header            of the response.
 * @param id                of the lease asked about.
 * @param ttlSeconds        remaining, or -1 if the lease does not exist.
 * @param grantedTtlSeconds the lease was granted or last renewed with.
 * @param keys              attached to the lease when asked for, else empty.
 */
public record LeaseTimeToLiveResult(
    ResponseHeader header, long id, long ttlSeconds, long grantedTtlSeconds, List<byte[]> keys)
{
    /**
     * @return true if the lease exists.
     */
    public boolean exists()
    {
        return ttlSeconds != -1;
    }

    /**
     * @return the attached keys as UTF-8 text.
     */
    public List<String> keysUtf8()
    {
        return keys.stream().map((key) -> new String(key, StandardCharsets.UTF_8)).toList();
    }

    @Override
    public String toString()
    {
        return "LeaseTimeToLiveResult[header=" + header + ", id=" + id + ", ttlSeconds=" + ttlSeconds +
            ", grantedTtlSeconds=" + grantedTtlSeconds + ", keys=" + keysUtf8() + ']';
    }
}
