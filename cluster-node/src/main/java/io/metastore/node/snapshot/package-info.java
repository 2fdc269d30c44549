/**
 * Snapshots: the whole state streamed as SBE records (begin, chunks of key-values, end) into the snapshot
 * publication, and loaded back into storage by any member, new ones included; the same records saved from a running
 * member to a client's file ({@code SnapshotSaver}) and restored from it into a new cluster's store; the schedule of
 * snapshots, and snapshots on request.
 */
package io.metastore.node.snapshot;
