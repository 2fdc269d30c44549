package io.metastore.client;

import java.util.List;

/**
 * Every event of one revision that a watch selects, in the order the revision applied them: a watch delivers a
 * revision whole, in one {@code WatchEvents}, whatever the member's messages were.
 *
 * @param revision of the events.
 * @param events   of the revision, at least one; unmodifiable.
 * @param header   of the member's message that brought them, as an etcd WatchResponse's: the member serving the
 *                 watch, its leadership term, and the revision it had committed when it sent them (at or above
 *                 {@code revision}).
 */
public record WatchEvents(long revision, List<WatchEvent> events, ResponseHeader header)
{
    @Override
    public String toString()
    {
        return "WatchEvents{revision=" + revision + ", events=" + events.size() + '}';
    }
}
