package io.metastore.node;

import io.metastore.client.Compare;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.Op;
import io.metastore.client.Txn;
import io.metastore.client.TxnResult;
import io.metastore.codecs.CompareResult;
import io.metastore.codecs.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions from the client through a running node: compare-and-swap, nesting, and a refused transaction.
 */
@Timeout(120)
class TxnEndToEndTest
{
    @TempDir
    File tempDir;

    private TestCluster cluster;

    @AfterEach
    void after()
    {
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldCompareAndSwapWithEtcdSemantics()
    {
        cluster = TestCluster.start(tempDir, 1);
        final MetaStoreClient client = cluster.connectClient();
        final long created = client.put("lock", "free").header().revision();

        final TxnResult acquired = client.txn(Txn.txn()
            .when(Compare.modRevision("lock", CompareResult.EQUAL, created))
            .then(Op.put("lock", "owner-1"), Op.get("lock"))
            .otherwise(Op.get("lock")));
        assertTrue(acquired.succeeded());
        assertEquals(created + 1, acquired.header().revision());
        assertEquals("owner-1", acquired.rangeResult(1).kvs().get(0).valueUtf8());

        final TxnResult lost = client.txn(Txn.txn()
            .when(Compare.modRevision("lock", CompareResult.EQUAL, created))
            .then(Op.put("lock", "owner-2"))
            .otherwise(Op.get("lock"), Op.txn(Txn.txn()
                .when(Compare.value("lock", CompareResult.EQUAL, "owner-1"))
                .then(Op.put("observer", "saw owner-1")))));
        assertFalse(lost.succeeded());
        assertEquals("owner-1", lost.rangeResult(0).kvs().get(0).valueUtf8());
        assertTrue(lost.txnResult(1).succeeded());
        assertEquals(1, client.get("observer").count());

        final MetaStoreException duplicate = assertThrows(MetaStoreException.class, () -> client.txn(Txn.txn()
            .then(Op.put("a", "1"), Op.put("a", "2"))));
        assertEquals(ErrorCode.DUPLICATE_KEY, duplicate.code());
        assertEquals(0, client.get("a").count());
        cluster.assertNoErrors();
    }
}
