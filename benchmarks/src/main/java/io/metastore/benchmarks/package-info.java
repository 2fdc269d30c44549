/**
 * JMH micro-benchmarks that put numbers on MetaStore's design choices, starting with the encoding: one put request
 * encoded and decoded as SBE (the generated flyweight codecs) and as JSON (Jackson), in ns/op and in bytes.
 * <p>
 * Build with {@code mvn -pl benchmarks package} and run
 * {@code java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -jar benchmarks/target/metastore-benchmarks.jar};
 * {@link io.metastore.benchmarks.EncodedSizes} prints the encoded sizes.
 */
package io.metastore.benchmarks;
