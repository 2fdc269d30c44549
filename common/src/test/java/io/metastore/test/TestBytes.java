package io.metastore.test;

import java.nio.charset.StandardCharsets;

/**
 * Keys and values as text in tests: the one place every module's tests turn a string into UTF-8 bytes and back.
 * Shared through the common test-jar.
 */
public final class TestBytes
{
    private TestBytes()
    {
    }

    /**
     * @param text to encode.
     * @return its UTF-8 bytes.
     */
    public static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param bytes to decode.
     * @return the UTF-8 text they hold.
     */
    public static String utf8(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
