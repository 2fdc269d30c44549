package io.metastore.client;

import java.util.List;

/**
 * Result of a read of changes: whole revisions, in revision order, each revision's changes in the order applied.
 *
 * @param header          of the response; its revision is the store's current one.
 * @param compactRevision of the store: changes at or below it are no longer kept.
 * @param nextRevision    the first revision not read: read again from it for more, once it is not above the
 *                        revision asked for last.
 * @param changes         read.
 */
public record ChangesResult(ResponseHeader header, long compactRevision, long nextRevision, List<Change> changes)
{
}
