package io.metastore.tools;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pieces of etcdctl's output the endpoint verbs print as Go does: sizes as {@code humanize.Bytes}, durations as
 * {@code time.Duration}, tables as tablewriter.
 */
class ClusterPrintingTest
{
    @Test
    void shouldPrintSizesAsGoHumanizeBytes()
    {
        assertEquals("0 B", ClusterPrinting.bytes(0));
        assertEquals("9 B", ClusterPrinting.bytes(9));
        assertEquals("10 B", ClusterPrinting.bytes(10));
        assertEquals("8.2 kB", ClusterPrinting.bytes(8192));
        assertEquals("20 kB", ClusterPrinting.bytes(20480));
        assertEquals("1.1 MB", ClusterPrinting.bytes(1_100_000));
        assertEquals("25 MB", ClusterPrinting.bytes(25_000_000));
    }

    @Test
    void shouldPrintDurationsAsGoDurations()
    {
        assertEquals("512ns", ClusterPrinting.duration(512));
        assertEquals("1.5µs", ClusterPrinting.duration(1_500));
        assertEquals("2ms", ClusterPrinting.duration(2_000_000));
        assertEquals("2.103456ms", ClusterPrinting.duration(2_103_456));
        assertEquals("1.5s", ClusterPrinting.duration(1_500_000_000));
    }

    @Test
    void shouldDrawTablesAsEtcdctl()
    {
        assertEquals(
            "+----------------+------+\n" +
            "|    ENDPOINT    | HASH |\n" +
            "+----------------+------+\n" +
            "| 127.0.0.1:2379 |   42 |\n" +
            "| h:1            |    7 |\n" +
            "+----------------+------+\n",
            TextTable.render(
                List.of("ENDPOINT", "HASH"), List.of(List.of("127.0.0.1:2379", "42"), List.of("h:1", "7"))));
    }
}
