package io.metastore.node.lease;

/**
 * Deletes the keys of a revoked or expired lease from the store, as etcd's lessor is handed a range deleter: the
 * lease package decides which keys go, the key-value store deletes them.
 */
@FunctionalInterface
public interface KeyDeleter
{
    /**
     * @param key to delete, with its record and its entry in the key index.
     */
    void delete(byte[] key);
}
