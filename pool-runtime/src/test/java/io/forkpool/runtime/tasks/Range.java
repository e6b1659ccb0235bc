package io.forkpool.runtime.tasks;

/** A half-open range of numbers [from, to). */
public record Range(long from, long to) {
}
