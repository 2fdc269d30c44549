package io.metastore.tools.process;

import io.metastore.client.MetaStoreClient;
import io.metastore.client.MetaStoreException;
import io.metastore.client.WatchEvent;
import io.metastore.client.WatchEvents;
import io.metastore.client.WatchListener;
import io.metastore.client.WatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.metastore.test.Tests.await;
import static io.metastore.tools.process.ProcessTests.basePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A client given one follower's endpoint, as {@code --endpoints host:port watch k} is, watches through that follower;
 * when it dies the watch moves to the leader the client sends to, with no gap and no duplicate, rather than waiting
 * for that one member to come back.
 */
@Timeout(120)
class LoneEndpointWatchTest
{
    @TempDir
    File dir;

    @Test
    void shouldMoveTheWatchToTheLeaderWhenTheOneFollowerGivenDies()
    {
        try (ProcessCluster cluster = new ProcessCluster(3, dir, basePort(3)).start();
            MetaStoreClient writer = cluster.client())
        {
            final int leaderId = cluster.awaitLeader();
            final ServerProcess follower = cluster.members().stream()
                .filter((member) -> member.memberId() != leaderId)
                .findFirst()
                .orElseThrow();
            final List<String> seen = new CopyOnWriteArrayList<>();
            final List<MetaStoreException> ended = new CopyOnWriteArrayList<>();
            try (MetaStoreClient watcher = MetaStoreClient.connect(new MetaStoreClient.Context()
                .endpoints(follower.endpoint())
                .connectTimeout(ServerProcess.AWAIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .requestTimeout(10, TimeUnit.SECONDS)))
            {
                // From a revision, not from now: a watch from now may be made at the member after the first put.
                final long start = writer.put(bytes("other"), bytes("0")).header().revision() + 1;
                watcher.watch(bytes("k"), new WatchOptions().startRevision(start), new WatchListener()
                {
                    public void onEvents(final WatchEvents events)
                    {
                        for (final WatchEvent event : events.events())
                        {
                            seen.add(event.kv().valueUtf8());
                        }
                    }

                    public void onTerminated(final MetaStoreException reason)
                    {
                        ended.add(reason);
                    }
                });
                writer.put(bytes("k"), bytes("1"));
                await("the first event, through member " + follower.memberId(), () -> 1 == seen.size());
                assertEquals(follower.memberId(), watcher.watchMemberId(), "the member's own id");

                follower.kill();
                final List<String> expected = new ArrayList<>(List.of("1"));
                for (int i = 2; i <= 10; i++)
                {
                    writer.put(bytes("k"), bytes(Integer.toString(i)));
                    expected.add(Integer.toString(i));
                }

                await("every event, through the leader", () -> seen.size() >= expected.size());
                assertEquals(expected, seen);
                assertEquals(leaderId, watcher.watchMemberId());
                assertNull(ended.isEmpty() ? null : ended.get(0));
            }
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
