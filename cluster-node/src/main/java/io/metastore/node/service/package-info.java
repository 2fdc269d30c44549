/**
 * The Aeron glue: the clustered service that decodes ingress, drives the state machine, encodes and sends the
 * responses, marks the batch boundary and takes and loads snapshots.
 */
package io.metastore.node.service;
