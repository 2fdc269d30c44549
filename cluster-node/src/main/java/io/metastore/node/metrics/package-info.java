/**
 * What a member counts and how it is read: MetaStore's Aeron counters (type ids 9000-9099, {@link
 * io.metastore.node.metrics.MetaStoreCounters}), and their rendering with the JVM's basics in Prometheus' text format
 * over HTTP. Depends on Aeron and Agrona only; the service and the read port bump the counters.
 */
package io.metastore.node.metrics;
