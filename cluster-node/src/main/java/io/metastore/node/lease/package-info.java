/**
 * Leases: ids, TTLs and deadlines on cluster time, the keys attached to each, and the timers that expire them. Plain
 * Java, no Aeron types: the state machine decides, {@link io.metastore.node.lease.LeaseTimers} asks the cluster to
 * call back at a deadline.
 */
package io.metastore.node.lease;
