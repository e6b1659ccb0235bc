/**
 * The cluster pool's internals: the client-side dispatcher, the member-side runtime, the messages
 * between them and the Hazelcast configuration. Not an API: may change without notice.
 */
package io.forkpool.cluster.internal;
