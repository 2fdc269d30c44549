package io.metastore.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The member's metrics endpoint: {@code GET /metrics} answers with {@link PrometheusText}, read from the member's
 * media driver's counters and the JVM's management beans at each scrape. Any other path is 404, any other method
 * 405; a scrape that fails is a 500, never a failure of the node.
 * <p>
 * The JDK's HTTP server, its exchanges handled on one daemon thread of its own ({@code metastore-metrics}), beside
 * the server's own dispatcher thread: nothing here runs on, or waits for, a thread of the node.
 */
public final class MetricsHttpServer implements AutoCloseable
{
    /**
     * The one path served.
     */
    public static final String PATH = "/metrics";

    /**
     * Longest a close waits for a scrape under way: one takes milliseconds.
     */
    private static final long CLOSE_TIMEOUT_MS = 5000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountersReader counters;

    private MetricsHttpServer(final HttpServer server, final ExecutorService executor, final CountersReader counters)
    {
        this.server = server;
        this.executor = executor;
        this.counters = counters;
    }

    /**
     * Bind and serve.
     *
     * @param host     to bind to: loopback, unless the metrics are to be scraped from another host.
     * @param port     to bind to; 0 for any free port.
     * @param counters of the member's media driver.
     * @return the running endpoint.
     * @throws UncheckedIOException if the address cannot be bound.
     */
    public static MetricsHttpServer start(final String host, final int port, final CountersReader counters)
    {
        final HttpServer server;
        try
        {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("metrics endpoint on " + host + ":" + port + ": " + ex.getMessage(), ex);
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "metastore-metrics");
            thread.setDaemon(true);
            return thread;
        });
        final MetricsHttpServer metrics = new MetricsHttpServer(server, executor, counters);
        server.setExecutor(executor);
        server.createContext("/", metrics::handle);
        server.start();

        return metrics;
    }

    /**
     * @return the address bound.
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /**
     * Stop serving, and the thread with it, once a scrape under way has ended: the counters it reads are unmapped
     * when the node's Aeron client closes after this.
     */
    public void close()
    {
        try
        {
            server.stop(0);
        }
        finally
        {
            executor.shutdown();
            try
            {
                if (!executor.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    executor.shutdownNow();
                }
            }
            catch (final InterruptedException ex)
            {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String method = exchange.getRequestMethod();
            final boolean hasBody = !"HEAD".equals(method);
            if (!PATH.equals(exchange.getRequestURI().getPath()))
            {
                respond(exchange, 404, "not found: metrics are at " + PATH + "\n", hasBody);
            }
            else if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "method not allowed: " + method + "\n", hasBody);
            }
            else
            {
                final String text;
                try
                {
                    text = PrometheusText.render(counters);
                }
                catch (final RuntimeException ex)
                {
                    respond(exchange, 500, "metrics could not be read: " + ex + "\n", hasBody);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
                respond(exchange, 200, text, hasBody);
            }
        }
    }

    private static void respond(
        final HttpExchange exchange, final int status, final String body, final boolean hasBody) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type"))
        {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        if (hasBody)
        {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        else
        {
            exchange.sendResponseHeaders(status, -1);
        }
    }
}
