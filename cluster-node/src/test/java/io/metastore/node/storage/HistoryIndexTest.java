package io.metastore.node.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryIndexTest
{
    private final HistoryIndex index = new HistoryIndex();

    @Test
    void shouldFindEachKeysNewestChangeAtARevisionAsItGrows()
    {
        for (long revision = 1; revision <= 1000; revision++)
        {
            index.add(key("k" + (revision % 3)), revision, 0, revision, 0, 0 == revision % 10, 0, 1, null);
        }
        final HistoryIndex.KeyHistory history = index.find(key("k1"));
        assertEquals(334, history.count());
        assertEquals(-1, history.newestAt(0));
        assertEquals(1, history.revision(history.newestAt(3)));
        assertEquals(499, history.revision(history.newestAt(500)));
        assertEquals(1000, history.revision(history.newestAt(Long.MAX_VALUE)));
        assertEquals(1000, index.changeCount());
        assertEquals(3, index.keyCount());
    }

    @Test
    void shouldKeepThroughACompactionOnlyWhatAReadAboveItCanSee()
    {
        index.add(key("a"), 1, 0, 1, 0, false, 0, 10, null);
        index.add(key("a"), 2, 0, 2, 0, false, 0, 10, null);
        index.add(key("a"), 5, 0, 5, 0, false, 0, 10, null);
        index.add(key("b"), 3, 0, 3, 0, false, 0, 10, null);
        index.add(key("b"), 4, 0, 4, 0, true, 0, 10, null);
        final HistoryIndex.KeyHistory a = index.find(key("a"));
        final HistoryIndex.KeyHistory b = index.find(key("b"));

        assertFalse(a.isKept(0, 3), "older than the newest at the compaction");
        assertTrue(a.isKept(1, 3), "the newest at the compaction, a put");
        assertTrue(a.isKept(2, 3), "above the compaction");
        assertFalse(b.isKept(1, 4), "the newest at the compaction, a delete");

        index.removeOldest(a);
        assertEquals(2, a.revision(0));
        index.removeOldest(b);
        index.removeOldest(b);
        assertNull(index.find(key("b")), "a key with nothing kept leaves the index");
        assertSame(a, index.first());
        assertNull(index.higher(key("a")));
        assertEquals(2, index.changeCount());
    }

    @Test
    void shouldTakeAHintOnlyWhileItIsTheKeysHistory()
    {
        final HistoryIndex.KeyHistory first = index.add(key("k"), 1, 0, 1, 0, false, 0, 10, null);
        assertSame(first, index.add(key("k"), 2, 0, 2, 0, false, 0, 10, first));
        index.removeOldest(first);
        index.removeOldest(first);
        final HistoryIndex.KeyHistory second = index.add(key("k"), 3, 0, 3, 0, false, 0, 10, first);
        assertTrue(first != second, "a removed history is no hint");
        index.clear();
        assertTrue(second != index.add(key("k"), 4, 0, 4, 0, false, 0, 10, second), "nor one from before a clear");
    }

    @Test
    void shouldOrderKeysAsUnsignedBytes()
    {
        index.add(new byte[]{ (byte)0xFF }, 1, 0, 1, 0, false, 0, 1, null);
        index.add(new byte[]{ 0x01 }, 2, 0, 2, 0, false, 0, 1, null);
        assertEquals(0x01, index.first().key()[0]);
        assertEquals((byte)0xFF, index.last().key()[0]);
        assertEquals(0x01, index.floor(new byte[]{ 0x7F }).key()[0]);
        assertEquals((byte)0xFF, index.ceiling(new byte[]{ 0x7F }).key()[0]);
    }

    private static byte[] key(final String key)
    {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
