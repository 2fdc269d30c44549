package io.metastore.tools;

import picocli.CommandLine;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Parses a duration the way etcdctl's flags take one, {@code 5s}, {@code 500ms}, {@code 1m}, {@code 1.5s}, {@code 2h},
 * into nanoseconds. A bare number is seconds. The duration must be positive.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Long>
{
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

    @Override
    public Long convert(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        final long unitNanos;
        final String number;
        if (text.endsWith("ms"))
        {
            unitNanos = NANOS_PER_MILLI;
            number = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("s"))
        {
            unitNanos = NANOS_PER_SECOND;
            number = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("m"))
        {
            unitNanos = NANOS_PER_MINUTE;
            number = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("h"))
        {
            unitNanos = NANOS_PER_HOUR;
            number = text.substring(0, text.length() - 1);
        }
        else
        {
            unitNanos = NANOS_PER_SECOND;
            number = text;
        }

        final long nanos;
        try
        {
            nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)).longValueExact();
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration such as 5s, 500ms, 1m or 2h");
        }
        if (nanos <= 0)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
        }

        return nanos;
    }
}
