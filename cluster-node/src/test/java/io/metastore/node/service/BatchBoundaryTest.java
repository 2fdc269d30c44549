package io.metastore.node.service;

import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.node.storage.StateDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch boundary contract: however the same log is split into RocksDB writes, the state and every response
 * are the same.
 */
class BatchBoundaryTest
{
    @TempDir
    File tempDir;

    @Test
    void shouldReachSameStateAndResponsesWhateverTheBatchBoundaries()
    {
        final List<byte[]> log = randomLog(new Random(42), 400);

        final Outcome oneWritePerEntry = replay(log, new File(tempDir, "every"), index -> true);
        final Outcome oneWriteForAll = replay(log, new File(tempDir, "once"), index -> false);
        final Random splits = new Random(7);
        final Outcome randomSplits = replay(log, new File(tempDir, "random"), index -> splits.nextInt(10) == 0);
        final Outcome fixedFifty = replay(log, new File(tempDir, "fifty"), index -> index % 50 == 49);

        assertEquals(oneWritePerEntry.digest, oneWriteForAll.digest);
        assertEquals(oneWritePerEntry.digest, randomSplits.digest);
        assertEquals(oneWritePerEntry.digest, fixedFifty.digest);
        assertEquals(oneWritePerEntry.revision, oneWriteForAll.revision);
        assertArrayEquals(oneWritePerEntry.responses, oneWriteForAll.responses);
        assertArrayEquals(oneWritePerEntry.responses, randomSplits.responses);
        assertArrayEquals(oneWritePerEntry.responses, fixedFifty.responses);
    }

    private static Outcome replay(final List<byte[]> log, final File dir, final IntPredicate commitAfter)
    {
        try (ServiceHarness harness = new ServiceHarness(dir, 4096, 64 * 1024))
        {
            for (int i = 0; i < log.size(); i++)
            {
                harness.apply(log.get(i));
                if (commitAfter.test(i))
                {
                    harness.commit();
                }
            }
            harness.commit();

            return new Outcome(
                StateDigest.of(harness.storage), harness.storage.appliedRevision(), harness.egress.toByteArray());
        }
    }

    private static List<byte[]> randomLog(final Random random, final int entries)
    {
        final Requests requests = new Requests();
        final List<byte[]> log = new ArrayList<>();
        long correlationId = 0;
        for (int i = 0; i < entries; i++)
        {
            final int requestsInEntry = 1 + random.nextInt(4);
            for (int r = 0; r < requestsInEntry; r++)
            {
                final String key = "k" + random.nextInt(30);
                switch (random.nextInt(10))
                {
                    case 6:
                        requests.leaseGrant(++correlationId, 1 + random.nextInt(5), 10);
                        break;

                    case 7:
                        requests.put(++correlationId, key, "leased", 1 + random.nextInt(5));
                        break;

                    case 8:
                        requests.leaseRevoke(++correlationId, 1 + random.nextInt(5));
                        break;

                    case 9:
                        final Requests.Compare compare = new Requests.Compare(
                            key, CompareTarget.VERSION, CompareResult.GREATER, random.nextInt(3), "");
                        requests.txn(++correlationId, new Requests.Compare[]{ compare },
                            new Requests().put(0, key, "then").range(0, "k", "l").build(),
                            new Requests().delete(0, key, "").build());
                        break;

                    case 0:
                        requests.delete(++correlationId, key, "");
                        break;

                    case 1:
                        requests.delete(++correlationId, key, "k" + random.nextInt(30));
                        break;

                    case 2:
                        requests.range(++correlationId, "k", "l");
                        break;

                    default:
                        requests.put(++correlationId, key, "v" + random.nextInt(1000));
                        break;
                }
            }
            log.add(requests.build());
        }

        return log;
    }

    private record Outcome(String digest, long revision, byte[] responses)
    {
    }
}
