package io.metastore.tools;

import io.metastore.client.DeleteResult;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;

/**
 * Prints the result of a verb in one output format, as etcdctl's printers do.
 */
interface ResultPrinter
{
    /**
     * @param result of a put.
     */
    void put(PutResult result);

    /**
     * @param result    of a range.
     * @param keysOnly  values were not asked for.
     * @param countOnly only the count was asked for.
     * @param valueOnly print values without their keys, where the format has such a mode.
     */
    void range(RangeResult result, boolean keysOnly, boolean countOnly, boolean valueOnly);

    /**
     * @param result of a delete-range.
     */
    void delete(DeleteResult result);
}
