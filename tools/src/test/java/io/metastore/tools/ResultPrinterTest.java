package io.metastore.tools;

import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class ResultPrinterTest
{
    private static final ResponseHeader HEADER = new ResponseHeader(7, 1, 42, 3);
    private static final byte[] INVALID_UTF8 = { (byte)0xFF, (byte)0xFE, 'a' };
    private static final KeyValue TEXT_KV = new KeyValue(utf8("name"), utf8("José"), 5, 9, 2, 0x1F);
    private static final KeyValue BINARY_KV = new KeyValue(INVALID_UTF8, INVALID_UTF8, 10, 10, 1, 0);

    private final StringWriter out = new StringWriter();

    @Test
    void shouldShowValidUtf8AsTextAndInvalidAsBase64()
    {
        assertEquals("José", ByteText.forDisplay(utf8("José")));
        assertEquals("", ByteText.forDisplay(new byte[0]));
        assertEquals("base64://5h", ByteText.forDisplay(INVALID_UTF8));
        assertNull(ByteText.utf8OrNull(new byte[]{ (byte)0xC0, (byte)0x80 }), "overlong encoding of NUL");
        assertNull(ByteText.utf8OrNull(new byte[]{ (byte)0xED, (byte)0xA0, (byte)0x80 }), "encoded surrogate");
    }

    @Test
    void shouldPrintKeyThenValueLinesInSimpleOutput()
    {
        new SimplePrinter(writer()).range(range(TEXT_KV, BINARY_KV), false, false, false);

        assertEquals(List.of("name", "José", "base64://5h", "base64://5h"), lines());
    }

    @Test
    void shouldPrintOnlyValuesOrKeysOrCountInSimpleOutput()
    {
        final SimplePrinter printer = new SimplePrinter(writer());
        printer.range(range(TEXT_KV), false, false, true);
        printer.range(range(TEXT_KV, BINARY_KV), true, false, false);
        printer.range(new RangeResult(HEADER, List.of(), 12, false), false, true, false);

        assertEquals(List.of("José", "name", "base64://5h", "12"), lines());
    }

    @Test
    void shouldPrintOkAndPreviousPairForPutAndCountForDelete()
    {
        final SimplePrinter printer = new SimplePrinter(writer());
        printer.put(new PutResult(HEADER, null));
        printer.put(new PutResult(HEADER, TEXT_KV));
        printer.delete(new DeleteResult(HEADER, 2, List.of(TEXT_KV, BINARY_KV)));

        assertEquals(List.of("OK", "OK", "name", "José", "2", "name", "José", "base64://5h", "base64://5h"), lines());
    }

    @Test
    void shouldWriteRangeAsEtcdShapedJsonWithBase64FieldsForInvalidUtf8()
    {
        new JsonPrinter(writer()).range(new RangeResult(HEADER, List.of(TEXT_KV, BINARY_KV), 3, true), false, false,
            false);

        final Map<String, Object> json = TinyJson.object(TinyJson.parse(out.toString()));
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
    void shouldLeaveValueOutOfJsonWhenKeysOnly()
    {
        new JsonPrinter(writer()).range(range(TEXT_KV), true, false, false);

        final Map<String, Object> kv = TinyJson.object(
            TinyJson.array(TinyJson.object(TinyJson.parse(out.toString())).get("kvs")).get(0));
        assertEquals("name", kv.get("key"));
        assertFalse(kv.containsKey("value"));
    }

    @Test
    void shouldWritePutAndDeleteAsJson()
    {
        final JsonPrinter printer = new JsonPrinter(writer());
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

    private PrintWriter writer()
    {
        return new PrintWriter(out);
    }

    private List<String> lines()
    {
        return out.toString().lines().toList();
    }

    private static RangeResult range(final KeyValue... kvs)
    {
        return new RangeResult(HEADER, List.of(kvs), kvs.length, false);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
