/**
 * Snapshots: the whole state streamed as SBE records (begin, chunks of key-values, end) into the snapshot
 * publication, and loaded back into storage by any member, new ones included.
 */
package io.metastore.node.snapshot;
