package io.metastore.tools.bench;

import io.metastore.client.Op;
import io.metastore.client.Txn;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest
{
    @Test
    void shouldReportTxnSuccessAndFailureCountsInTextAndJson()
    {
        final BenchResult result = result(990, 10);

        final String text = print(true, result);
        final String json = print(false, result);

        assertTrue(text.contains("Transactions: 990 succeeded, 10 failed"), text);
        assertTrue(json.contains("\"errors\":0,\"txn_succeeded\":990,\"txn_failed\":10,\"elapsed_s\":"), json);
    }

    @Test
    void shouldLeaveTxnCountsOutOfOtherWorkloads()
    {
        final BenchResult result = result(-1, -1);

        assertFalse(print(true, result).contains("Transactions"));
        assertFalse(print(false, result).contains("txn_"));
    }

    @Test
    void shouldReportLatencyBeforeAndAfterACompactionInTextAndJson()
    {
        final Histogram before = new Histogram(3);
        before.recordValue(200_000);
        final Histogram after = new Histogram(3);
        after.recordValue(300_000);
        after.recordValue(5_000_000);
        final Histogram histogram = new Histogram(3);
        histogram.recordValue(1000);
        final BenchResult result = new BenchResult(3, 0, 1_000_000_000L, histogram, -1, "", -1, -1, -1, -1,
            new BenchCompaction.Result(true, 1234, 1_500_000_000L, 2_500_000L, null, before, after));

        final String text = print(true, result);
        final String json = print(false, result);

        assertTrue(text.contains("Compaction: at 1.5 s, revision 1,234, answered in 2.5 ms"), text);
        assertTrue(text.contains("  count               1              2"), text);
        assertTrue(text.contains("  p50             200.1          300.0"), text);
        assertTrue(json.contains("\"compaction\":{\"at_s\":1.500,\"revision\":1234,\"answered_ms\":2.500," +
            "\"before_us\":{\"count\":1,"), json);
        assertTrue(json.contains("\"after_us\":{\"count\":2,"), json);
    }

    @Test
    void shouldReportTheJitsCpuAndSayWhenTheRunWasStillCompiling()
    {
        final Histogram histogram = new Histogram(3);
        histogram.recordValue(1000);
        final BenchResult warm = new BenchResult(
            1000, 0, 10_000_000_000L, histogram, -1, "", 20_000_000L, 10_000_000L, -1, -1, null);
        final BenchResult cold = new BenchResult(
            1000, 0, 10_000_000_000L, histogram, -1, "", 250_000_000L, -1, -1, -1, null);

        assertTrue(print(true, warm).contains(
            "JIT compiler threads' CPU in the run: 20 ms in the node processes, 10 ms in the bench's"),
            print(true, warm));
        assertFalse(print(true, warm).contains("still compiling"), print(true, warm));
        assertTrue(print(false, warm).contains("\"jit_ms\":20,\"client_jit_ms\":10"), print(false, warm));
        assertTrue(print(true, cold).contains("JIT compiler threads' CPU in the run: 250 ms (this JVM); still " +
            "compiling: a longer --warmup measures a warmer run"), print(true, cold));
        assertFalse(print(false, cold).contains("client_jit_ms"), print(false, cold));
        assertFalse(print(true, result(-1, -1)).contains("JIT"));

        // Nodes apart and not named: the bench's own.
        final BenchResult benchOnly = new BenchResult(
            1000, 0, 10_000_000_000L, histogram, -1, "", -1, 700_000_000L, -1, -1, null);
        assertTrue(print(true, benchOnly).contains("JIT compiler threads' CPU in the run: 700 ms in the bench's " +
            "(the nodes' not read: --node-pids names them); still compiling"), print(true, benchOnly));
        assertTrue(print(false, benchOnly).contains("\"client_jit_ms\":700"), print(false, benchOnly));
        assertFalse(print(false, benchOnly).contains("\"jit_ms\""), print(false, benchOnly));
    }

    @Test
    void shouldMakeTxnPutOfOneModRevisionCompareAndOnePut()
    {
        final byte[] key = "bench-key".getBytes(StandardCharsets.UTF_8);
        final Txn txn = BenchRunner.txnPut(key, new byte[8]);

        assertEquals(1, txn.compares().size());
        assertEquals(CompareTarget.MOD, txn.compares().get(0).target());
        assertEquals(CompareResult.LESS, txn.compares().get(0).result());
        assertEquals(BenchRunner.TXN_MOD_REVISION_BOUND, txn.compares().get(0).targetValue());
        assertArrayEquals(key, txn.compares().get(0).key());
        assertEquals(1, txn.success().size());
        assertEquals(Op.Type.PUT, txn.success().get(0).type());
        assertEquals(0, txn.failure().size());
    }

    @Test
    void shouldNameEveryWorkloadOnTheCommandLineForm()
    {
        assertEquals(Workload.LEASE_PUT, Workload.valueOf("lease-put".toUpperCase().replace('-', '_')));
        assertEquals(Workload.TXN_PUT, Workload.valueOf("txn-put".toUpperCase().replace('-', '_')));
    }

    private static BenchResult result(final long succeeded, final long failed)
    {
        final Histogram histogram = new Histogram(3);
        histogram.recordValue(1000);
        return new BenchResult(1000, 0, 1_000_000_000L, histogram, -1, "", -1, -1, succeeded, failed, null);
    }

    private static String print(final boolean text, final BenchResult result)
    {
        final StringWriter out = new StringWriter();
        final PrintWriter writer = new PrintWriter(out);
        if (text)
        {
            BenchReport.printText(writer, "txn-put", result);
        }
        else
        {
            BenchReport.printJson(writer, "txn-put", result);
        }
        writer.flush();
        return out.toString();
    }
}
