package io.metastore.tools;

import org.junit.jupiter.api.Test;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad use of the lease and txn verbs is refused before any connection is made, with etcdctl's exit codes and one line
 * and a hint on stderr.
 */
class LeaseTxnUsageTest
{
    private static final byte[] NO_STDIN = new byte[0];

    @Test
    void shouldExitWithEtcdctlCodesOnBadLeaseUsage()
    {
        assertUsageError(128, CliRun.execute(NO_STDIN, "lease"), "Missing required subcommand");
        final CliRun unknown = CliRun.execute(NO_STDIN, "lease", "renew", "1f");
        assertEquals(1, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("Did you mean: lease revoke?"), unknown::toString);
        assertUsageError(128, CliRun.execute(NO_STDIN, "lease", "grant"), "Missing required parameter");
        assertUsageError(128, CliRun.execute(NO_STDIN, "lease", "grant", "ten"), "ten");
        assertUsageError(128, CliRun.execute(NO_STDIN, "lease", "revoke", "xyz"),
            "bad lease ID 'xyz', expecting ID in Hex");
        assertUsageError(1, CliRun.execute(NO_STDIN, "lease", "timetolive", "1f", "2f"), "Unmatched argument");
        assertUsageError(128, CliRun.execute(NO_STDIN, "lease", "keep-alive"), "Missing required parameter");
        assertUsageError(1, CliRun.execute(NO_STDIN, "lease", "list", "extra"), "Unmatched argument");
    }

    @Test
    void shouldExitWithThreeOnInvalidTxnInputAsEtcdctlsExitInvalidInput()
    {
        assertUsageError(1, CliRun.execute(NO_STDIN, "txn", "extra"), "Unmatched argument");
        assertInvalidInput(CliRun.execute(bytes("mod(\"k\") >= \"1\"\n"), "txn"), "unknown operator >=");
        assertInvalidInput(CliRun.execute(bytes("\nput k\n"), "txn"), "put in a txn needs <key> and <value>");
        assertInvalidInput(CliRun.execute(bytes("bogus\n"), "txn"), "malformed comparison: bogus");
    }

    @Test
    void shouldPromptOnStdoutInInteractiveModeBeforeReadingEachSection()
    {
        final CliRun run = CliRun.execute(bytes("mod(\"k\") > \"1\"\n\nbogus k\n"), "txn", "-i");

        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("compares:\nsuccess requests (get, put, del):\n", run.out().replace("\r\n", "\n"));
        assertTrue(run.err().contains("invalid txn request: bogus k"), run::toString);
    }

    private static void assertUsageError(final int exitCode, final CliRun run, final String message)
    {
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().startsWith("Error: "), run::toString);
        assertTrue(run.err().contains(message), run::toString);
        assertFalse(run.err().contains("Usage: metastore"), run::toString);
        assertTrue(run.err().strip().endsWith("--help' for usage."), run::toString);
    }

    private static void assertInvalidInput(final CliRun run, final String message)
    {
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().startsWith("Error: ") && run.err().contains(message), run::toString);
    }
}
