package io.metastore.tools;

import io.metastore.tools.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Reports a usage error as etcdctl does, in one line and a hint rather than the whole usage text:
 * <pre>
 * Error: Missing required parameter: '&lt;key&gt;'
 * Run 'metastore get --help' for usage.
 * </pre>
 * (after picocli's "Did you mean" line for a misspelt verb or flag) and exits with etcdctl's code for it.
 * etcdctl's flag parser (cobra) exits 1 for an unknown flag or verb, and for a flag value of the wrong type
 * ({@code --limit abc}); its verbs exit 128 ({@code ExitBadArgs}) for missing or contradictory arguments, and for
 * values they parse themselves (a TTL, a hex lease id, also in {@code --lease}). The {@code server},
 * {@code repair} and {@code bench} verbs, which etcdctl does not have, keep picocli's usage exit code, 2.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler
{
    /**
     * Picocli's exit code for a usage error, kept by the verbs that are not etcdctl's.
     */
    static final int PICOCLI_USAGE = CommandLine.ExitCode.USAGE;

    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println("Error: " + ex.getMessage());
        if (ex instanceof UnmatchedArgumentException unmatched)
        {
            UnmatchedArgumentException.printSuggestions(unmatched, err);
        }
        err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();

        return exitCode(ex);
    }

    /**
     * @param ex a usage error.
     * @return the exit code etcdctl gives the same error.
     */
    static int exitCode(final ParameterException ex)
    {
        if (!isEtcdctlVerb(ex.getCommandLine().getCommandSpec().userObject()))
        {
            return PICOCLI_USAGE;
        }
        if (ex instanceof UnmatchedArgumentException)
        {
            return ExitCodes.ERROR;
        }
        if (ex.getArgSpec() instanceof OptionSpec && !(ex.getCause() instanceof BadArgs))
        {
            return ExitCodes.ERROR;
        }

        return ExitCodes.BAD_ARGS;
    }

    private static boolean isEtcdctlVerb(final Object command)
    {
        return !(command instanceof ServerCommand || command instanceof RepairCommand ||
            command instanceof BenchCommand);
    }

    /**
     * A value etcdctl parses in the verb rather than in its flag parser, and so refuses with
     * {@link ExitCodes#BAD_ARGS}: a hex lease id.
     */
    static final class BadArgs extends TypeConversionException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message why the value does not parse.
         */
        BadArgs(final String message)
        {
            super(message);
        }
    }
}
