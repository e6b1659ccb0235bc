/**
 * Real worker processes ({@link WorkerLauncher}): their command line, the private Unix socket
 * directory and token, signals to a worker's whole process tree, and the AppCDS archive workers
 * start from. It implements the interfaces a worker driver spawns through
 * ({@code WorkerSpawner}, {@code WorkerLink}), and imports nothing of the pool but
 * {@code internal.worker}. Internal: no compatibility promise.
 */
package io.forkpool.runtime.internal.launch;
