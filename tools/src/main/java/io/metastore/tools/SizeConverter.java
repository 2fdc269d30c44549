package io.metastore.tools;

import picocli.CommandLine;

import java.util.Locale;

/**
 * Parses a size in bytes with an optional binary suffix: {@code 65536}, {@code 64k}, {@code 16m}, {@code 1g}
 * ({@code KiB}, {@code MiB}, {@code GiB}; a trailing {@code b} or {@code ib} is allowed).
 */
final class SizeConverter implements CommandLine.ITypeConverter<Integer>
{
    /**
     * {@inheritDoc}
     */
    public Integer convert(final String value)
    {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith("ib"))
        {
            text = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("b"))
        {
            text = text.substring(0, text.length() - 1);
        }

        int shift = 0;
        if (!text.isEmpty())
        {
            switch (text.charAt(text.length() - 1))
            {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        final String number = 0 == shift ? text : text.substring(0, text.length() - 1);

        try
        {
            final long count = Long.parseLong(number);
            if (count < 0 || count > (Integer.MAX_VALUE >> shift))
            {
                throw new NumberFormatException(value);
            }
            return (int)(count << shift);
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a size such as 65536, 64k or 16m (at most 2 GiB - 1)");
        }
    }
}
