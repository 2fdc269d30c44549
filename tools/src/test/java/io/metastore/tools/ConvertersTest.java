package io.metastore.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvertersTest
{
    private final DurationConverter duration = new DurationConverter();
    private final SizeConverter size = new SizeConverter();

    @Test
    void shouldParseDurationsWithUnitsAndBareSeconds()
    {
        assertEquals(TimeUnit.SECONDS.toNanos(5), duration.convert("5"));
        assertEquals(TimeUnit.SECONDS.toNanos(5), duration.convert("5s"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), duration.convert("500ms"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1500), duration.convert("1.5s"));
        assertEquals(TimeUnit.MINUTES.toNanos(2), duration.convert("2m"));
        assertEquals(TimeUnit.HOURS.toNanos(24), duration.convert("24h"));
    }

    @Test
    void shouldRejectDurationsThatAreNotPositive()
    {
        assertThrows(CommandLine.TypeConversionException.class, () -> duration.convert("0"));
        assertThrows(CommandLine.TypeConversionException.class, () -> duration.convert("-1s"));
        assertThrows(CommandLine.TypeConversionException.class, () -> duration.convert("soon"));
        assertThrows(CommandLine.TypeConversionException.class, () -> duration.convert("1d"));
    }

    @Test
    void shouldParseSizesWithBinarySuffixes()
    {
        assertEquals(65536, size.convert("65536"));
        assertEquals(64 * 1024, size.convert("64k"));
        assertEquals(16 * 1024 * 1024, size.convert("16MiB"));
        assertEquals(1024 * 1024 * 1024, size.convert("1g"));
        assertEquals(2048, size.convert("2KB"));
    }

    @Test
    void shouldParseByteCountsPastTwoGibibytes()
    {
        final SizeConverter.Bytes bytes = new SizeConverter.Bytes();

        assertEquals(512L << 20, bytes.convert("512m"));
        assertEquals(3L << 30, bytes.convert("3g"));
        assertEquals(0L, bytes.convert("0"));
        assertThrows(CommandLine.TypeConversionException.class, () -> bytes.convert("-1"));
        assertThrows(CommandLine.TypeConversionException.class, () -> size.convert("3g"));
    }

    @Test
    void shouldRejectSizesThatDoNotFitAnInt()
    {
        assertThrows(CommandLine.TypeConversionException.class, () -> size.convert("2g"));
        assertThrows(CommandLine.TypeConversionException.class, () -> size.convert("-1"));
        assertThrows(CommandLine.TypeConversionException.class, () -> size.convert("lots"));
        assertThrows(CommandLine.TypeConversionException.class, () -> size.convert(""));
    }
}
