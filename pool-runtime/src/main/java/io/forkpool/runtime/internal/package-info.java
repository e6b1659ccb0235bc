/**
 * Implementation of the supervisor: process launching, dispatch, worker lifecycles, restarts and
 * shutdown. Internal: no compatibility promise; application code uses {@code io.forkpool}.
 */
package io.forkpool.runtime.internal;
