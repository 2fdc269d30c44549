/**
 * A member's recorded log, read offline: the entries as the archive recorded them ({@link RecordedLog}, through
 * Aeron's own archive, replayed into an embedded archive and media driver of this process), decoded with Aeron's
 * cluster codecs ({@link LogEntryReader}), and applied by the node's own service to rebuild the state the member held
 * at any point ({@link StateReplay}). What {@code metastore log dump} and {@code metastore log replay} run on.
 */
package io.metastore.node.replay;
