package io.metastore.node.reader;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;

/**
 * The watchers of one session grouped by what they select (keys, filters, prevKv) and the position of the next change
 * they are owed, so that each group's events are read, encoded and sent once. Filled and emptied for each session
 * every cycle; the groups are kept for the next, so it allocates only as it grows.
 */
final class WatcherGroups
{
    private final Int2ObjectHashMap<Group> bySelection = new Int2ObjectHashMap<>();
    private final ArrayList<Group> groups = new ArrayList<>();
    private final int maxGroupSize;
    private int groupCount;

    /**
     * @param maxGroupSize most watchers in a group: more that select alike make another.
     */
    WatcherGroups(final int maxGroupSize)
    {
        this.maxGroupSize = maxGroupSize;
    }

    /**
     * Put a watcher in the group of those that select as it does from the same position, or in a group of its own.
     *
     * @param watcher to add.
     */
    void add(final Watcher watcher)
    {
        final int hash = hash(watcher);
        final Group first = bySelection.get(hash);
        for (Group group = first; null != group; group = group.next)
        {
            final Watcher lead = group.lead();
            if (group.watchers.size() < maxGroupSize && lead.nextRevision == watcher.nextRevision &&
                lead.nextSubRevision == watcher.nextSubRevision && lead.selectsAsThe(watcher))
            {
                group.watchers.add(watcher);
                return;
            }
        }

        final Group group = nextGroup(watcher);
        group.next = first;
        group.hash = hash;
        group.isKeyed = true;
        bySelection.put(hash, group);
    }

    /**
     * Put a watcher in a group of its own: its session takes no shared events.
     *
     * @param watcher to add.
     */
    void addAlone(final Watcher watcher)
    {
        nextGroup(watcher);
    }

    /**
     * @return groups added to since the last {@link #clear()}.
     */
    int size()
    {
        return groupCount;
    }

    /**
     * @param index of a group, below {@link #size()}.
     * @return the group.
     */
    Group get(final int index)
    {
        return groups.get(index);
    }

    private Group nextGroup(final Watcher watcher)
    {
        if (groupCount == groups.size())
        {
            groups.add(new Group());
        }
        final Group group = groups.get(groupCount++);
        group.watchers.add(watcher);

        return group;
    }

    private static int hash(final Watcher watcher)
    {
        return 31 * (31 * watcher.selectionHash + Long.hashCode(watcher.nextRevision)) + watcher.nextSubRevision;
    }

    /**
     * Empty every group, keeping them for the next cycle.
     */
    void clear()
    {
        // Key by key: the map keeps the capacity of the largest session, and a clear() would fill all of it.
        for (int i = 0; i < groupCount; i++)
        {
            final Group group = groups.get(i);
            if (group.isKeyed)
            {
                bySelection.remove(group.hash);
            }
            group.watchers.clear();
            group.next = null;
            group.isKeyed = false;
        }
        groupCount = 0;
    }

    /**
     * Watchers that select alike: the first leads, the others are sent what it is sent.
     */
    static final class Group
    {
        final ArrayList<Watcher> watchers = new ArrayList<>();
        Group next;
        int hash;
        boolean isKeyed;

        Watcher lead()
        {
            return watchers.get(0);
        }
    }
}
