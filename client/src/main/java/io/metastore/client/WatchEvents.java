package io.metastore.client;

import java.util.List;

/**
 * Every event of one revision that a watch selects, in the order the revision applied them: a watch delivers a
 * revision whole, in one {@code WatchEvents}, whatever the member's messages were.
 *
 * @param revision of the events.
 * @param events   of the revision, at least one; unmodifiable.
 */
public record WatchEvents(long revision, List<WatchEvent> events)
{
    @Override
    public String toString()
    {
        return "WatchEvents{revision=" + revision + ", events=" + events.size() + '}';
    }
}
