package io.metastore.tools;

/**
 * A small JSON writer onto a {@link StringBuilder}: objects, arrays, names, strings, numbers and booleans, with
 * commas placed and strings escaped as RFC 8259 requires. It checks no nesting; callers write well-formed output.
 */
public final class JsonWriter
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder sb = new StringBuilder();
    private boolean needsComma;

    /**
     * @return this for a fluent API.
     */
    public JsonWriter beginObject()
    {
        separate();
        sb.append('{');
        needsComma = false;
        return this;
    }

    /**
     * @return this for a fluent API.
     */
    public JsonWriter endObject()
    {
        sb.append('}');
        needsComma = true;
        return this;
    }

    /**
     * @return this for a fluent API.
     */
    public JsonWriter beginArray()
    {
        separate();
        sb.append('[');
        needsComma = false;
        return this;
    }

    /**
     * @return this for a fluent API.
     */
    public JsonWriter endArray()
    {
        sb.append(']');
        needsComma = true;
        return this;
    }

    /**
     * @param name of the member whose value is written next.
     * @return this for a fluent API.
     */
    public JsonWriter name(final String name)
    {
        separate();
        appendString(name);
        sb.append(':');
        needsComma = false;
        return this;
    }

    /**
     * @param value to write as a JSON string.
     * @return this for a fluent API.
     */
    public JsonWriter value(final String value)
    {
        separate();
        appendString(value);
        needsComma = true;
        return this;
    }

    /**
     * @param value to write as a JSON number.
     * @return this for a fluent API.
     */
    public JsonWriter value(final long value)
    {
        separate();
        sb.append(value);
        needsComma = true;
        return this;
    }

    /**
     * @param value to write as a JSON boolean.
     * @return this for a fluent API.
     */
    public JsonWriter value(final boolean value)
    {
        separate();
        sb.append(value);
        needsComma = true;
        return this;
    }

    /**
     * @return this for a fluent API, having written a JSON null.
     */
    public JsonWriter nullValue()
    {
        separate();
        sb.append("null");
        needsComma = true;
        return this;
    }

    /**
     * @return the JSON written so far.
     */
    public String toString()
    {
        return sb.toString();
    }

    private void separate()
    {
        if (needsComma)
        {
            sb.append(',');
        }
    }

    private void appendString(final String value)
    {
        sb.append('"');
        for (int i = 0, length = value.length(); i < length; i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default ->
                {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                    {
                        sb.append("\\u")
                            .append(HEX[c >> 12 & 0xF])
                            .append(HEX[c >> 8 & 0xF])
                            .append(HEX[c >> 4 & 0xF])
                            .append(HEX[c & 0xF]);
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
