package io.metastore.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key, its value and its metadata, as etcd's {@code mvccpb.KeyValue}.
 *
 * @param key            the key.
 * @param value          the value, empty when keys only were asked for.
 * @param createRevision revision at which the key was created.
 * @param modRevision    revision of the key's last modification.
 * @param version        puts since the key was created.
 * @param lease          attached lease id, 0 for none.
 */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease)
{
    /**
     * @return the key as UTF-8 text.
     */
    public String keyUtf8()
    {
        return new String(key, StandardCharsets.UTF_8);
    }

    /**
     * @return the value as UTF-8 text.
     */
    public String valueUtf8()
    {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof KeyValue other && Arrays.equals(key, other.key) && Arrays.equals(value, other.value) &&
            createRevision == other.createRevision && modRevision == other.modRevision &&
            version == other.version && lease == other.lease;
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value) + Long.hashCode(modRevision);
    }

    @Override
    public String toString()
    {
        return "KeyValue{key=" + keyUtf8() + ", valueLength=" + value.length + ", createRevision=" + createRevision +
            ", modRevision=" + modRevision + ", version=" + version + ", lease=" + lease + '}';
    }
}
