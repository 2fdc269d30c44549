package io.metastore.node.metrics;

import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics endpoint over HTTP: the text on GET /metrics, and bad requests answered, never a failure.
 */
class MetricsHttpServerTest
{
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountersManager counters = MetaStoreCounters.inMemoryCounters();
    private MetricsHttpServer server;

    @AfterEach
    void after()
    {
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldServeTheCountersOnGetAndRefuseOtherPathsAndMethods() throws Exception
    {
        MetaStoreCounters.newCounter(counters::newCounter, MetaStoreCounters.COMMITTED_REVISION_TYPE_ID).set(17);
        server = MetricsHttpServer.start("127.0.0.1", 0, counters);

        final HttpResponse<String> metrics = send(HttpRequest.newBuilder(uri("/metrics")).GET());
        assertEquals(200, metrics.statusCode());
        assertEquals(PrometheusText.CONTENT_TYPE, metrics.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(metrics.body().contains("\nmetastore_committed_revision 17\n"), metrics.body());

        assertEquals(404, send(HttpRequest.newBuilder(uri("/"))).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(uri("/metrics/x"))).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(uri("/metricsx?a=b"))).statusCode());
        final HttpResponse<String> post =
            send(HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.ofString("x=1")));
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, send(HttpRequest.newBuilder(uri("/metrics")).DELETE()).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(uri("/metrics?name=x")).GET()).statusCode());

        final HttpResponse<String> head =
            send(HttpRequest.newBuilder(uri("/metrics")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());

        // Still serving after all that.
        assertEquals(200, send(HttpRequest.newBuilder(uri("/metrics"))).statusCode());
    }

    @Test
    void shouldRefuseToStartOnAPortInUseNamingIt()
    {
        server = MetricsHttpServer.start("127.0.0.1", 0, counters);
        final int port = server.address().getPort();

        final UncheckedIOException ex =
            assertThrows(UncheckedIOException.class, () -> MetricsHttpServer.start("127.0.0.1", port, counters));
        assertTrue(ex.getMessage().startsWith("metrics endpoint on 127.0.0.1:" + port + ": "), ex.getMessage());
    }

    private URI uri(final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) throws Exception
    {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
