package io.metastore.node.service;

import io.metastore.codecs.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transaction's response never grows past the response bound: its operations' responses are replaced by an error
 * that says it ran, and the responses after it are unharmed.
 */
class TxnResponseBoundTest
{
    @TempDir
    File tempDir;

    @Test
    void shouldAnswerTooLargeTransactionWithAnErrorAndKeepServing()
    {
        try (ServiceHarness harness = new ServiceHarness(tempDir, 64, 64 * 1024))
        {
            final Requests requests = new Requests();
            final String big = "v".repeat(60 * 1024);
            for (int i = 0; i < 12; i++)
            {
                requests.put(i + 1, "k" + i, big);
            }
            harness.apply(requests.build());
            final long revision = harness.stateMachine.revision();
            harness.egress.reset();

            final byte[] ranges = new Requests().range(0, "k", "l").range(0, "k", "l").build();
            final byte[] txn = requests.txn(100, new Requests.Compare[0], ranges, new byte[0]).build();
            harness.apply(txn);
            harness.apply(requests.put(101, "after", "ok").build());

            final List<Object[]> errors = harness.errors();
            assertEquals(1, errors.size());
            assertEquals(100L, errors.get(0)[0]);
            assertEquals(ErrorCode.RESPONSE_TOO_LARGE, errors.get(0)[1]);
            assertEquals(revision + 1, harness.stateMachine.revision(), "the put after it applied");
            assertTrue(harness.egress.size() < 64 * 1024, "the large responses were not sent");
        }
    }
}
