/**
 * {@code metastore log dump} and {@code metastore log replay}: a member's recorded log read offline, each request
 * decoded with MetaStore's SBE codecs, and the state at any point of it rebuilt by the node's own service.
 */
package io.metastore.tools.log;
