/** The worker side of the protocol: bootstrap, lifeline and the task loop. Internal. */
package io.forkpool.internal.worker;
