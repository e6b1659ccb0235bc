/**
 * JMH benchmarks of forkpool. Each class holds the measured variant and its in-process baseline,
 * so ratios come from one run. Build with {@code mvn -pl benchmarks package} and run with
 * {@code java -jar benchmarks/target/benchmarks.jar}; see {@code docs/BENCHMARKS.md}.
 */
package io.forkpool.benchmarks;
