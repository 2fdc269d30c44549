/**
 * Threading helpers shared by the node and the client: how their agents wait when they have no work.
 */
package io.metastore.concurrent;
