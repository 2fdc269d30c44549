/**
 * Alarms, as etcd has them: a replicated set of (member, alarm type) pairs raised and cleared through the log. While
 * a {@code NOSPACE} alarm is active the state machine refuses writes that would grow the store. Plain Java, no Aeron
 * types.
 */
package io.metastore.node.alarm;
