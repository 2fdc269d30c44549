package io.metastore.tools;

import io.metastore.client.Change;
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
import io.metastore.client.WatchEvent;
import io.metastore.client.WatchEvents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code -w json} byte for byte as etcdctl 3.4 prints the same responses (the expected lines are etcdctl's output
 * with etcd's ids and revisions replaced by these).
 */
class JsonPrinterTest
{
    private static final ResponseHeader HEADER = new ResponseHeader(7, 0, 42, 0);
    private static final String HEADER_JSON = "\"header\":{\"cluster_id\":7,\"member_id\":0,\"revision\":42," +
        "\"raft_term\":0}";
    private static final String HEADER_FIELDS = "\"cluster_id\":7,\"member_id\":0,\"revision\":42,\"raft_term\":0";
    private static final KeyValue FOO = new KeyValue(bytes("foo"), bytes("bar"), 2, 3, 2, 0);
    private static final KeyValue LEASED = new KeyValue(bytes("lk"), new byte[]{ (byte)0xFF, (byte)0xFE }, 9, 9, 1,
        6360105320349035029L);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final JsonPrinter printer = new JsonPrinter(new PrintStream(out, true, StandardCharsets.UTF_8));

    @Test
    void shouldPrintRangeWithBase64AndNoZeroFieldsInProtoOrder()
    {
        printer.range(new RangeResult(HEADER, List.of(FOO, LEASED), 3, true), false, false, false);
        printer.range(new RangeResult(HEADER, List.of(FOO), 1, false), true, false, false);
        printer.range(new RangeResult(HEADER, List.of(), 0, false), false, false, false);

        assertEquals(List.of(
            "{" + HEADER_JSON + ",\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":2,\"mod_revision\":3," +
                "\"version\":2,\"value\":\"YmFy\"},{\"key\":\"bGs=\",\"create_revision\":9,\"mod_revision\":9," +
                "\"version\":1,\"value\":\"//4=\",\"lease\":6360105320349035029}],\"more\":true,\"count\":3}",
            "{" + HEADER_JSON + ",\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":2,\"mod_revision\":3," +
                "\"version\":2}],\"count\":1}",
            "{" + HEADER_JSON + "}"), lines());
    }

    @Test
    void shouldPrintPutAndDeleteLeavingOutWhatIsEmpty()
    {
        printer.put(new PutResult(HEADER, null));
        printer.put(new PutResult(HEADER, FOO));
        printer.delete(new DeleteResult(HEADER, 0, List.of()));
        printer.delete(new DeleteResult(HEADER, 1, List.of(FOO)));

        assertEquals(List.of(
            "{" + HEADER_JSON + "}",
            "{" + HEADER_JSON + ",\"prev_kv\":{\"key\":\"Zm9v\",\"create_revision\":2,\"mod_revision\":3," +
                "\"version\":2,\"value\":\"YmFy\"}}",
            "{" + HEADER_JSON + "}",
            "{" + HEADER_JSON + ",\"deleted\":1,\"prev_kvs\":[{\"key\":\"Zm9v\",\"create_revision\":2," +
                "\"mod_revision\":3,\"version\":2,\"value\":\"YmFy\"}]}"), lines());
    }

    @Test
    void shouldPrintTxnResponsesInGoOneofWrappersWithRevisionOnlyHeaders()
    {
        printer.txn(new TxnResult(HEADER, true, List.of(
            new PutResult(HEADER, null),
            new RangeResult(HEADER, List.of(FOO), 1, false),
            new DeleteResult(HEADER, 0, List.of()))), List.of());
        printer.txn(new TxnResult(HEADER, false, List.of()), List.of());

        assertEquals(List.of(
            "{" + HEADER_JSON + ",\"succeeded\":true,\"responses\":[" +
                "{\"Response\":{\"ResponsePut\":{\"header\":{\"revision\":42}}}}," +
                "{\"Response\":{\"ResponseRange\":{\"header\":{\"revision\":42},\"kvs\":[{\"key\":\"Zm9v\"," +
                "\"create_revision\":2,\"mod_revision\":3,\"version\":2,\"value\":\"YmFy\"}],\"count\":1}}}," +
                "{\"Response\":{\"ResponseDeleteRange\":{\"header\":{\"revision\":42}}}}]}",
            "{" + HEADER_JSON + "}"), lines());
    }

    @Test
    void shouldPrintLeaseVerbsAsClientv3StructsWithTheHeaderInline()
    {
        printer.leaseGrant(new LeaseGrantResult(HEADER, 6360105320349035029L, 100));
        printer.leaseRevoke(6360105320349035029L, new LeaseRevokeResult(HEADER));
        printer.leaseKeepAlive(new LeaseKeepAliveResult(HEADER, 6360105320349035029L, 100));
        printer.leaseTimeToLive(new LeaseTimeToLiveResult(HEADER, 31, 99, 100, List.of(bytes("lk"))), true);
        printer.leaseTimeToLive(new LeaseTimeToLiveResult(HEADER, 31, 99, 100, List.of(bytes("lk"))), false);
        printer.leaseTimeToLive(new LeaseTimeToLiveResult(HEADER, 31, -1, 0, List.of()), true);
        printer.leases(new LeaseListResult(HEADER, List.of(31L)));
        printer.leases(new LeaseListResult(HEADER, List.of()));
        printer.leaseKeepAliveEnded(31);

        assertEquals(List.of(
            "{" + HEADER_FIELDS + ",\"ID\":6360105320349035029,\"TTL\":100,\"Error\":\"\"}",
            "{" + HEADER_JSON + "}",
            "{" + HEADER_FIELDS + ",\"ID\":6360105320349035029,\"TTL\":100}",
            "{" + HEADER_FIELDS + ",\"id\":31,\"ttl\":99,\"granted-ttl\":100,\"keys\":[\"bGs=\"]}",
            "{" + HEADER_FIELDS + ",\"id\":31,\"ttl\":99,\"granted-ttl\":100,\"keys\":null}",
            "{" + HEADER_FIELDS + ",\"id\":31,\"ttl\":-1,\"granted-ttl\":0,\"keys\":null}",
            "{" + HEADER_FIELDS + ",\"leases\":[{\"id\":31}]}",
            "{" + HEADER_FIELDS + ",\"leases\":[]}"), lines());
    }


    @Test
    void shouldPrintAWatchResponseWithTheMembersHeader()
    {
        // Member 2, in leadership term 3, had committed revision 12 when it sent revision 3's events.
        final ResponseHeader member = new ResponseHeader(7, 2, 12, 3);
        printer.watchEvents(new WatchEvents(3, List.of(new WatchEvent(Change.Type.PUT, FOO, null)), member));
        printer.watchProgress(member);

        final String header = "{\"Header\":{\"cluster_id\":7,\"member_id\":2,\"revision\":12,\"raft_term\":3},";
        assertEquals(List.of(
            header + "\"Events\":[{\"kv\":{\"key\":\"Zm9v\",\"create_revision\":2,\"mod_revision\":3," +
                "\"version\":2,\"value\":\"YmFy\"}}],\"CompactRevision\":0,\"Canceled\":false,\"Created\":false}",
            header + "\"Events\":null,\"CompactRevision\":0,\"Canceled\":false,\"Created\":false}"), lines());
    }
    private List<String> lines()
    {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
