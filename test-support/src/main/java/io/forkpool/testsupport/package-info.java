/**
 * What forkpool's tests share across modules, so that each is written once: {@link
 * io.forkpool.testsupport.ChildJvm} (the command line of a child JVM), {@link
 * io.forkpool.testsupport.ChildProcess} (a child process with its output in files), {@link
 * io.forkpool.testsupport.Processes} (facts and assertions about real processes), {@link
 * io.forkpool.testsupport.Gate} (the "task started / let it finish" gate that replaces sleeps),
 * {@link io.forkpool.testsupport.Await} (a condition polled with a deadline) and {@link
 * io.forkpool.testsupport.ClusterNode} (a real cluster node process). The JDK only: tests
 * use it with test scope, and the worker JVMs they start see it on the tests' class path.
 */
package io.forkpool.testsupport;
