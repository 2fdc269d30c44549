package io.metastore.tools;

/**
 * A failure of a verb that ends it with a given exit code and one line, {@code Error: <message>}, on stderr.
 */
final class CliFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode to exit with, one of {@link ExitCodes}.
     * @param message  printed after {@code Error: }.
     */
    CliFailure(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * @param exitCode to exit with, one of {@link ExitCodes}.
     * @param message  printed after {@code Error: }.
     * @param cause    of the failure.
     */
    CliFailure(final int exitCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * @return the exit code of the verb.
     */
    int exitCode()
    {
        return exitCode;
    }
}
