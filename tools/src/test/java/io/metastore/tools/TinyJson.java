package io.metastore.tools;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser for tests: objects to {@link Map}, arrays to {@link List}, strings, integers as
 * {@link Long} (or {@link BigInteger} past a long), booleans and null. Anything else, or trailing text, is an error.
 */
final class TinyJson
{
    private final String text;
    private int position;

    private TinyJson(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final TinyJson parser = new TinyJson(text.trim());
        final Object value = parser.value();
        if (parser.position != parser.text.length())
        {
            throw parser.error("trailing text");
        }

        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(final Object value)
    {
        return (Map<String, Object>)value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(final Object value)
    {
        return (List<Object>)value;
    }

    private Object value()
    {
        final char c = peek();
        switch (c)
        {
            case '{':
                return parseObject();
            case '[':
                return parseArray();
            case '"':
                return parseString();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return parseNumber();
        }
    }

    private Map<String, Object> parseObject()
    {
        expect('{');
        final Map<String, Object> map = new LinkedHashMap<>();
        if (peek() == '}')
        {
            position++;
            return map;
        }
        do
        {
            final String name = parseString();
            expect(':');
            if (null != map.put(name, value()))
            {
                throw error("duplicate name " + name);
            }
        }
        while (consumeComma());
        expect('}');

        return map;
    }

    private List<Object> parseArray()
    {
        expect('[');
        final List<Object> list = new ArrayList<>();
        if (peek() == ']')
        {
            position++;
            return list;
        }
        do
        {
            list.add(value());
        }
        while (consumeComma());
        expect(']');

        return list;
    }

    private String parseString()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char c = next();
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("unescaped control character");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char escaped = next();
            switch (escaped)
            {
                case '"', '\\', '/' -> sb.append(escaped);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' ->
                {
                    sb.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> throw error("bad escape \\" + escaped);
            }
        }
    }

    private Object parseNumber()
    {
        final int start = position;
        if (position < text.length() && text.charAt(position) == '-')
        {
            position++;
        }
        while (position < text.length() && Character.isDigit(text.charAt(position)))
        {
            position++;
        }
        if (start == position)
        {
            throw error("unexpected character");
        }

        // etcd's cluster and member ids are uint64, past a long.
        final BigInteger number = new BigInteger(text.substring(start, position));
        return number.bitLength() < Long.SIZE ? (Object)number.longValueExact() : number;
    }

    private Object literal(final String literal, final Object value)
    {
        if (!text.startsWith(literal, position))
        {
            throw error("expected " + literal);
        }
        position += literal.length();

        return value;
    }

    private boolean consumeComma()
    {
        if (peek() == ',')
        {
            position++;
            return true;
        }

        return false;
    }

    private void expect(final char expected)
    {
        if (next() != expected)
        {
            throw error("expected " + expected);
        }
    }

    private char peek()
    {
        if (position >= text.length())
        {
            throw error("unexpected end");
        }

        return text.charAt(position);
    }

    private char next()
    {
        final char c = peek();
        position++;

        return c;
    }

    private IllegalArgumentException error(final String message)
    {
        return new IllegalArgumentException(message + " at " + position + " in " + text);
    }
}
