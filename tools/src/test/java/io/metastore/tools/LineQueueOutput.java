package io.metastore.tools;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Output of a verb still running, handed over line by line as it is printed.
 */
final class LineQueueOutput extends OutputStream
{
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    public synchronized void write(final int b)
    {
        if ('\n' == b)
        {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        }
        else if ('\r' != b)
        {
            partial.write(b);
        }
    }

    String awaitLine(final String what) throws InterruptedException
    {
        final String line = lines.poll(20, TimeUnit.SECONDS);
        assertNotNull(line, () -> "timed out awaiting " + what);

        return line;
    }

    List<String> printedSoFar()
    {
        final List<String> printed = new ArrayList<>();
        lines.drainTo(printed);

        return printed;
    }
}
