/** Example tasks: prime counting by trial division, used by the demo, the benchmarks and tests. */
package io.forkpool.examples;
