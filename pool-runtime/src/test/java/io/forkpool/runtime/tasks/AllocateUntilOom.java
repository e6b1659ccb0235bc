package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.util.ArrayList;
import java.util.List;

/** Allocates 1 MiB arrays and keeps them until the heap is exhausted. */
public final class AllocateUntilOom implements Task<Void, Integer> {

    @Override
    public Integer execute(Void ignored) {
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[128 * 1024]);
        }
    }
}
