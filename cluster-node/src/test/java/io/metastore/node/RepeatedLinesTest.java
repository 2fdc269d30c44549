package io.metastore.node;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepeatedLinesTest
{
    private static final long WINDOW_MS = 10_000;

    private final List<String> printed = new ArrayList<>();
    private final RepeatedLines repeats =
        new RepeatedLines(WINDOW_MS, (line, isWarning) -> printed.add((isWarning ? "WARN " : "ERROR ") + line));

    @Test
    void shouldPrintTheFirstOfAFloodThenItsCountOncePerWindow()
    {
        final String line = "failed to send datagram to localhost/127.0.0.1:20112";
        int toPrint = 0;
        for (int i = 0; i < 123_457; i++)
        {
            toPrint += repeats.onLine(line, true, i % 9_000) ? 1 : 0;
        }
        assertEquals(1, toPrint);
        assertEquals(0, repeats.reportEnded(9_999));

        assertEquals(1, repeats.reportEnded(WINDOW_MS));
        assertEquals(List.of("WARN " + line + " (repeated 123,456 times in the last 10 s)"), printed);
    }

    @Test
    void shouldCountTheOccurrenceThatEndsAWindowWithRepeatsAndKeepCounting()
    {
        assertTrue(repeats.onLine("broken", false, 0));
        assertFalse(repeats.onLine("broken", false, 5_000));
        assertFalse(repeats.onLine("broken", false, 12_000));
        assertFalse(repeats.onLine("broken", false, 13_000));
        repeats.reportAll(14_000);

        assertEquals(List.of(
            "ERROR broken (repeated 2 times in the last 12 s)",
            "ERROR broken (repeated once in the last 2 s)"), printed);
    }

    @Test
    void shouldPrintALineAtOnceAgainAfterAWindowWithoutRepeats()
    {
        assertTrue(repeats.onLine("leader heartbeat timeout", true, 0));
        assertEquals(0, repeats.reportEnded(WINDOW_MS));
        assertTrue(repeats.onLine("leader heartbeat timeout", true, WINDOW_MS + 1));
        assertTrue(printed.isEmpty());
    }

    @Test
    void shouldRateLimitEachLineApart()
    {
        assertTrue(repeats.onLine("to member 1", true, 0));
        assertTrue(repeats.onLine("to member 2", true, 1));
        assertFalse(repeats.onLine("to member 1", true, 2));
        repeats.reportEnded(WINDOW_MS + 1);

        assertEquals(List.of("WARN to member 1 (repeated once in the last 10 s)"), printed);
    }

    @Test
    void shouldPrintEveryLinePastTheTrackedOnes()
    {
        for (int i = 0; i < RepeatedLines.MAX_TRACKED_LINES; i++)
        {
            repeats.onLine("line " + i, false, 0);
        }

        assertTrue(repeats.onLine("one more", false, 1));
        assertTrue(repeats.onLine("one more", false, 2));
    }
}
