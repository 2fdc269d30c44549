package io.metastore.tools;

import io.metastore.client.Compare;
import io.metastore.client.Op;
import io.metastore.client.Txn;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.protocol.KeyRanges;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.metastore.test.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TxnParserTest
{
    private final List<String> prompts = new ArrayList<>();

    @Test
    void shouldParseComparesSuccessAndFailureSections()
    {
        final TxnParser.ParsedTxn parsed = parse("""
            mod("key1") > "0"
            value("key2") = "some value"

            put key1 "overwrote-key1"
            get key --prefix --keys-only

            put key1 "created-key1"
            put key2 "some extra key" --lease=694d71ddacfda227
            del a c --prev-kv
            """);

        final Txn txn = parsed.txn();
        assertEquals(2, txn.compares().size());
        assertCompare(txn.compares().get(0), CompareTarget.MOD, CompareResult.GREATER, "key1", 0, "");
        assertCompare(txn.compares().get(1), CompareTarget.VALUE, CompareResult.EQUAL, "key2", 0, "some value");

        assertEquals(2, txn.success().size());
        assertEquals(Op.Type.PUT, txn.success().get(0).type());
        assertEquals("key1", utf8(txn.success().get(0).key()));
        assertEquals(Op.Type.RANGE, txn.success().get(1).type());
        assertEquals(List.of(RangeFormat.DEFAULT, new RangeFormat(true, false, false)), parsed.successFormats());

        assertEquals(3, txn.failure().size());
        assertEquals(Op.Type.PUT, txn.failure().get(1).type());
        assertEquals("key2", utf8(txn.failure().get(1).key()));
        assertEquals(Op.Type.DELETE_RANGE, txn.failure().get(2).type());
        assertEquals(parsed.failureFormats(), parsed.formats(false));
        assertEquals(3, parsed.failureFormats().size());
        assertTrue(txn.toString().contains("Op{RANGE key..kez}"), txn::toString);
        assertTrue(txn.toString().contains("Op{DELETE_RANGE a..c}"), txn::toString);
    }

    @Test
    void shouldAcceptEveryTargetAndOperatorAndTheirShortNames()
    {
        assertCompare(TxnParser.parseCompare("version(\"k\") = \"0\""),
            CompareTarget.VERSION, CompareResult.EQUAL, "k", 0, "");
        assertCompare(TxnParser.parseCompare("ver(\"k\") != \"3\""),
            CompareTarget.VERSION, CompareResult.NOT_EQUAL, "k", 3, "");
        assertCompare(TxnParser.parseCompare("create(\"k\") < \"5\""),
            CompareTarget.CREATE, CompareResult.LESS, "k", 5, "");
        assertCompare(TxnParser.parseCompare("c(\"k\") > \"5\""),
            CompareTarget.CREATE, CompareResult.GREATER, "k", 5, "");
        assertCompare(TxnParser.parseCompare("m(\"k\") < \"9223372036854775807\""),
            CompareTarget.MOD, CompareResult.LESS, "k", Long.MAX_VALUE, "");
        assertCompare(TxnParser.parseCompare("val(\"k\") != \"x y\""),
            CompareTarget.VALUE, CompareResult.NOT_EQUAL, "k", 0, "x y");
        assertCompare(TxnParser.parseCompare("lease(\"k\") = \"694d71ddacfda227\""),
            CompareTarget.LEASE, CompareResult.EQUAL, "k", 0x694d71ddacfda227L, "");
        assertCompare(TxnParser.parseCompare("mod(\"k\")>\"1\""),
            CompareTarget.MOD, CompareResult.GREATER, "k", 1, "");
    }

    @Test
    void shouldUnquoteGoEscapesAndRawStrings()
    {
        final Compare compare = TxnParser.parseCompare("value(\"a\\\"b\\\\c\\n\\x00\\xff\\u00e9\\101\") = `raw \\n`");

        assertArrayEquals(new byte[]{ 'a', '"', 'b', '\\', 'c', '\n', 0, (byte)0xFF, (byte)0xC3, (byte)0xA9, 'A' },
            compare.key());
        assertArrayEquals("raw \\n".getBytes(StandardCharsets.UTF_8), compare.value());
    }

    @Test
    void shouldSplitOperationArgumentsAsEtcdctl()
    {
        assertEquals(List.of("put", "k", "two words", "--lease=1f"),
            TxnParser.argify("put k \"two words\" --lease=1f"));
        assertEquals(List.of("put", "k", "say \"hi\""), TxnParser.argify("put k 'say \"hi\"'"));
        assertEquals(List.of("put", "k", "a\tb"), TxnParser.argify("put  k   \"a\\tb\""));
        assertEquals(List.of("get", "k", "single quoted"), TxnParser.argify("get k 'single quoted'"));
    }

    @Test
    void shouldResolveGetAndDelRangesFromTheirFlags()
    {
        final Txn txn = parse("""

            get p --prefix --limit 2 --count-only
            get a --from-key --print-value-only
            del "" --prefix
            """).txn();

        assertEquals(0, txn.compares().size());
        assertEquals(3, txn.success().size());
        assertEquals(0, txn.failure().size());
        assertTrue(txn.success().get(0).toString().contains("p..q"), txn.success().get(0)::toString);
        assertArrayEquals(KeyRanges.fromKey(), txn.success().get(2).key(), "empty key with --prefix is every key");
    }

    @Test
    void shouldKeepFormatsOfGetsForPrinting()
    {
        final TxnParser.ParsedTxn parsed = parse("""
            version("k") = "0"

            get a --count-only

            get b --keys-only
            get c --print-value-only
            """);

        assertEquals(List.of(new RangeFormat(false, true, false)), parsed.formats(true));
        assertEquals(List.of(new RangeFormat(true, false, false), new RangeFormat(false, false, true)),
            parsed.formats(false));
    }

    @Test
    void shouldPromptForEachSectionAndEndAtEndOfInput()
    {
        final Txn txn = parse("value(\"k\") = \"v\"\n\nput k v").txn();

        assertEquals(List.of(TxnParser.COMPARES_PROMPT, TxnParser.SUCCESS_PROMPT, TxnParser.FAILURE_PROMPT), prompts);
        assertEquals(List.of("compares:", "success requests (get, put, del):", "failure requests (get, put, del):"),
            prompts);
        assertEquals(1, txn.compares().size());
        assertEquals(1, txn.success().size());
        assertEquals(0, txn.failure().size());
    }

    @Test
    void shouldParseEmptyInputAsEmptyTransaction()
    {
        final Txn txn = parse("").txn();

        assertEquals(0, txn.compares().size() + txn.success().size() + txn.failure().size());
    }

    @Test
    void shouldRefuseMalformedCompares()
    {
        assertRefused("mod \"k\" > \"0\"", "malformed comparison");
        assertRefused("mod(k) > \"0\"", "malformed comparison");
        assertRefused("mod(\"k\" > \"0\"", "expected ')'");
        assertRefused("mod(\"k\") > 0", "malformed comparison");
        assertRefused("mod(\"k\") >= \"0\"", "unknown operator >=");
        assertRefused("mod(\"k\") == \"0\"", "unknown operator ==");
        assertRefused("size(\"k\") > \"0\"", "unknown target size");
        assertRefused("mod(\"k\") > \"zero\"", "expecting a decimal number");
        assertRefused("lease(\"k\") = \"xyz\"", "expecting a hexadecimal lease id");
        assertRefused("value(\"k) = \"v\"", "malformed comparison");
        assertRefused("value(\"k\") = \"v\" extra", "unexpected 'extra'");
        assertRefused("value(\"\\q\") = \"v\"", "invalid escape \\q");
        assertRefused("value(\"k\") = \"v", "unterminated quoted string");
    }

    @Test
    void shouldRefuseMalformedOperations()
    {
        assertRefused("\nput k\n", "put in a txn needs <key> and <value>");
        assertRefused("\nput\n", "invalid txn request: put");
        assertRefused("\nwatch k\n", "invalid txn request: watch k");
        assertRefused("\nget k --no-such-flag\n", "invalid txn request: get k --no-such-flag");
        assertRefused("\nget a z --prefix\n", "<rangeEnd> cannot be given with --prefix");
        assertRefused("\nput k v --lease=xyz\n", "bad lease ID 'xyz', expecting ID in Hex");
        assertRefused("\nput k v --ignore-value\n", "<value> cannot be given with --ignore-value");
        assertRefused("\nput k --help\n", "invalid txn request");
        assertRefused("\n\ndel a b c\n", "invalid txn request: del a b c");
        assertRefused("\nget k -w json\n", "--write-out applies to the whole txn command");
        assertRefused("\nput k v --endpoints localhost:1\n", "--endpoints applies to the whole txn command");
    }

    private TxnParser.ParsedTxn parse(final String input)
    {
        return TxnParser.parse(new BufferedReader(new StringReader(input)), prompts::add);
    }

    private void assertRefused(final String input, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse(input));
        assertTrue(ex.getMessage().contains(message), () -> "'" + ex.getMessage() + "' lacks '" + message + "'");
    }

    private static void assertCompare(
        final Compare compare,
        final CompareTarget target,
        final CompareResult result,
        final String key,
        final long targetValue,
        final String value)
    {
        assertEquals(target, compare.target());
        assertEquals(result, compare.result());
        assertEquals(key, utf8(compare.key()));
        assertEquals(targetValue, compare.targetValue());
        assertEquals(value, utf8(compare.value()));
        assertEquals(0, compare.rangeEnd().length);
    }
}
