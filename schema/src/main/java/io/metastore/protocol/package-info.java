/**
 * Protocol facts shared by the node and the client that the SBE schema cannot express: framing of several
 * requests in one ingress message, the fixed offset of the correlation id, and etcd's key range conventions.
 */
package io.metastore.protocol;
