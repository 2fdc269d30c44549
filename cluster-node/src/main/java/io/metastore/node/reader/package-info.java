/**
 * The reader side of a member: its read port, where clients open read sessions, watch ranges of keys and read
 * serializably. A thread of its own ({@link io.metastore.node.reader.ReadPort}) follows the revisions the service
 * commits, reading their changes from the committed history ({@link io.metastore.node.storage.HistoryReader}), never
 * through the log nor on the service's thread, sends each watch its events, and answers reads from the committed
 * state.
 */
package io.metastore.node.reader;
