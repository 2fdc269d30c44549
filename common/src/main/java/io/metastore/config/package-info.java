/**
 * Settings shared by the node and the client: checking the {@code -Dmetastore.*} system properties they are given.
 */
package io.metastore.config;
