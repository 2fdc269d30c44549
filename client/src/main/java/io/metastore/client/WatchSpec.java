package io.metastore.client;

/**
 * What a watch asks of a member, fixed when it is created: the keys, the first revision and the flags. A copy, so
 * later changes to the caller's options or key change nothing.
 *
 * @param key            the watched keys start at.
 * @param rangeEnd       exclusive end of the keys; empty for the key alone, a single zero byte for every key on.
 * @param startRevision  first revision asked for, 0 for the one after the member's current.
 * @param prevKv         each event carries the pair before the change.
 * @param noPut          puts left out.
 * @param noDelete       deletes left out.
 * @param progressNotify the member tells the revision reached while the watch is idle.
 */
record WatchSpec(
    byte[] key,
    byte[] rangeEnd,
    long startRevision,
    boolean prevKv,
    boolean noPut,
    boolean noDelete,
    boolean progressNotify)
{
    /**
     * @param key     the watched keys start at.
     * @param options of the watch.
     * @return the spec of a watch of that key with those options.
     */
    static WatchSpec of(final byte[] key, final WatchOptions options)
    {
        return new WatchSpec(
            key.clone(),
            options.rangeEndFor(key).clone(),
            options.startRevision(),
            options.prevKv(),
            options.noPut(),
            options.noDelete(),
            options.progressNotify());
    }
}
