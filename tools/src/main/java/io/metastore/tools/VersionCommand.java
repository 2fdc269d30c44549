package io.metastore.tools;

import io.metastore.codecs.MessageHeaderEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code version}: as {@code etcdctl version}, the command line's version and the protocol it speaks, the SBE schema
 * version of its messages (a member refuses a request of a newer schema than its own).
 */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print the command line's version and the protocol (SBE schema) version it speaks.")
final class VersionCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final String version = MetaStoreCli.class.getPackage().getImplementationVersion();
        out.println("metastore version: " + (null != version ? version : "(development build)"));
        out.println("API version: " + MessageHeaderEncoder.SCHEMA_VERSION);
        out.flush();

        return ExitCodes.SUCCESS;
    }
}
