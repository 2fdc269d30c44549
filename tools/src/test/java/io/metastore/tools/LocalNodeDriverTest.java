package io.metastore.tools;

import io.metastore.node.MetaStoreNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A verb against the only endpoint of a node on this machine uses that node's media driver; anything else starts
 * the verb's own.
 */
class LocalNodeDriverTest
{
    private static final int BASE_PORT = 44600;

    @TempDir
    File dir;

    private CliNode node;

    @BeforeEach
    void before()
    {
        node = CliNode.start(BASE_PORT, dir);
    }

    @AfterEach
    void after()
    {
        node.close();
        node.assertNoErrors();
    }

    @Test
    void shouldUseTheDriverOfTheNodeServingTheOnlyEndpointOnThisMachine()
    {
        final String nodeDriver = MetaStoreNode.defaultAeronDirectoryName(BASE_PORT, 0);

        assertEquals(nodeDriver, ClientOptions.localNodeDriver("localhost:" + BASE_PORT));
        assertEquals(nodeDriver, ClientOptions.localNodeDriver(" 127.0.0.1:" + BASE_PORT + " "));
        assertEquals(0, node.client("put", "k", "v").exitCode());
        assertEquals(List.of("k", "v"), node.client("get", "k").outLines());
    }

    @Test
    void shouldStartItsOwnDriverForAnyOtherEndpoints()
    {
        assertNull(ClientOptions.localNodeDriver("localhost:" + (BASE_PORT + 90)));
        assertNull(ClientOptions.localNodeDriver("localhost:" + BASE_PORT + ",localhost:" + (BASE_PORT + 10)));
        assertNull(ClientOptions.localNodeDriver("0=localhost:" + BASE_PORT));
        assertNull(ClientOptions.localNodeDriver("example.com:" + BASE_PORT));
        assertNull(ClientOptions.localNodeDriver("localhost:port"));
        assertNull(ClientOptions.localNodeDriver(""));
    }
}
