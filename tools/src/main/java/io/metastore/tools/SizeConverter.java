package io.metastore.tools;

import picocli.CommandLine;

import java.util.Locale;

/**
 * Parses a size in bytes with an optional binary suffix: {@code 65536}, {@code 64k}, {@code 16m}, {@code 1g}
 * ({@code KiB}, {@code MiB}, {@code GiB}; a trailing {@code b} or {@code ib} is allowed).
 */
final class SizeConverter implements CommandLine.ITypeConverter<Integer>
{
    @Override
    public Integer convert(final String value)
    {
        return (int)parse(value, Integer.MAX_VALUE, "2 GiB - 1");
    }

    /**
     * Parse a byte count: digits with an optional k, m or g suffix, and an optional trailing b or ib.
     *
     * @param value   as given.
     * @param max     largest count accepted.
     * @param maxText the largest count, as the error message says it.
     * @return the count of bytes.
     */
    static long parse(final String value, final long max, final String maxText)
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
            if (count < 0 || count > (max >> shift))
            {
                throw new NumberFormatException(value);
            }
            return count << shift;
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a size such as 65536, 64k or 16m (at most " + maxText + ")");
        }
    }

    /**
     * A byte count that may exceed 2 GiB, such as a free space threshold.
     */
    static final class Bytes implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return parse(value, Long.MAX_VALUE >> 30, "8 EiB");
        }
    }

    /**
     * A byte count, or {@code all} (also {@code -1}) for no limit: what log retention keeps.
     */
    static final class BytesOrAll implements CommandLine.ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            final String text = value.trim();
            return "all".equalsIgnoreCase(text) || "-1".equals(text) ?
                -1L : parse(value, Long.MAX_VALUE >> 30, "8 EiB");
        }
    }
}
