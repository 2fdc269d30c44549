package io.metastore.tools;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * get and del over ranges larger than one response: printed whole, as etcdctl prints them.
 */
@Timeout(60)
class PagedRangeCliTest
{
    private static final int BASE_PORT = 12600;
    private static final int MAX_RESPONSE_BYTES = 1000;
    private static final int KEYS = 10;
    private static final String VALUE = "v".repeat(300);

    @TempDir
    static File dataDir;

    private static CliNode node;

    @BeforeAll
    static void startNode()
    {
        node = CliNode.start(BASE_PORT, dataDir, MAX_RESPONSE_BYTES);
    }

    @AfterAll
    static void stopNode()
    {
        CloseHelper.close(node);
    }

    @AfterEach
    void assertNodeLoggedNoErrors()
    {
        node.assertNoErrors();
    }

    @Test
    void shouldGetEveryPairOfARangeLargerThanOneResponse()
    {
        final List<String> keys = putKeys("all/");

        final CliRun get = node.client("get", "all/", "--prefix");
        assertEquals(0, get.exitCode(), get::toString);
        assertEquals(keysAndValues(keys), get.outLines());

        final CliRun range = node.client("get", "all/3", "all0");
        assertEquals(0, range.exitCode(), range::toString);
        assertEquals(keysAndValues(keys.subList(3, KEYS)), range.outLines());
    }

    @Test
    void shouldKeepTheLimitAndTheOrderAcrossPages()
    {
        final List<String> keys = putKeys("order/");
        Collections.reverse(keys);

        final CliRun get = node.client("get", "order/", "--prefix", "--order", "DESCEND", "--limit", "7");
        assertEquals(0, get.exitCode(), get::toString);
        assertEquals(keysAndValues(keys.subList(0, 7)), get.outLines());
    }

    @Test
    void shouldWriteEveryPairAsJsonWithTheCountOfTheRange()
    {
        putKeys("json/");

        final Map<String, Object> all = json(node.client("get", "json/", "--prefix", "-w", "jsontext"));
        assertEquals(KEYS, TinyJson.array(all.get("kvs")).size());
        assertEquals((long)KEYS, all.get("count"));
        assertEquals(false, all.get("more"));

        final Map<String, Object> limited =
            json(node.client("get", "json/", "--prefix", "--limit", "6", "-w", "jsontext"));
        assertEquals(6, TinyJson.array(limited.get("kvs")).size());
        assertEquals((long)KEYS, limited.get("count"));
        assertEquals(true, limited.get("more"));
    }

    @Test
    void shouldDeleteAndPrintEveryPreviousPairOverTheBound()
    {
        final List<String> keys = putKeys("del/");
        node.client("put", "keep", "k");

        final CliRun del = node.client("del", "del/", "--prefix", "--prev-kv");
        assertEquals(0, del.exitCode(), del::toString);
        final List<String> expected = new ArrayList<>();
        expected.add(Integer.toString(KEYS));
        expected.addAll(keysAndValues(keys));
        assertEquals(expected, del.outLines());
        assertEquals(List.of("0"), node.client("get", "del/", "--prefix", "--count-only").outLines());
        assertEquals(List.of("keep", "k"), node.client("get", "keep").outLines());
    }

    private static List<String> putKeys(final String prefix)
    {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++)
        {
            final String key = prefix + i;
            final CliRun put = node.client("put", key, VALUE);
            assertEquals(0, put.exitCode(), put::toString);
            keys.add(key);
        }

        return keys;
    }

    private static List<String> keysAndValues(final List<String> keys)
    {
        final List<String> lines = new ArrayList<>();
        for (final String key : keys)
        {
            lines.add(key);
            lines.add(VALUE);
        }

        return lines;
    }

    private static Map<String, Object> json(final CliRun run)
    {
        assertEquals(0, run.exitCode(), run::toString);
        return TinyJson.object(TinyJson.parse(run.out()));
    }
}
