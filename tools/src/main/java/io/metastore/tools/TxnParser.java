package io.metastore.tools;

import io.metastore.client.Compare;
import io.metastore.client.Op;
import io.metastore.client.Txn;
import io.metastore.codecs.CompareResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a transaction in etcdctl's {@code txn} grammar: compares one per line, a blank line, the success
 * operations one per line, a blank line, the failure operations. End of input ends the section being read.
 * <pre>
 * value("k") = "v"
 * mod("k") &gt; "3"
 *
 * put k v --lease=694d71ddacfda227
 * get k --prefix
 *
 * del k
 * </pre>
 * A compare is {@code target("key") op "value"}: target {@code value}/{@code val}, {@code version}/{@code ver},
 * {@code create}/{@code c}, {@code mod}/{@code m} (decimal) or {@code lease} (hexadecimal id); op {@code =},
 * {@code !=}, {@code <} or {@code >}; key and value quoted as Go quotes strings. An operation is a {@code put},
 * {@code get} or {@code del} command line with the flags of those verbs; arguments split on spaces, with
 * {@code "double"} (escapes as Go) or {@code 'single'} quotes.
 */
final class TxnParser
{
    /**
     * Prompts of {@code txn -i}, as etcdctl prints them.
     */
    static final String COMPARES_PROMPT = "compares:";

    /**
     * Prompt before the success operations.
     */
    static final String SUCCESS_PROMPT = "success requests (get, put, del):";

    /**
     * Prompt before the failure operations.
     */
    static final String FAILURE_PROMPT = "failure requests (get, put, del):";

