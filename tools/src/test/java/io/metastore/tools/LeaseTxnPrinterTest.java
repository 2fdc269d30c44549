package io.metastore.tools;

import io.metastore.client.DeleteResult;
import io.metastore.client.KeyValue;
import io.metastore.client.LeaseGrantResult;
import io.metastore.client.LeaseKeepAliveResult;
import io.metastore.client.LeaseListResult;
import io.metastore.client.LeaseRevokeResult;
import io.metastore.client.LeaseTimeToLiveResult;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;
import io.metastore.client.TxnResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Output of the lease and txn verbs, as etcdctl prints it.
 */
class LeaseTxnPrinterTest
{
    private static final ResponseHeader HEADER = new ResponseHeader(7, 1, 42, 3);
    private static final long LEASE_ID = 0x694d71ddacfda227L;
    private static final Map<String, Object> HEADER_JSON =
        Map.of("cluster_id", 7L, "member_id", 1L, "revision", 42L, "raft_term", 3L);
    private static final KeyValue KV = new KeyValue(bytes("k"), bytes("v"), 5, 9, 2, 0);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SimplePrinter simple = new SimplePrinter(new PrintStream(out, true, StandardCharsets.UTF_8), false);
    private final JsonTextPrinter json = new JsonTextPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), false);

    @Test
    void shouldPrintLeaseVerbsAsEtcdctlSimpleOutput()
    {
        simple.leaseGrant(new LeaseGrantResult(HEADER, LEASE_ID, 10));
        simple.leaseRevoke(LEASE_ID, new LeaseRevokeResult(HEADER));
        simple.leaseKeepAlive(new LeaseKeepAliveResult(HEADER, 0x1F, 60));
        simple.leaseKeepAliveEnded(0x1F);
        simple.leases(new LeaseListResult(HEADER, List.of(LEASE_ID, 0x1FL)));

        assertEquals(List.of(
            "lease 694d71ddacfda227 granted with TTL(10s)",
            "lease 694d71ddacfda227 revoked",
            "lease 000000000000001f keepalived with TTL(60)",
            "lease 000000000000001f expired or revoked.",
            "found 2 leases",
            "694d71ddacfda227",
            "000000000000001f"), lines());
    }

    @Test
    void shouldPrintTimeToLiveWithAndWithoutKeysAndExpiredLease()
    {
        final LeaseTimeToLiveResult live = new LeaseTimeToLiveResult(
            HEADER, LEASE_ID, 7, 10, List.of(bytes("a"), bytes("b/c"), new byte[]{ (byte)0xFF }));
        simple.leaseTimeToLive(live, false);
        simple.leaseTimeToLive(live, true);
        simple.leaseTimeToLive(new LeaseTimeToLiveResult(HEADER, LEASE_ID, 7, 10, List.of()), true);
        simple.leaseTimeToLive(new LeaseTimeToLiveResult(HEADER, LEASE_ID, -1, 0, List.of()), true);

        assertEquals(List.of(
            "lease 694d71ddacfda227 granted with TTL(10s), remaining(7s)",
            "lease 694d71ddacfda227 granted with TTL(10s), remaining(7s), attached keys([a b/c \uFFFD])",
            "lease 694d71ddacfda227 granted with TTL(10s), remaining(7s), attached keys([])",
            "lease 694d71ddacfda227 already expired"), lines());
    }

    @Test
    void shouldPrintNoLeases()
    {
        simple.leases(new LeaseListResult(HEADER, List.of()));

        assertEquals(List.of("found 0 leases"), lines());
    }

    @Test
    void shouldPrintTxnOutcomeThenEachResultAfterABlankLine()
    {
        final TxnResult result = new TxnResult(HEADER, true, List.of(
            new PutResult(HEADER, null),
            new RangeResult(HEADER, List.of(KV), 1, false),
            new RangeResult(HEADER, List.of(KV), 4, true),
            new DeleteResult(HEADER, 1, List.of(KV))));

        simple.txn(result, List.of(RangeFormat.DEFAULT, RangeFormat.DEFAULT, new RangeFormat(false, true, false)));

        assertEquals(List.of("SUCCESS", "", "OK", "", "k", "v", "", "4", "", "1", "k", "v"), lines());
    }

    @Test
    void shouldPrintFailedTxnWithNoOperationsAndNestedTxn()
    {
        simple.txn(new TxnResult(HEADER, false, List.of()), List.of());
        simple.txn(new TxnResult(HEADER, true, List.of(
            new TxnResult(HEADER, false, List.of(new PutResult(HEADER, KV))))), List.of());

        assertEquals(List.of("FAILURE", "SUCCESS", "", "FAILURE", "", "OK", "k", "v"), lines());
    }

    @Test
    void shouldWriteLeaseVerbsAsJsonTextWithHeader()
    {
        json.leaseGrant(new LeaseGrantResult(HEADER, LEASE_ID, 10));
        json.leaseRevoke(LEASE_ID, new LeaseRevokeResult(HEADER));
        json.leaseKeepAlive(new LeaseKeepAliveResult(HEADER, LEASE_ID, 10));
        json.leaseKeepAliveEnded(LEASE_ID);
        json.leases(new LeaseListResult(HEADER, List.of(LEASE_ID)));

        final List<String> lines = lines();
        assertEquals(4, lines.size(), "no line for the end of a keep-alive");
        assertEquals(Map.of("header", HEADER_JSON, "ID", LEASE_ID, "TTL", 10L), TinyJson.parse(lines.get(0)));
        assertEquals(Map.of("header", HEADER_JSON), TinyJson.parse(lines.get(1)));
        assertEquals(Map.of("header", HEADER_JSON, "ID", LEASE_ID, "TTL", 10L), TinyJson.parse(lines.get(2)));
        assertEquals(Map.of("header", HEADER_JSON, "leases", List.of(Map.of("ID", LEASE_ID))),
            TinyJson.parse(lines.get(3)));
    }

    @Test
    void shouldWriteTimeToLiveAsJsonTextWithKeysAsTextOrBase64()
    {
        json.leaseTimeToLive(new LeaseTimeToLiveResult(HEADER, LEASE_ID, 7, 10, List.of(bytes("a"))), true);
        json.leaseTimeToLive(new LeaseTimeToLiveResult(
            HEADER, LEASE_ID, 7, 10, List.of(bytes("a"), new byte[]{ (byte)0xFF })), true);
        json.leaseTimeToLive(new LeaseTimeToLiveResult(HEADER, LEASE_ID, -1, 0, List.of()), false);

        final List<String> lines = lines();
        assertEquals(Map.of("header", HEADER_JSON, "ID", LEASE_ID, "TTL", 7L, "grantedTTL", 10L, "keys", List.of("a")),
            TinyJson.parse(lines.get(0)));
        assertEquals(List.of("YQ==", "/w=="), TinyJson.object(TinyJson.parse(lines.get(1))).get("keys_base64"));
        final Map<String, Object> expired = TinyJson.object(TinyJson.parse(lines.get(2)));
        assertEquals(-1L, expired.get("TTL"));
        assertFalse(expired.containsKey("keys"));
    }

    @Test
    void shouldWriteTxnAsJsonTextWithOneMemberPerResponse()
    {
        final TxnResult result = new TxnResult(HEADER, false, List.of(
            new PutResult(HEADER, KV),
            new RangeResult(HEADER, List.of(KV), 1, false),
            new DeleteResult(HEADER, 0, List.of()),
            new TxnResult(HEADER, true, List.of())));

        json.txn(result, List.of(RangeFormat.DEFAULT, new RangeFormat(true, false, false)));

        final Map<String, Object> txn = TinyJson.object(TinyJson.parse(out.toString(StandardCharsets.UTF_8)));
        assertEquals(List.of("header", "succeeded", "responses"), List.copyOf(txn.keySet()));
        assertEquals(false, txn.get("succeeded"));
        final List<Object> responses = TinyJson.array(txn.get("responses"));
        assertEquals(4, responses.size());
        final Map<String, Object> put = TinyJson.object(TinyJson.object(responses.get(0)).get("response_put"));
        assertEquals("v", TinyJson.object(put.get("prev_kv")).get("value"));
        final Map<String, Object> range = TinyJson.object(TinyJson.object(responses.get(1)).get("response_range"));
        assertEquals(1L, range.get("count"));
        final Map<String, Object> kv = TinyJson.object(TinyJson.array(range.get("kvs")).get(0));
        assertEquals("k", kv.get("key"));
        assertFalse(kv.containsKey("value"), "keys only");
        assertEquals(Map.of("header", HEADER_JSON, "deleted", 0L, "prev_kvs", List.of()),
            TinyJson.object(responses.get(2)).get("response_delete_range"));
        assertEquals(Map.of("header", HEADER_JSON, "succeeded", true, "responses", List.of()),
            TinyJson.object(responses.get(3)).get("response_txn"));
    }

    private List<String> lines()
    {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
