/**
 * RocksDB storage of the materialised state: the key-value column family, the history in revision order with its
 * index by key in memory, the applied log position and revision written atomically with the data, and the write
 * batch that collects one poll of the log.
 */
package io.metastore.node.storage;
