package io.metastore.tools;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The formats of {@code -w/--write-out}.
 */
enum OutputFormat
{
    /**
     * Keys and values on lines of their own, as etcdctl's {@code simple}.
     */
    SIMPLE
    {
        ResultPrinter newPrinter(final PrintWriter out)
        {
            return new SimplePrinter(out);
        }
    },

    /**
     * One JSON object per response, in the shape of etcdctl's {@code json}.
     */
    JSON
    {
        ResultPrinter newPrinter(final PrintWriter out)
        {
            return new JsonPrinter(out);
        }
    };

    /**
     * @param out to print onto.
     * @return a printer of this format.
     */
    abstract ResultPrinter newPrinter(PrintWriter out);

    /**
     * Parses the format by its lower case name, as etcdctl spells it; any case is accepted.
     */
    static final class Converter implements CommandLine.ITypeConverter<OutputFormat>
    {
        /**
         * {@inheritDoc}
         */
        public OutputFormat convert(final String value)
        {
            for (final OutputFormat format : values())
            {
                if (format.name().equalsIgnoreCase(value.trim()))
                {
                    return format;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of simple, json");
        }
    }

    /**
     * @return the name as given on the command line.
     */
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
