package io.metastore.tools.log;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * An ISO-8601 time: {@code 2026-11-26T14:02:31.117Z}, with an offset ({@code +01:00}), or with neither, read as UTC,
 * as the cluster's timestamps are printed.
 */
final class InstantConverter implements ITypeConverter<Instant>
{
    @Override
    public Instant convert(final String value)
    {
        try
        {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (final DateTimeParseException ex)
        {
            try
            {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            }
            catch (final DateTimeParseException ex2)
            {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 time such as " +
                    "2026-11-26T14:02:31.117Z");
            }
        }
    }
}
