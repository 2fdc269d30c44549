package io.metastore.tools;

import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;

import java.io.PrintWriter;

/**
 * etcdctl's {@code simple} output: a key on one line and its value on the next. Bytes that are not valid UTF-8
 * are printed as {@code base64:} followed by their base64.
 */
final class SimplePrinter implements ResultPrinter
{
    private final PrintWriter out;

    SimplePrinter(final PrintWriter out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    public void put(final PutResult result)
    {
        out.println("OK");
        if (null != result.prevKv())
        {
            printKeyValue(result.prevKv(), false);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void range(
        final RangeResult result, final boolean keysOnly, final boolean countOnly, final boolean valueOnly)
    {
        if (countOnly)
        {
            out.println(result.count());
            return;
        }

        for (final KeyValue kv : result.kvs())
        {
            if (keysOnly)
            {
                out.println(ByteText.forDisplay(kv.key()));
            }
            else
            {
                printKeyValue(kv, valueOnly);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public void delete(final DeleteResult result)
    {
        out.println(result.deleted());
        for (final KeyValue kv : result.prevKvs())
        {
            printKeyValue(kv, false);
        }
    }

    private void printKeyValue(final KeyValue kv, final boolean valueOnly)
    {
        if (!valueOnly)
        {
            out.println(ByteText.forDisplay(kv.key()));
        }
        out.println(ByteText.forDisplay(kv.value()));
    }
}
