/**
 * The key-value state machine with etcd's semantics: revisions, put, range and delete-range. Plain Java: decoded
 * primitives and byte arrays in, results out through {@link io.metastore.node.kv.KvResponder}; no Aeron types.
 */
package io.metastore.node.kv;
