package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.util.ArrayList;
import java.util.List;

/** Keeps the given number of MiB reachable from a static field (a leak), returns the pid. */
public final class HoldMemory implements Task<Integer, Long> {

    private static final List<byte[]> LEAK = new ArrayList<>();

    @Override
    public Long execute(Integer mebibytes) {
        for (int i = 0; i < mebibytes; i++) {
            LEAK.add(new byte[1 << 20]);
        }
        return ProcessHandle.current().pid();
    }
}
