/**
 * The free space of a node's data directory: watched off the service thread, so that the cluster refuses writes
 * (the NOSPACE alarm, replicated through the log) before the disk fills, and the node stops cleanly before any of its
 * files, RocksDB's or Aeron's memory-mapped ones, meets a full file system half way through a write.
 */
package io.metastore.node.space;
