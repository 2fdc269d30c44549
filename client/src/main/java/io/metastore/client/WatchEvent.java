package io.metastore.client;

/**
 * One change seen by a watch, as etcd's {@code Event}: a put, with the key as it is after it, or a delete, with the
 * key alone (its {@link KeyValue#modRevision()} is the delete's revision, its create revision and version zero and
 * its value empty).
 *
 * @param type   of the change.
 * @param kv     the key after the change.
 * @param prevKv the key before the change, when the watch asked for it and the member kept it; else null.
 */
public record WatchEvent(Change.Type type, KeyValue kv, KeyValue prevKv)
{
    /**
     * @return the revision of the change.
     */
    public long revision()
    {
        return kv.modRevision();
    }
}
