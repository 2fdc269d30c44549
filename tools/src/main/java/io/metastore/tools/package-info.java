/**
 * The {@code metastore} command line: {@code server} runs a node, and the etcdctl-style verbs {@code put},
 * {@code get}, {@code del}, {@code txn} and {@code lease ...} talk to a running cluster through the Java client and
 * print its answers as text or JSON.
 */
package io.metastore.tools;
