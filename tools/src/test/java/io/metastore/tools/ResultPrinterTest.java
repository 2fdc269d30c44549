package io.metastore.tools;

import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class ResultPrinterTest
{
    private static final ResponseHeader HEADER = new ResponseHeader(7, 1, 42, 3);
    private static final byte[] INVALID_UTF8 = { (byte)0xFF, (byte)0xFE, 'a' };
    private static final KeyValue TEXT_KV = new KeyValue(bytes("name"), bytes("José"), 5, 9, 2, 0x1F);
    private static final KeyValue BINARY_KV = new KeyValue(INVALID_UTF8, INVALID_UTF8, 10, 10, 1, 0);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void shouldTellValidUtf8AndEncodeHexAsGoDoes()
    {
        assertEquals("José", ByteText.utf8OrNull(bytes("José")));
        assertNull(ByteText.utf8OrNull(INVALID_UTF8));
        assertNull(ByteText.utf8OrNull(new byte[]{ (byte)0xC0, (byte)0x80 }), "overlong encoding of NUL");
        assertNull(ByteText.utf8OrNull(new byte[]{ (byte)0xED, (byte)0xA0, (byte)0x80 }), "encoded surrogate");
        assertEquals("fffe61", ByteText.hex(INVALID_UTF8));
        assertEquals("\\xff\\xfe\\x61", ByteText.hexEscaped(INVALID_UTF8));
        assertEquals("", ByteText.hexEscaped(new byte[0]));
    }

    @Test
    void shouldPrintKeyThenValueLinesByteForByteInSimpleOutput()
    {
        new SimplePrinter(stream(), false).range(range(TEXT_KV, BINARY_KV), false, false, false);

        assertArrayEquals(concat(bytes("name\nJosé\n"), INVALID_UTF8, bytes("\n"), INVALID_UTF8, bytes("\n")),
            out.toByteArray());
    }

    @Test
    void shouldNotConfuseBytesWithTextThatLooksLikeAnEncoding()
    {
        final KeyValue base64Text = new KeyValue(bytes("a"), bytes("base64://4="), 1, 1, 1, 0);
        final KeyValue rawBytes = new KeyValue(bytes("b"), new byte[]{ (byte)0xFF, (byte)0xFE }, 2, 2, 1, 0);
        new SimplePrinter(stream(), false).range(range(base64Text, rawBytes), false, false, false);
        assertArrayEquals(concat(bytes("a\nbase64://4=\nb\n"), new byte[]{ (byte)0xFF, (byte)0xFE, '\n' }),
            out.toByteArray());

        out.reset();
        new SimplePrinter(stream(), true).range(range(base64Text, rawBytes), false, false, false);
        assertEquals(List.of("\\x61", "\\x62\\x61\\x73\\x65\\x36\\x34\\x3a\\x2f\\x2f\\x34\\x3d",
            "\\x62", "\\xff\\xfe"), lines());
    }

    @Test
    void shouldPrintOnlyValuesOrKeysWithEmptyValueLinesOrCountInSimpleOutput()
    {
        final SimplePrinter printer = new SimplePrinter(stream(), false);
        printer.range(range(TEXT_KV), false, false, true);
        printer.range(range(TEXT_KV), true, false, false);
        printer.range(new RangeResult(HEADER, List.of(), 12, false), false, true, false);

        assertEquals(List.of("José", "name", "", "12"), lines());
    }

    @Test
    void shouldPrintOkAndPreviousPairForPutAndCountForDelete()
    {
        final SimplePrinter printer = new SimplePrinter(stream(), true);
        printer.put(new PutResult(HEADER, null));
        printer.put(new PutResult(HEADER, TEXT_KV));
        printer.delete(new DeleteResult(HEADER, 2, List.of(TEXT_KV, BINARY_KV)));

        assertEquals(List.of("OK", "OK", "\\x6e\\x61\\x6d\\x65", "\\x4a\\x6f\\x73\\xc3\\xa9", "2",
            "\\x6e\\x61\\x6d\\x65", "\\x4a\\x6f\\x73\\xc3\\xa9", "\\xff\\xfe\\x61", "\\xff\\xfe\\x61"),
            lines());
    }

    @Test
    void shouldWriteRangeAsJsonTextWithHexFieldsWhenAsked()
    {
        new JsonTextPrinter(stream(), true).range(range(BINARY_KV), false, false, false);

        final Map<String, Object> kv = TinyJson.object(
            TinyJson.array(TinyJson.object(TinyJson.parse(out.toString(StandardCharsets.UTF_8))).get("kvs")).get(0));
        assertEquals("fffe61", kv.get("key_hex"));
        assertEquals("fffe61", kv.get("value_hex"));
    }

    @Test
    void shouldWriteRangeAsEtcdShapedJsonTextWithBase64FieldsForInvalidUtf8()
    {
        new JsonTextPrinter(stream(), false).range(new RangeResult(HEADER, List.of(TEXT_KV, BINARY_KV), 3, true),
            false, false,
            false);

        final Map<String, Object> json = TinyJson.object(TinyJson.parse(out.toString(StandardCharsets.UTF_8)));
        assertEquals(Map.of("cluster_id", 7L, "member_id", 1L, "revision", 42L, "raft_term", 3L), json.get("header"));
        assertEquals(3L, json.get("count"));
        assertEquals(true, json.get("more"));
        final List<Object> kvs = TinyJson.array(json.get("kvs"));
        assertEquals(Map.of("key", "name", "create_revision", 5L, "mod_revision", 9L, "version", 2L,
            "value", "José", "lease", 31L), kvs.get(0));
        assertEquals(Map.of("key_base64", "//5h", "create_revision", 10L, "mod_revision", 10L, "version", 1L,
            "value_base64", "//5h", "lease", 0L), kvs.get(1));
    }

    @Test
    void shouldLeaveValueOutOfJsonTextWhenKeysOnly()
    {
        new JsonTextPrinter(stream(), false).range(range(TEXT_KV), true, false, false);

        final Map<String, Object> kv = TinyJson.object(
            TinyJson.array(TinyJson.object(TinyJson.parse(out.toString(StandardCharsets.UTF_8))).get("kvs")).get(0));
        assertEquals("name", kv.get("key"));
        assertFalse(kv.containsKey("value"));
    }

    @Test
    void shouldWritePutAndDeleteAsJsonText()
    {
        final JsonTextPrinter printer = new JsonTextPrinter(stream(), false);
        printer.put(new PutResult(HEADER, null));
        printer.put(new PutResult(HEADER, TEXT_KV));
        printer.delete(new DeleteResult(HEADER, 1, List.of(BINARY_KV)));

        final List<String> lines = lines();
        assertEquals(3, lines.size());
        assertEquals(List.of("header"), List.copyOf(TinyJson.object(TinyJson.parse(lines.get(0))).keySet()));
        final Map<String, Object> put = TinyJson.object(TinyJson.parse(lines.get(1)));
        final Map<String, Object> prevKv = TinyJson.object(put.get("prev_kv"));
        assertEquals("José", prevKv.get("value"));
        final Map<String, Object> deleted = TinyJson.object(TinyJson.parse(lines.get(2)));
        assertEquals(1L, deleted.get("deleted"));
        assertEquals("//5h", TinyJson.object(TinyJson.array(deleted.get("prev_kvs")).get(0)).get("key_base64"));
    }

    private PrintStream stream()
    {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private List<String> lines()
    {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    private static RangeResult range(final KeyValue... kvs)
    {
        return new RangeResult(HEADER, List.of(kvs), kvs.length, false);
    }
}