    private static final String[] CLIENT_OPTIONS =
        { "--endpoints", "--write-out", "--hex", "--command-timeout", "--connect-timeout" };
    private static final Pattern ARGUMENT = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^'\"\\s]\\S*[^'\"\\s]?");

    /**
     * A transaction read from input, with how each branch's range results print.
     *
     * @param txn            to run.
     * @param successFormats print formats of the success operations, by position.
     * @param failureFormats print formats of the failure operations, by position.
     */
    record ParsedTxn(Txn txn, List<RangeFormat> successFormats, List<RangeFormat> failureFormats)
    {
        /**
         * @param succeeded which branch ran.
         * @return the formats of that branch.
         */
        List<RangeFormat> formats(final boolean succeeded)
        {
            return succeeded ? successFormats : failureFormats;
        }
    }

    /**
     * The verbs an operation line may use, parsed by the verbs' own commands.
     */
    @Command(name = "txn-op", subcommands = { PutCommand.class, GetCommand.class, DelCommand.class })
    static final class OpLine implements Runnable
    {
        /**
         * Parsing only; never run.
         */
        public void run()
        {
        }
    }

    private TxnParser()
    {
    }

    /**
     * Read a transaction.
     *
     * @param in     to read from.
     * @param prompt told each section's prompt before it is read; a no-op unless interactive.
     * @return the transaction.
     * @throws IllegalArgumentException naming the line that is not valid.
     */
    static ParsedTxn parse(final BufferedReader in, final Consumer<String> prompt)
    {
        prompt.accept(COMPARES_PROMPT);
        final List<Compare> compares = new ArrayList<>();
        for (String line = readLine(in); null != line; line = readLine(in))
        {
            compares.add(parseCompare(line));
        }

        prompt.accept(SUCCESS_PROMPT);
        final List<Op> success = new ArrayList<>();
        final List<RangeFormat> successFormats = new ArrayList<>();
        for (String line = readLine(in); null != line; line = readLine(in))
        {
            parseOp(line, success, successFormats);
        }

        prompt.accept(FAILURE_PROMPT);
        final List<Op> failure = new ArrayList<>();
        final List<RangeFormat> failureFormats = new ArrayList<>();
        for (String line = readLine(in); null != line; line = readLine(in))
        {
            parseOp(line, failure, failureFormats);
        }

        final Txn txn = Txn.txn()
            .when(compares.toArray(new Compare[0]))
            .then(success.toArray(new Op[0]))
            .otherwise(failure.toArray(new Op[0]));

        return new ParsedTxn(txn, List.copyOf(successFormats), List.copyOf(failureFormats));
    }

    /**
     * Parse one compare, {@code target("key") op "value"}.
     *
     * @param line to parse, trimmed.
     * @return the compare.
     * @throws IllegalArgumentException if the line is not a compare.
     */
    static Compare parseCompare(final String line)
    {
        final int paren = line.indexOf('(');
        if (paren < 0)
        {
            throw new IllegalArgumentException("malformed comparison: " + line);
        }
        final String target = line.substring(0, paren).trim();
        final Scanner scanner = new Scanner(line, paren + 1);
        final byte[] key = scanner.quoted();
        scanner.expect(')');
        final String op = scanner.operator();
        final byte[] value = scanner.quoted();
        scanner.expectEnd();
        if (null == key || null == op || null == value)
        {
            throw new IllegalArgumentException("malformed comparison: " + line);
        }

        final CompareResult result = switch (op)
        {
            case "=" -> CompareResult.EQUAL;
            case "!=" -> CompareResult.NOT_EQUAL;
            case "<" -> CompareResult.LESS;
            case ">" -> CompareResult.GREATER;
            default -> throw new IllegalArgumentException(
                "malformed comparison: " + line + " (unknown operator " + op + "; use =, !=, < or >)");
        };

        try
        {
            return switch (target)
            {
                case "ver", "version" -> Compare.version(key, result, Long.parseLong(utf8(value)));
                case "c", "create" -> Compare.createRevision(key, result, Long.parseLong(utf8(value)));
                case "m", "mod" -> Compare.modRevision(key, result, Long.parseLong(utf8(value)));
                case "val", "value" -> Compare.value(key, result, value);
                case "lease" -> Compare.lease(key, result, Long.parseUnsignedLong(utf8(value), 16));
                default -> throw new IllegalArgumentException(
                    "malformed comparison: " + line + " (unknown target " + target + ")");
            };
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid txn compare request: " + line + " (" +
                ("lease".equals(target) ? "expecting a hexadecimal lease id" : "expecting a decimal number") + ")");
        }
    }

    /**
     * Split a line into arguments as etcdctl does: spaces separate them; double quotes hold a Go-quoted string,
     * single quotes hold text as is.
     *
     * @param line to split.
     * @return the arguments, quotes removed.
     */
    static List<String> argify(final String line)
    {
        final List<String> args = new ArrayList<>();
        final Matcher matcher = ARGUMENT.matcher(line);
        while (matcher.find())
        {
            final String arg = matcher.group();
            if (arg.startsWith("'"))
            {
                args.add(arg.substring(1, arg.length() - 1));
            }
            else if (arg.startsWith("\""))
            {
                final Scanner scanner = new Scanner(arg, 0);
                args.add(utf8(scanner.quoted()));
            }
            else
            {
                args.add(arg);
            }
        }

        return args;
    }

    private static void parseOp(final String line, final List<Op> ops, final List<RangeFormat> formats)
    {
        final List<String> args = argify(line);
        if (args.size() < 2)
        {
            throw new IllegalArgumentException("invalid txn request: " + line);
        }

        final CommandLine commandLine = new CommandLine(new OpLine());
        try
        {
            final ParseResult parsed = commandLine.parseArgs(args.toArray(new String[0]));
            final ParseResult verb = parsed.subcommand();
            if (null == verb || verb.isUsageHelpRequested() || verb.isVersionHelpRequested())
            {
                throw new IllegalArgumentException("invalid txn request: " + line);
            }
            for (final String option : CLIENT_OPTIONS)
            {
                if (verb.hasMatchedOption(option))
                {
                    throw new IllegalArgumentException("invalid txn request: " + line + " (" + option +
                        " applies to the whole txn command, not to one of its requests)");
                }
            }
            final Object command = verb.commandSpec().userObject();
            final CommandLine verbLine = verb.commandSpec().commandLine();
            if (command instanceof PutCommand put)
            {
                ops.add(put.toOp(verbLine));
                formats.add(RangeFormat.DEFAULT);
            }
            else if (command instanceof GetCommand get)
            {
                ops.add(get.toOp(verbLine));
                formats.add(get.format());
            }
            else
            {
                ops.add(((DelCommand)command).toOp(verbLine));
                formats.add(RangeFormat.DEFAULT);
            }
        }
        catch (final CommandLine.ParameterException ex)
        {
            throw new IllegalArgumentException("invalid txn request: " + line + " (" + ex.getMessage() + ")");
        }
    }

    /**
     * @return the next line, trimmed, or null at a blank line or the end of input.
     */
    private static String readLine(final BufferedReader in)
    {
        try
        {
            final String line = in.readLine();
            if (null == line || line.isBlank())
            {
                return null;
            }
            return line.trim();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading the transaction from stdin", ex);
        }
    }

    private static String utf8(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Reads quoted strings and tokens of a compare, as Go's {@code fmt.Sscanf("%q) %s %q")} does.
     */
    private static final class Scanner
    {
        private final String text;
        private int position;

        Scanner(final String text, final int position)
        {
            this.text = text;
            this.position = position;
        }

        /**
         * @return the bytes of a Go quoted string, {@code "..."} with escapes or {@code `...`} raw; null if none.
         */
        byte[] quoted()
        {
            skipSpaces();
            if (position >= text.length())
            {
                return null;
            }
            final char quote = text.charAt(position);
            if ('`' == quote)
            {
                final int end = text.indexOf('`', position + 1);
                if (end < 0)
                {
                    throw new IllegalArgumentException("unterminated raw string: " + text);
                }
                final byte[] bytes = text.substring(position + 1, end).getBytes(StandardCharsets.UTF_8);
                position = end + 1;
                return bytes;
            }
            if ('"' != quote)
            {
                return null;
            }

            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            position++;
            while (position < text.length())
            {
                final char c = text.charAt(position++);
                if ('"' == c)
                {
                    return bytes.toByteArray();
                }
                if ('\\' != c)
                {
                    final int end = Character.isHighSurrogate(c) && position < text.length() ? position + 1 : position;
                    bytes.writeBytes(text.substring(position - 1, end).getBytes(StandardCharsets.UTF_8));
                    position = end;
                    continue;
                }
                escape(bytes);
            }

            throw new IllegalArgumentException("unterminated quoted string: " + text);
        }

        void expect(final char c)
        {
            skipSpaces();
            if (position >= text.length() || text.charAt(position) != c)
            {
                throw new IllegalArgumentException("malformed comparison: " + text + " (expected '" + c + "')");
            }
            position++;
        }

        /**
         * @return the next run of operator characters, {@code = ! < >}, or null if there is none.
         */
        String operator()
        {
            skipSpaces();
            final int start = position;
            while (position < text.length() && "=!<>".indexOf(text.charAt(position)) >= 0)
            {
                position++;
            }
            return start == position ? null : text.substring(start, position);
        }

        void expectEnd()
        {
            skipSpaces();
            if (position < text.length())
            {
                throw new IllegalArgumentException(
                    "malformed comparison: " + text + " (unexpected '" + text.substring(position) + "')");
            }
        }

        private void escape(final ByteArrayOutputStream bytes)
        {
            if (position >= text.length())
            {
                throw new IllegalArgumentException("unterminated quoted string: " + text);
            }
            final char c = text.charAt(position++);
            switch (c)
            {
                case 'a' -> bytes.write(7);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'v' -> bytes.write(11);
                case '\\' -> bytes.write('\\');
                case '"' -> bytes.write('"');
                case 'x' -> bytes.write(hex(2));
                case 'u' -> bytes.writeBytes(Character.toString(hex(4)).getBytes(StandardCharsets.UTF_8));
                case 'U' -> bytes.writeBytes(Character.toString(hex(8)).getBytes(StandardCharsets.UTF_8));
                default ->
                {
                    if (c >= '0' && c <= '7' && position + 2 <= text.length())
                    {
                        final int value = Integer.parseInt(text.substring(position - 1, position + 2), 8);
                        if (value > 255)
                        {
                            throw new IllegalArgumentException("invalid octal escape in: " + text);
                        }
                        position += 2;
                        bytes.write(value);
                    }
                    else
                    {
                        throw new IllegalArgumentException("invalid escape \\" + c + " in: " + text);
                    }
                }
            }
        }

        private int hex(final int digits)
        {
            if (position + digits > text.length())
            {
                throw new IllegalArgumentException("short hexadecimal escape in: " + text);
            }
            try
            {
                final int value = Integer.parseUnsignedInt(text.substring(position, position + digits), 16);
                position += digits;
                return value;
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("invalid hexadecimal escape in: " + text);
            }
        }

        private void skipSpaces()
        {
            while (position < text.length() && Character.isWhitespace(text.charAt(position)))
            {
                position++;
            }
        }
    }
}
