package io.metastore.node.kv;

import io.metastore.codecs.ErrorCode;

/**
 * Results of the state machine, one call per request. Lists passed in are valid only during the call.
 */
public interface KvResponder
{
    /**
     * A put was applied.
     *
     * @param revision of the store after the put.
     * @param prevKv   the previous pair when asked for and the key existed, else empty.
     */
    void onPut(long revision, KeyValueList prevKv);

    /**
     * A range was read.
     *
     * @param revision the range was read at.
     * @param count    of keys in the range, whatever the limit.
     * @param more     true if the range holds more keys than returned.
     * @param keysOnly true if the values are to be left out.
     * @param kvs      the pairs returned, in the requested order.
     */
    void onRange(long revision, long count, boolean more, boolean keysOnly, KeyValueList kvs);

    /**
     * A delete-range was applied.
     *
     * @param revision of the store after the delete.
     * @param deleted  number of keys deleted.
     * @param prevKvs  the deleted pairs when asked for, else empty.
     */
    void onDeleteRange(long revision, long deleted, KeyValueList prevKvs);

    /**
     * The request was refused; nothing changed.
     *
     * @param revision of the store, unchanged.
     * @param code     why.
     * @param message  for a person.
     */
    void onError(long revision, ErrorCode code, String message);
}
