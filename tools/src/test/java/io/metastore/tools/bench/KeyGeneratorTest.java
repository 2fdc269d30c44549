package io.metastore.tools.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyGeneratorTest
{
    @Test
    void shouldMakeKeysOfTheRequestedSize()
    {
        final KeyGenerator keys = new KeyGenerator(16, 1000, true);

        assertEquals("k000000000000000", new String(keys.nextKey(), StandardCharsets.US_ASCII));
        assertEquals("k000000000000001", new String(keys.nextKey(), StandardCharsets.US_ASCII));
        assertEquals(16, keys.key(999).length);
    }

    @Test
    void shouldWrapSequentialKeysAroundTheKeySpace()
    {
        final KeyGenerator keys = new KeyGenerator(8, 3, true);
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < 9; i++)
        {
            seen.add(new String(keys.nextKey(), StandardCharsets.US_ASCII));
        }

        assertEquals(Set.of("k0000000", "k0000001", "k0000002"), seen);
    }

    @Test
    void shouldKeepRandomKeysInsideTheKeySpace()
    {
        final KeyGenerator keys = new KeyGenerator(6, 10, false);
        for (int i = 0; i < 1000; i++)
        {
            final int index = Integer.parseInt(new String(keys.nextKey(), 1, 5, StandardCharsets.US_ASCII));
            assertTrue(index >= 0 && index < 10, "index " + index);
        }
    }
}
