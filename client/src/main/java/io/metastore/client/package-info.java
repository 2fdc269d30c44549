/**
 * The Java client of MetaStore: asynchronous and blocking put, range and delete over {@code AeronCluster}, many
 * requests in flight matched by correlation id, coalesced into one ingress message while the publication is busy.
 * Leases (grant, revoke, keep-alive, time-to-live, list, and {@link io.metastore.client.LeaseKeepAlive} to keep
 * one alive) and transactions ({@link io.metastore.client.Txn} of {@link io.metastore.client.Compare}s and
 * {@link io.metastore.client.Op}s) as etcd's. Alarms as etcd's: list, activate, deactivate, disarm; a write refused
 * under a {@code NOSPACE} alarm fails with {@link io.metastore.client.NoSpaceException}.
 * <p>
 * Watches as etcd's ({@link io.metastore.client.Watch}, {@link io.metastore.client.WatchListener},
 * {@link io.metastore.client.WatchIterator}), served off the log by a member's read port through a read session
 * ({@code ReadSession}, the Aeron glue) that moves to another member when one is lost; {@code WatchConductor} keeps
 * each watch's state (no gap, no duplicate across members), and {@code WatchDelivery} its bounded queue to its
 * listener, run on an executor, never on the client's I/O thread.
 * <p>
 * Serializable ranges ({@link io.metastore.client.RangeOptions#serializable(boolean)}, etcd's) are answered by the
 * same member off the log, from its applied state and never older than the highest revision the client has seen
 * ({@code SeenRevision}): they take the request ring as every request does, and {@code SerializableReads} batches them
 * onto the read session and sends those not answered again when the session moves.
 */
package io.metastore.client;
