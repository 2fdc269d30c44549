package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.TxnResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code txn [-i]}: etcdctl's txn. Reads compares, success and failure operations from stdin (see
 * {@link TxnParser}), runs them as one transaction, and prints SUCCESS or FAILURE and each operation's result.
 * Input that does not parse is etcdctl's {@link ExitCodes#INVALID_INPUT}.
 */
@Command(
    name = "txn",
    mixinStandardHelpOptions = true,
    description = {
        "Run a transaction read from stdin, in etcdctl's grammar: compares one per line, a blank line, the " +
            "success requests, a blank line, the failure requests.",
        "Compares: value(\"k\") = \"v\", version(\"k\") > \"0\", create(\"k\") < \"5\", mod(\"k\") != \"3\", " +
            "lease(\"k\") = \"<hexid>\". Requests: put, get and del command lines with their flags.",
        "Prints SUCCESS or FAILURE, then each request's result after a blank line, as its verb prints it.",
        "Input that does not parse exits 3, as etcdctl's ExitInvalidInput; nothing is sent." })
final class TxnCommand extends ClientCommand
{
    @ParentCommand
    private MetaStoreCli parent;

    @Option(names = { "-i", "--interactive" }, description = "Prompt for each part of the transaction.")
    private boolean interactive;

    private TxnParser.ParsedTxn parsed;

    @Override
    void prepare(final CommandLine commandLine)
    {
        final PrintWriter out = commandLine.getOut();
        final BufferedReader in = new BufferedReader(new InputStreamReader(parent.stdin(), StandardCharsets.UTF_8));
        try
        {
            parsed = TxnParser.parse(in, (prompt) ->
            {
                if (interactive)
                {
                    out.println(prompt);
                    out.flush();
                }
            });
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliFailure(ExitCodes.INVALID_INPUT, ex.getMessage(), ex);
        }
    }

    @Override
    void execute(final MetaStoreClient client, final ResultPrinter printer)
    {
        final TxnResult result = client.txn(parsed.txn());
        printer.txn(result, parsed.formats(result.succeeded()));
    }
}
