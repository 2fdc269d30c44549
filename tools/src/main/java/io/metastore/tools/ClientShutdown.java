package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import org.agrona.CloseHelper;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Closes a command's client, and so removes its embedded media driver's directory, when the JVM is stopped by
 * SIGINT or SIGTERM (Ctrl-C on {@code lease keep-alive}, a {@code kill}), which run shutdown hooks but not the
 * command's own {@code close}. Without it every stopped command left its driver directory, some 47 MB, behind.
 * <p>
 * The hook closes the client if it is connected, and interrupts the command's thread: still connecting, that stops
 * Aeron's connect and makes the client close the driver it started; connected, it ends a wait for what the closed
 * client will never deliver, as {@code lease keep-alive}'s for the loss of its lease (it took the whole 10 s before).
 * Either way it then waits,
 * up to {@link #RELEASE_TIMEOUT_MS}, for the command to let go of the client, since the JVM halts when the hook
 * returns. {@link #close()}, on the command's thread once the client is closed, removes the hook.
 */
final class ClientShutdown implements AutoCloseable
{
    /**
     * Longest the hook waits for the command to let go of its client.
     */
    static final long RELEASE_TIMEOUT_MS = 10_000;

    private static volatile boolean isStopping;

    private final Thread owner = Thread.currentThread();
    private final Thread hook = new Thread(this::onShutdown, "metastore-cli-shutdown");
    private final CountDownLatch released = new CountDownLatch(1);
    private MetaStoreClient client;
    private boolean isShuttingDown;

    private ClientShutdown()
    {
    }

    /**
     * Install the hook on the thread that will connect and use the client.
     *
     * @return the installed hook, to close once the client is closed.
     */
    static ClientShutdown install()
    {
        final ClientShutdown shutdown = new ClientShutdown();
        Runtime.getRuntime().addShutdownHook(shutdown.hook);

        return shutdown;
    }

    /**
     * The client is connected: the hook closes it from now on. If the JVM is already shutting down, close it now.
     *
     * @param client connected.
     */
    void connected(final MetaStoreClient client)
    {
        final boolean closeNow;
        synchronized (this)
        {
            this.client = client;
            closeNow = isShuttingDown;
        }
        if (closeNow)
        {
            client.close();
        }
    }

    /**
     * The command let go of its client, closed or never connected: remove the hook, or let it finish.
     */
    public void close()
    {
        released.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // The JVM is shutting down: the hook is running or has run.
        }
    }

    /**
     * @return true once the process is being stopped by a signal: a command failing then fails because of it.
     */
    static boolean isStopping()
    {
        return isStopping;
    }

    private void onShutdown()
    {
        isStopping = true;
        final MetaStoreClient connected;
        synchronized (this)
        {
            isShuttingDown = true;
            connected = client;
        }
        if (null != connected)
        {
            CloseHelper.quietClose(connected);
        }
        // Connecting, Aeron's connect stops; connected, a wait on something the closed client will never deliver
        // (the loss of a lease kept alive) ends.
        owner.interrupt();

        try
        {
            released.await(RELEASE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
