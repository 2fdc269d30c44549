package io.metastore.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of a request, and of every stage chained on it: refuses to be waited for on the client's I/O thread.
 * <p>
 * Callbacks of a request run on the I/O thread, which is the only thread that can complete the request waited for,
 * so a wait there would never end and would stall every other caller, timeouts included. As Aeron refuses a reentrant
 * call from a callback, such a wait fails at once with a {@link MetaStoreException}; waiting anywhere else is as a
 * {@link CompletableFuture}. {@link #await()}, behind the blocking forms of {@link MetaStoreClient}, is also bounded.
 * <p>
 * The future a request method returns is the request's {@link PendingRequest} itself; stages chained on it are plain
 * client futures.
 *
 * @param <T> type of the result.
 */
class ClientFuture<T> extends CompletableFuture<T>
{
    private final ClientConductor conductor;
    private final long awaitTimeoutNs;

    /**
     * @param conductor      whose thread must not wait.
     * @param awaitTimeoutNs most a blocking form waits: the request timeout and a margin.
     */
    ClientFuture(final ClientConductor conductor, final long awaitTimeoutNs)
    {
        this.conductor = conductor;
        this.awaitTimeoutNs = awaitTimeoutNs;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture()
    {
        return new ClientFuture<>(conductor, awaitTimeoutNs);
    }

    /**
     * {@inheritDoc}
     *
     * @throws MetaStoreException at once if called on the client's I/O thread.
     */
    @Override
    public T get() throws InterruptedException, ExecutionException
    {
        checkNotOnIoThread();
        return super.get();
    }

    /**
     * {@inheritDoc}
     *
     * @throws MetaStoreException at once if called on the client's I/O thread.
     */
    @Override
    public T get(final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        checkNotOnIoThread();
        return super.get(timeout, unit);
    }

    /**
     * {@inheritDoc}
     *
     * @throws MetaStoreException at once if called on the client's I/O thread.
     */
    @Override
    public T join()
    {
        checkNotOnIoThread();
        return super.join();
    }

    /**
     * Wait at most the request timeout and a margin, by when the I/O thread has completed the request unless it is
     * stalled, and unwrap the failure.
     *
     * @return the result.
     * @throws MetaStoreException        if the request failed, or at once if called on the client's I/O thread.
     * @throws MetaStoreTimeoutException if the request is still not complete.
     */
    T await()
    {
        checkNotOnIoThread();
        try
        {
            return super.get(awaitTimeoutNs, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new MetaStoreTimeoutException(
                "not complete within the request timeout and a margin (" +
                TimeUnit.NANOSECONDS.toMillis(awaitTimeoutNs) + " ms): the client's I/O thread is stalled, " +
                "perhaps by a callback that blocks; request may or may not be applied");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new MetaStoreException(null, "interrupted");
        }
        catch (final ExecutionException ex)
        {
            throw MetaStoreClient.unwrap(ex);
        }
    }

    private void checkNotOnIoThread()
    {
        if (!isDone())
        {
            conductor.checkMayBlock();
        }
    }
}
