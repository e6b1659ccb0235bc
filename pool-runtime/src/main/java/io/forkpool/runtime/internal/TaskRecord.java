package io.forkpool.runtime.internal;

import java.util.concurrent.CompletableFuture;

/**
 * One submitted task: its id, its encoded input (kept so it can be sent again) and the future the
 * caller holds. Completing the future is the only way a task ends, and CompletableFuture makes the
 * first completion win, so a late reply can never overwrite a cancellation or a crash.
 */
final class TaskRecord {

    final long id;
    final TaskType type;
    final byte[] input;
    final CompletableFuture<Object> future = new CompletableFuture<>();

    TaskRecord(long id, TaskType type, byte[] input) {
        this.id = id;
        this.type = type;
        this.input = input;
    }

    @Override
    public String toString() {
        return "task " + id + " (" + type.name() + ")";
    }
}
