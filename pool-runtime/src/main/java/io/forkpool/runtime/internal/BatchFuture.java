package io.forkpool.runtime.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Combines a batch's task futures into one future of the outputs in input order. It fails fast:
 * the first failure completes it, and once it is decided exceptionally (a failure, or the caller
 * cancelled it) the tasks not yet complete are cancelled.
 */
final class BatchFuture {

    private BatchFuture() {
    }

    static <O> CompletableFuture<List<O>> of(List<TaskRecord> tasks) {
        CompletableFuture<List<O>> all = new CompletableFuture<>();
        Object[] outputs = new Object[tasks.size()];
        AtomicInteger remaining = new AtomicInteger(tasks.size());
        if (tasks.isEmpty()) {
            all.complete(List.of());
        }
        for (int i = 0; i < tasks.size(); i++) {
            int index = i;
            tasks.get(i).future.whenComplete((output, error) -> {
                if (error != null) {
                    all.completeExceptionally(error);
                } else {
                    outputs[index] = output;
                    if (remaining.decrementAndGet() == 0) {
                        @SuppressWarnings("unchecked")
                        List<O> list = (List<O>) Arrays.asList(outputs);
                        all.complete(list);
                    }
                }
            });
        }
        all.whenComplete((list, error) -> {
            if (error != null) {
                for (TaskRecord task : tasks) {
                    task.future.cancel(true);
                }
            }
        });
        return all;
    }
}
