/**
 * {@link io.metastore.benchmarks.etcd.EtcdBench}: {@code metastore bench}'s workloads against etcd through jetcd, for
 * comparisons of the two stores in one sitting. Run it with
 * {@code java -cp benchmarks/target/metastore-benchmarks.jar io.metastore.benchmarks.etcd.EtcdBench --help}.
 */
package io.metastore.benchmarks.etcd;
