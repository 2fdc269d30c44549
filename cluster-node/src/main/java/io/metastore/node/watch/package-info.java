/**
 * The reader side of a member: its read port, where clients open read sessions and watch ranges of keys. A thread of
 * its own ({@link io.metastore.node.watch.ReadPort}) follows the revisions the service commits, reading their changes
 * from the committed history ({@link io.metastore.node.storage.HistoryReader}), never through the log nor on the
 * service's thread, and sends each watch its events.
 */
package io.metastore.node.watch;
