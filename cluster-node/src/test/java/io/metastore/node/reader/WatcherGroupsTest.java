package io.metastore.node.reader;

import io.metastore.protocol.KeyRanges;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Watchers share a group only if they select the same events (keys, filters, prevKv) from the same position, up to
 * the group's bound; the groups are emptied and used again each cycle.
 */
class WatcherGroupsTest
{
    private static final byte[] EMPTY = new byte[0];

    private final WatcherGroups groups = new WatcherGroups(3);
    private long nextWatchId = 1;

    @Test
    void shouldGroupOnlyWatchersThatSelectAlikeFromTheSamePosition()
    {
        final Watcher prefix = watcher(bytes("s/"), bytes("s0"), false, false, 10);
        final Watcher samePrefix = watcher(bytes("s/"), bytes("s0"), false, false, 10);
        final Watcher samePrefixWithProgress = new Watcher(
            nextWatchId++, bytes("s/"), bytes("s0"), false, false, false, true, 10, 0);
        final Watcher otherPrefix = watcher(bytes("t/"), bytes("t0"), false, false, 10);
        final Watcher withPrevKv = watcher(bytes("s/"), bytes("s0"), true, false, 10);
        final Watcher noPut = watcher(bytes("s/"), bytes("s0"), false, true, 10);
        final Watcher oneKey = watcher(bytes("s/"), EMPTY, false, false, 10);
        final Watcher fromKey = watcher(bytes("s/"), KeyRanges.fromKey(), false, false, 10);
        final Watcher behind = watcher(bytes("s/"), bytes("s0"), false, false, 9);
        final Watcher midRevision = watcher(bytes("s/"), bytes("s0"), false, false, 10);
        midRevision.nextSubRevision = 4;

        for (final Watcher watcher : List.of(prefix, otherPrefix, samePrefix, withPrevKv, noPut, oneKey, fromKey,
            behind, midRevision, samePrefixWithProgress))
        {
            groups.add(watcher);
        }

        assertEquals(List.of(
            List.of(prefix.watchId, samePrefix.watchId, samePrefixWithProgress.watchId),
            List.of(otherPrefix.watchId),
            List.of(withPrevKv.watchId),
            List.of(noPut.watchId),
            List.of(oneKey.watchId),
            List.of(fromKey.watchId),
            List.of(behind.watchId),
            List.of(midRevision.watchId)), watchIds());
    }

    @Test
    void shouldStartAnotherGroupPastTheBoundAndNeverGroupWatchersAddedAlone()
    {
        final List<Watcher> alike = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            alike.add(watcher(bytes("k"), EMPTY, false, false, 7));
        }
        alike.forEach(groups::add);
        final Watcher alone = watcher(bytes("k"), EMPTY, false, false, 7);
        groups.addAlone(alone);
        groups.add(watcher(bytes("k"), EMPTY, false, false, 7));

        assertEquals(List.of(List.of(1L, 2L, 3L), List.of(4L, 5L, 7L), List.of(6L)), watchIds());

        groups.clear();
        assertEquals(0, groups.size());
        groups.add(alike.get(0));
        groups.add(alone);
        assertEquals(List.of(List.of(1L, 6L)), watchIds());
    }

    private List<List<Long>> watchIds()
    {
        final List<List<Long>> result = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++)
        {
            result.add(groups.get(i).watchers.stream().map(watcher -> watcher.watchId).toList());
        }
        return result;
    }

    private Watcher watcher(
        final byte[] key, final byte[] rangeEnd, final boolean prevKv, final boolean noPut, final long nextRevision)
    {
        return new Watcher(nextWatchId++, key, rangeEnd, prevKv, noPut, false, false, nextRevision, 0);
    }
}
