/**
 * The Java client of MetaStore: asynchronous and blocking put, range and delete over {@code AeronCluster}, many
 * requests in flight matched by correlation id, coalesced into one ingress message while the publication is busy.
 */
package io.metastore.client;
