package io.metastore.node.kv;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class KeyIndexTest
{
    @Test
    void shouldAgreeWithAMapThroughPutsRemovesGrowthAndReloads()
    {
        final Random random = new Random(42);
        final KeyIndex index = new KeyIndex();
        final Map<String, Long> model = new HashMap<>();

        for (int step = 0; step < 200_000; step++)
        {
            // Few distinct keys relative to the steps: long probe chains, many removals inside them.
            final String key = "k" + random.nextInt(3_000);
            final int action = random.nextInt(10);
            if (action < 6)
            {
                index.put(bytes(key), step, step, step + 1, 0);
                model.put(key, (long)step);
            }
            else
            {
                index.remove(bytes(key));
                model.remove(key);
            }

            if (step % 50_000 == 49_999)
            {
                index.clear(model.size());
                model.forEach((k, revision) -> index.put(bytes(k), revision, revision, revision + 1, 0));
            }
        }

        assertEquals(model.size(), index.size());
        for (int i = 0; i < 3_000; i++)
        {
            final String key = "k" + i;
            final KeyIndex.Entry entry = index.get(bytes(key));
            if (model.containsKey(key))
            {
                assertNotNull(entry, key);
                assertEquals(model.get(key), entry.modRevision, key);
            }
            else
            {
                assertNull(entry, key);
            }
        }
    }

    @Test
    void shouldForgetEveryKeyOnClear()
    {
        final KeyIndex index = new KeyIndex();
        index.put(bytes("a"), 1, 1, 1, 0);
        index.put(bytes("b"), 2, 2, 1, 7);

        index.clear();

        assertEquals(0, index.size());
        assertNull(index.get(bytes("a")));
        index.put(bytes("a"), 3, 3, 1, 0);
        assertEquals(3, index.get(bytes("a")).createRevision);
    }
}
