/** The main class of a forkpool worker JVM, started by the supervisor. */
package io.forkpool.worker;
