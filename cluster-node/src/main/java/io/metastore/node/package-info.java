/**
 * A MetaStore node: the launcher that runs the media driver, archive, consensus module and the clustered service
 * for one member of a static member list, and its configuration.
 */
package io.metastore.node;
