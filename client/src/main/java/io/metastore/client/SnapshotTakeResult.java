package io.metastore.client;

/**
 * A cluster snapshot taken on request ({@link MetaStoreClient#snapshotTake()}).
 *
 * @param memberId    the leader that took it.
 * @param logPosition log position of the snapshot: a restart replays the log from there.
 * @param snapshots   snapshots the leader has taken since it started.
 */
public record SnapshotTakeResult(int memberId, long logPosition, long snapshots)
{
}
