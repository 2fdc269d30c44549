/**
 * {@code metastore bench}: drives the real client against an embedded or running cluster and reports
 * throughput and HdrHistogram latency percentiles, with latency measured from each request's intended send time
 * in rate mode.
 */
package io.metastore.tools.bench;
