package io.metastore.tools;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keys and values are bytes. Simple output prints them byte for byte, or with {@code --hex} as etcdctl's
 * {@code \x}-escaped hex; JSON has them in base64, and {@code jsontext} as text when they are valid UTF-8.
 */
public final class ByteText
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ByteText()
    {
    }

    /**
     * Decode bytes that are valid UTF-8.
     *
     * @param bytes to decode.
     * @return the text, or null if the bytes are not valid UTF-8.
     */
    public static String utf8OrNull(final byte[] bytes)
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
     * @return the bytes in standard base64 with padding, as Go's encoding/json writes a {@code []byte}.
     */
    public static String base64(final byte[] bytes)
    {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * @param bytes to encode.
     * @return two lower case hex digits per byte, as Go's {@code hex.EncodeToString}.
     */
    public static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            sb.append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
        }

        return sb.toString();
    }

    /**
     * @param bytes to encode.
     * @return {@code \x} and two lower case hex digits per byte, as etcdctl's simple output with {@code --hex}.
     */
    public static String hexEscaped(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 4);
        for (final byte b : bytes)
        {
            sb.append("\\x").append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
        }

        return sb.toString();
    }
}
