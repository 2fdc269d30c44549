package io.metastore.tools;

import io.metastore.client.AlarmMember;
import io.metastore.client.AlarmResult;
import io.metastore.client.MetaStoreClient;
import io.metastore.client.ResponseHeader;
import io.metastore.codecs.AlarmType;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The alarm verbs, as etcdctl 3.4 prints them: their printers alone, then against an in-process single node whose
 * alarms the test raises through the Java client, as a member's disk monitor does.
 */
@Timeout(60)
class AlarmCliTest
{
    private static final int BASE_PORT = 12725 + (int)(ProcessHandle.current().pid() % 9) * 100;
    private static final ResponseHeader HEADER = new ResponseHeader(7, 1, 42, 3);

    @TempDir
    static File dataDir;

    private static CliNode node;
    private static MetaStoreClient client;

    @BeforeAll
    static void startNode()
    {
        node = CliNode.start(BASE_PORT, dataDir);
        client = MetaStoreClient.connect(new MetaStoreClient.Context().endpoints("localhost:" + BASE_PORT));
    }

    @AfterAll
    static void stopNode()
    {
        CloseHelper.closeAll(client, node);
    }

    @AfterEach
    void disarmAndAssertNodeLoggedNoErrors()
    {
        client.alarmDisarm();
        node.assertNoErrors();
    }

    @Test
    void shouldPrintAlarmsAsEtcdctlSimpleOutput()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final SimplePrinter simple = new SimplePrinter(new PrintStream(out, true, StandardCharsets.UTF_8), false);

        simple.alarms(new AlarmResult(HEADER, List.of(
            new AlarmMember(0, AlarmType.NOSPACE), new AlarmMember(-1L, AlarmType.CORRUPT))));
        simple.alarms(new AlarmResult(HEADER, List.of()));

        assertEquals(List.of("memberID:0 alarm:NOSPACE", "memberID:18446744073709551615 alarm:CORRUPT"),
            out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void shouldPrintAlarmsAsEtcdctlJsonWithoutHeader()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final JsonPrinter json = new JsonPrinter(new PrintStream(out, true, StandardCharsets.UTF_8));
        json.alarms(new AlarmResult(HEADER, List.of(new AlarmMember(2, AlarmType.NOSPACE))));
        json.alarms(new AlarmResult(HEADER, List.of()));

        assertEquals(List.of("{\"alarms\":[{\"memberID\":2,\"alarm\":1}]}", "{}"),
            out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void shouldListNothingWhenNoAlarmIsActive()
    {
        final CliRun list = node.client("alarm", "list");

        assertEquals(0, list.exitCode(), list::toString);
        assertEquals("", list.out());
    }

    @Test
    void shouldListDisarmAndWriteAgain()
    {
        client.alarmActivate(0, AlarmType.NOSPACE);
        client.alarmActivate(2, AlarmType.NOSPACE);

        final CliRun list = node.client("alarm", "list");
        assertEquals(0, list.exitCode(), list::toString);
        assertEquals(List.of("memberID:0 alarm:NOSPACE", "memberID:2 alarm:NOSPACE"), list.outLines());

        final CliRun put = node.client("put", "alarm/k", "v");
        assertEquals(1, put.exitCode(), put::toString);
        assertEquals("", put.out());
        assertEquals("Error: NO_SPACE: etcdserver: mvcc: database space exceeded", put.err().strip());
        final CliRun get = node.client("get", "alarm/k", "--count-only");
        assertEquals(List.of("0"), get.outLines(), get::toString);

        final CliRun disarm = node.client("alarm", "disarm");
        assertEquals(0, disarm.exitCode(), disarm::toString);
        assertEquals(List.of("memberID:0 alarm:NOSPACE", "memberID:2 alarm:NOSPACE"), disarm.outLines());

        assertEquals("", node.client("alarm", "list").out());
        final CliRun putAgain = node.client("put", "alarm/k", "v");
        assertEquals(0, putAgain.exitCode(), putAgain::toString);
        assertEquals(List.of("OK"), putAgain.outLines());
    }

    @Test
    void shouldDisarmNothingWhenNoAlarmIsActive()
    {
        final CliRun disarm = node.client("alarm", "disarm");

        assertEquals(0, disarm.exitCode(), disarm::toString);
        assertEquals("", disarm.out());
    }

    @Test
    void shouldWriteAlarmListAsEtcdctlJsonWithoutHeader()
    {
        client.alarmActivate(1, AlarmType.NOSPACE);

        final CliRun list = node.client("alarm", "list", "-w", "json");

        assertEquals(0, list.exitCode(), list::toString);
        final Map<String, Object> json = TinyJson.object(TinyJson.parse(list.out()));
        assertFalse(json.containsKey("header"), json::toString);
        assertEquals(List.of(Map.of("memberID", 1L, "alarm", 1L)), json.get("alarms"));
    }
}
