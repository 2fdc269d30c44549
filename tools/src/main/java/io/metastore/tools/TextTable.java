package io.metastore.tools;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A table as etcdctl's {@code -w table} draws it (Go's tablewriter, its defaults): {@code +---+} borders, headers
 * centred, numbers right aligned and other cells left aligned, a space either side of each cell.
 */
final class TextTable
{
    private static final Pattern NUMBER = Pattern.compile("^-?(?:\\d{1,3}(?:,\\d{3})*|\\d+)(?:\\.\\d+)?$");

    private TextTable()
    {
    }

    /**
     * @param header of the columns, printed as given.
     * @param rows   of cells, as many as the header.
     * @return the table, each line ending with {@code \n}.
     */
    static String render(final List<String> header, final List<List<String>> rows)
    {
        final int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++)
        {
            widths[i] = header.get(i).length();
            for (final List<String> row : rows)
            {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }

        final StringBuilder border = new StringBuilder("+");
        for (final int width : widths)
        {
            border.append("-".repeat(width + 2)).append('+');
        }
        border.append('\n');

        final StringBuilder sb = new StringBuilder(border);
        sb.append('|');
        for (int i = 0; i < widths.length; i++)
        {
            final String cell = header.get(i);
            final int gap = widths[i] - cell.length();
            sb.append(' ').append(" ".repeat(gap / 2)).append(cell).append(" ".repeat(gap - gap / 2)).append(" |");
        }
        sb.append('\n').append(border);
        for (final List<String> row : rows)
        {
            sb.append('|');
            for (int i = 0; i < widths.length; i++)
            {
                final String cell = row.get(i);
                final String padding = " ".repeat(widths[i] - cell.length());
                sb.append(' ').append(NUMBER.matcher(cell).matches() ? padding + cell : cell + padding).append(" |");
            }
            sb.append('\n');
        }
        sb.append(border);

        return sb.toString();
    }
}
