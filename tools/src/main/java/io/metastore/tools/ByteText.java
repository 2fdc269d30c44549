package io.metastore.tools;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keys and values are bytes; the command line shows them as text when they are valid UTF-8, and as base64
 * otherwise, so that output is always printable and never silently replaces a byte.
 */
final class ByteText
{
    /**
     * Prefix of a key or value in simple output that is not valid UTF-8 and so is printed as base64.
     */
    static final String BASE64_PREFIX = "base64:";

    private ByteText()
    {
    }

    /**
     * Decode bytes that are valid UTF-8.
     *
     * @param bytes to decode.
     * @return the text, or null if the bytes are not valid UTF-8.
     */
    static String utf8OrNull(final byte[] bytes)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }

    /**
     * @param bytes to encode.
     * @return the bytes in standard base64 with padding.
     */
    static String base64(final byte[] bytes)
    {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * A key or value as one line of simple output: the text if valid UTF-8, else {@code base64:} and the base64.
     *
     * @param bytes to show.
     * @return the printable form.
     */
    static String forDisplay(final byte[] bytes)
    {
        final String text = utf8OrNull(bytes);
        return null != text ? text : BASE64_PREFIX + base64(bytes);
    }
}
