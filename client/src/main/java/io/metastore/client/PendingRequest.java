package io.metastore.client;

import java.util.concurrent.CompletableFuture;

/**
 * A request waiting for its response: the future to complete, the response template it expects and its deadline.
 */
final class PendingRequest
{
    final long correlationId;
    final int responseTemplateId;
    final long deadlineNs;
    final CompletableFuture<Object> future;
    boolean isSent;

    PendingRequest(
        final long correlationId,
        final int responseTemplateId,
        final long deadlineNs,
        final CompletableFuture<Object> future)
    {
        this.correlationId = correlationId;
        this.responseTemplateId = responseTemplateId;
        this.deadlineNs = deadlineNs;
        this.future = future;
    }
}
