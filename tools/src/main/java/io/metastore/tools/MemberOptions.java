package io.metastore.tools;

import io.metastore.node.MetaStoreNode;
import picocli.CommandLine.Option;

import java.io.File;

/**
 * The flags that name one member and where its files are, shared by the verbs that act on a member's node
 * ({@code server}, {@code repair}). Defaults come from the node's {@link MetaStoreNode.Configuration}, so the
 * {@code metastore.*} system properties still apply.
 */
public final class MemberOptions
{
    @Option(
        names = "--member-id",
        paramLabel = "<id>",
        description = "Id of the member, its index in --members (default: ${DEFAULT-VALUE}).")
    int memberId = MetaStoreNode.Configuration.memberId();

    @Option(
        names = "--members",
        paramLabel = "<host,...>",
        description = "Hosts of the 1, 3 or 5 members, member 0 first, as every member is given them " +
            "(default: ${DEFAULT-VALUE}).")
    String members = MetaStoreNode.Configuration.members();

    @Option(
        names = "--data-dir",
        paramLabel = "<dir>",
        description = "Parent of the node's directory node-<id> (default: ${DEFAULT-VALUE}).")
    File dataDir = new File(MetaStoreNode.Configuration.dataDirName());

    /**
     * @return the id of the member.
     */
    public int memberId()
    {
        return memberId;
    }

    /**
     * @return the hosts of the members, as every member is given them.
     */
    public String members()
    {
        return members;
    }

    /**
     * @return the node's directory: {@code <data-dir>/node-<id>}.
     */
    public File nodeDir()
    {
        return new MetaStoreNode.Context().memberId(memberId).dataDir(dataDir).nodeDir();
    }
}
