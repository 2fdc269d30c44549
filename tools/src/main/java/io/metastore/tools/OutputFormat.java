package io.metastore.tools;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The formats of {@code -w/--write-out}.
 */
enum OutputFormat
{
    /**
     * Keys and values on lines of their own, byte for byte, as etcdctl's {@code simple}.
     */
    SIMPLE
    {
        ResultPrinter newPrinter(final PrintStream out, final boolean hex)
        {
            return new SimplePrinter(out, hex);
        }
    },

    /**
     * One JSON object per response, exactly as etcdctl 3.4's {@code json}.
     */
    JSON
    {
        ResultPrinter newPrinter(final PrintStream out, final boolean hex)
        {
            return new JsonPrinter(out);
        }
    },

    /**
     * etcdctl's {@code table}: the {@code endpoint} and {@code member} verbs only.
     */
    TABLE
    {
        ResultPrinter newPrinter(final PrintStream out, final boolean hex)
        {
            return new TablePrinter(out);
        }
    },

    /**
     * One JSON object per response in etcdctl's shape, keys and values readable as UTF-8 text.
     */
    JSONTEXT
    {
        ResultPrinter newPrinter(final PrintStream out, final boolean hex)
        {
            return new JsonTextPrinter(out, hex);
        }
    };

    /**
     * @param out to print onto.
     * @param hex print keys and values as hex, where the format does.
     * @return a printer of this format.
     */
    abstract ResultPrinter newPrinter(PrintStream out, boolean hex);

    /**
     * Parses the format by its lower case name, as etcdctl spells it; any case is accepted.
     *
     * @param value as given on the command line or in {@code METASTORE_WRITE_OUT}.
     * @return the format.
     * @throws CliFailure with {@link ExitCodes#BAD_FEATURE}, etcdctl's "unsupported output format", if there is
     *                    no such format.
     */
    static OutputFormat parse(final String value)
    {
        for (final OutputFormat format : values())
        {
            if (format.name().equalsIgnoreCase(value.trim()))
            {
                return format;
            }
        }
        throw new CliFailure(ExitCodes.BAD_FEATURE,
            "unsupported output format " + value + " (one of simple, json, table, jsontext)");
    }

    /**
     * @return the name as given on the command line.
     */
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
