package io.metastore.tools.log;

import io.metastore.tools.ByteText;
import io.metastore.tools.JsonWriter;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * Prints the entries of a dump: one line per entry, or per request of a client message, as text for people or as
 * one JSON object per line for scripts. Keys and values are text when they are valid UTF-8 (quoted in the text form),
 * hex-escaped (text) or base64 under a {@code Base64} name (JSON) otherwise.
 */
final class DumpPrinter
{
    private final PrintWriter out;
    private final boolean isJson;

    DumpPrinter(final PrintWriter out, final boolean isJson)
    {
        this.out = out;
        this.isJson = isJson;
    }

    /**
     * An entry that is not a client's request.
     *
     * @param position  at the end of the entry.
     * @param term      of the entry.
     * @param timestamp of the entry, in milliseconds.
     * @param kind      of the entry.
     * @param revision  of the store after the entry, -1 if not known or not to be printed.
     * @param fields    of the entry, as name and value pairs.
     */
    void entry(
        final long position,
        final long term,
        final long timestamp,
        final String kind,
        final long revision,
        final Object... fields)
    {
        if (isJson)
        {
            final JsonWriter json = new JsonWriter().beginObject();
            prefix(json, position, term, timestamp, kind);
            for (int i = 0; i < fields.length; i += 2)
            {
                json.name((String)fields[i]);
                jsonValue(json, (String)fields[i], fields[i + 1]);
            }
            if (revision >= 0)
            {
                json.name("revision").value(revision);
            }
            out.println(json.endObject());
        }
        else
        {
            final StringBuilder sb = new StringBuilder();
            prefix(sb, position, term, timestamp, kind);
            for (int i = 0; i < fields.length; i += 2)
            {
                sb.append(' ').append(fields[i]).append('=');
                textValue(sb, fields[i + 1]);
            }
            if (revision >= 0)
            {
                sb.append(" -> revision ").append(revision);
            }
            out.println(sb);
        }
    }

    /**
     * A client's request, with what it produced when the log was replayed, if that is known.
     *
     * @param position  at the end of the entry holding it.
     * @param term      of the entry.
     * @param timestamp of the entry, in milliseconds.
     * @param session   the client's cluster session.
     * @param request   decoded.
     * @param isApplied true if the log was replayed, so the request's outcome is known.
     */
    void request(
        final long position,
        final long term,
        final long timestamp,
        final long session,
        final LoggedRequest request,
        final boolean isApplied)
    {
        if (isJson)
        {
            final JsonWriter json = new JsonWriter().beginObject();
            prefix(json, position, term, timestamp, request.op());
            json.name("session").value(session).name("clientId").value(Long.toHexString(request.clientId()))
                .name("correlationId").value(request.correlationId());
            jsonFields(json, request);
            if (isApplied && null == request.errorCode())
            {
                json.name("revision").value(request.revision());
            }
            else if (isApplied)
            {
                json.name("error").beginObject().name("code").value(request.errorCode())
                    .name("message").value(request.errorMessage()).endObject();
            }
            out.println(json.endObject());
        }
        else
        {
            final StringBuilder sb = new StringBuilder();
            prefix(sb, position, term, timestamp, request.op());
            sb.append(" session=").append(session).append(" client=").append(Long.toHexString(request.clientId()))
                .append(" corr=").append(request.correlationId());
            textFields(sb, request);
            if (isApplied && null == request.errorCode())
            {
                sb.append(" -> revision ").append(request.revision());
            }
            else if (isApplied)
            {
                sb.append(" -> refused ").append(request.errorCode()).append(": ").append(request.errorMessage());
            }
            out.println(sb);
        }
    }

    void flush()
    {
        out.flush();
    }

    private static void prefix(
        final StringBuilder sb, final long position, final long term, final long timestamp, final String kind)
    {
        sb.append(position).append(" term=").append(term).append(' ').append(Instant.ofEpochMilli(timestamp))
            .append(' ').append(kind);
    }

    private static void prefix(
        final JsonWriter json, final long position, final long term, final long timestamp, final String kind)
    {
        json.name("position").value(position).name("term").value(term)
            .name("time").value(Instant.ofEpochMilli(timestamp).toString()).name("timestampMs").value(timestamp)
            .name("kind").value(kind);
    }

    private static void textFields(final StringBuilder sb, final LoggedRequest request)
    {
        for (final LoggedRequest.Field field : request.fields())
        {
            sb.append(' ').append(field.name()).append('=');
            textValue(sb, field.value());
        }
    }

    @SuppressWarnings("unchecked")
    private static void textValue(final StringBuilder sb, final Object value)
    {
        if (value instanceof byte[] bytes)
        {
            text(sb, bytes);
        }
        else if (value instanceof LoggedRequest.Bytes bytes)
        {
            text(sb, bytes.preview());
            if (bytes.preview().length < bytes.length())
            {
                sb.append("...");
            }
            sb.append('(').append(bytes.length()).append("B)");
        }
        else if (value instanceof List<?> list)
        {
            sb.append('[');
            boolean isFirst = true;
            for (final LoggedRequest nested : (List<LoggedRequest>)list)
            {
                sb.append(isFirst ? "" : "; ").append(nested.op());
                textFields(sb, nested);
                isFirst = false;
            }
            sb.append(']');
        }
        else
        {
            sb.append(value);
        }
    }

    private static void text(final StringBuilder sb, final byte[] bytes)
    {
        final String text = ByteText.utf8OrNull(bytes);
        if (null != text && isPrintable(text))
        {
            sb.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        else
        {
            sb.append(ByteText.hexEscaped(bytes));
        }
    }

    private static boolean isPrintable(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (Character.isISOControl(text.charAt(i)))
            {
                return false;
            }
        }

        return true;
    }

    private static void jsonFields(final JsonWriter json, final LoggedRequest request)
    {
        for (final LoggedRequest.Field field : request.fields())
        {
            jsonField(json, field.name(), field.value());
        }
    }

    private static void jsonField(final JsonWriter json, final String name, final Object value)
    {
        if (value instanceof byte[] || value instanceof LoggedRequest.Bytes)
        {
            final byte[] bytes = value instanceof byte[] b ? b : ((LoggedRequest.Bytes)value).preview();
            final String text = ByteText.utf8OrNull(bytes);
            if (null != text)
            {
                json.name(name).value(text);
            }
            else
            {
                json.name(name + "Base64").value(ByteText.base64(bytes));
            }
            if (value instanceof LoggedRequest.Bytes b)
            {
                json.name(name + "Size").value(b.length());
            }
        }
        else
        {
            json.name(name);
            jsonValue(json, name, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static void jsonValue(final JsonWriter json, final String name, final Object value)
    {
        if (value instanceof Long l)
        {
            json.value(l);
        }
        else if (value instanceof Integer i)
        {
            json.value(i);
        }
        else if (value instanceof List<?> list)
        {
            json.beginArray();
            for (final LoggedRequest nested : (List<LoggedRequest>)list)
            {
                json.beginObject().name("kind").value(nested.op());
                jsonFields(json, nested);
                json.endObject();
            }
            json.endArray();
        }
        else
        {
            json.value(String.valueOf(value));
        }
    }
}
