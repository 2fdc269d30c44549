package io.metastore.tools;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad use of the lease and txn verbs is refused before any connection is made: exit code 2, usage on stderr.
 */
class LeaseTxnUsageTest
{
    private static final byte[] NO_STDIN = new byte[0];

    @Test
    void shouldExitWithTwoOnBadLeaseUsage()
    {
        assertUsageError(CliRun.execute(NO_STDIN, "lease"), "Missing required subcommand");
        final CliRun unknown = CliRun.execute(NO_STDIN, "lease", "renew", "1f");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("Did you mean: lease revoke?"), unknown::toString);
        assertUsageError(CliRun.execute(NO_STDIN, "lease", "grant"), "Missing required parameter");
        assertUsageError(CliRun.execute(NO_STDIN, "lease", "grant", "ten"), "ten");
        assertUsageError(CliRun.execute(NO_STDIN, "lease", "revoke", "xyz"), "'xyz' is not a hexadecimal lease id");
        assertUsageError(CliRun.execute(NO_STDIN, "lease", "timetolive", "1f", "2f"), "Unmatched argument");
        assertUsageError(CliRun.execute(NO_STDIN, "lease", "keep-alive"), "Missing required parameter");
        assertUsageError(CliRun.execute(NO_STDIN, "lease", "list", "extra"), "Unmatched argument");
    }

    @Test
    void shouldExitWithTwoOnArgumentsOrInvalidTxnInput()
    {
        assertUsageError(CliRun.execute(NO_STDIN, "txn", "extra"), "Unmatched argument");
        assertUsageError(CliRun.execute(utf8("mod(\"k\") >= \"1\"\n"), "txn"), "unknown operator >=");
        assertUsageError(CliRun.execute(utf8("\nput k\n"), "txn"), "put in a txn needs <key> and <value>");
    }

    @Test
    void shouldPromptOnStdoutInInteractiveModeBeforeReadingEachSection()
    {
        final CliRun run = CliRun.execute(utf8("mod(\"k\") > \"1\"\n\nbogus k\n"), "txn", "-i");

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("compares:\nsuccess requests (get, put, del):\n", run.out().replace("\r\n", "\n"));
        assertTrue(run.err().contains("invalid txn request: bogus k"), run::toString);
    }

    private static void assertUsageError(final CliRun run, final String message)
    {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().contains(message), run::toString);
        assertTrue(run.err().contains("Usage: metastore"), run::toString);
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
