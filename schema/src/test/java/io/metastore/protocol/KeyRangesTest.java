package io.metastore.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRangesTest
{
    @Test
    void shouldIncrementLastByteForPrefixEnd()
    {
        assertArrayEquals("abd".getBytes(StandardCharsets.US_ASCII),
            KeyRanges.prefixEnd("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldDropTrailingMaxBytesForPrefixEnd()
    {
        assertArrayEquals(new byte[]{ 'b' }, KeyRanges.prefixEnd(new byte[]{ 'a', (byte)0xFF, (byte)0xFF }));
    }

    @Test
    void shouldSelectEverythingFromKeyWhenPrefixIsAllMaxBytes()
    {
        assertTrue(KeyRanges.isFromKey(KeyRanges.prefixEnd(new byte[]{ (byte)0xFF })));
        assertTrue(KeyRanges.isFromKey(KeyRanges.prefixEnd(new byte[0])));
    }

    @Test
    void shouldCompareAsUnsignedBytes()
    {
        assertTrue(KeyRanges.compare(new byte[]{ 0x7F }, new byte[]{ (byte)0x80 }) < 0);
        assertTrue(KeyRanges.compare(new byte[]{ 'a' }, new byte[]{ 'a', 0 }) < 0);
        assertFalse(KeyRanges.isFromKey(new byte[]{ 0, 0 }));
    }
}
