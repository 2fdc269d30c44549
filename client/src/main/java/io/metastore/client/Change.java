package io.metastore.client;

/**
 * One change of the history, as etcd's {@code Event}: a put, with the key as it was after it, or a delete, with
 * the key alone (its {@link KeyValue#modRevision()} is the delete's revision, the rest zero and the value empty).
 *
 * @param type        of the change.
 * @param kv          the key after the change.
 * @param timestampMs cluster time of the log entry that made the change, in milliseconds since the epoch.
 */
public record Change(Type type, KeyValue kv, long timestampMs)
{
    /**
     * What a change did.
     */
    public enum Type
    {
        /**
         * The key was created or overwritten.
         */
        PUT,

        /**
         * The key was deleted.
         */
        DELETE
    }

    /**
     * @return the revision of the change.
     */
    public long revision()
    {
        return kv.modRevision();
    }
}
