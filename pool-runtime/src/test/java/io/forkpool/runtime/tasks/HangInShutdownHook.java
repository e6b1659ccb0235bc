package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import io.forkpool.testsupport.Gate;

/**
 * Registers a shutdown hook that never returns, arrives at the {@link Gate} its input names (so
 * the test knows the hook is in place and the task runs), then burns CPU forever.
 */
public final class HangInShutdownHook implements Task<String, Void> {

    @Override
    public Void execute(String gate) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(60_000); // the stimulus: a hook that never returns
                } catch (InterruptedException e) {
                    // keep hanging
                }
            }
        }));
        Gate.arrive(gate);
        new Spin().execute(-1L);
        return null;
    }

    private static final class Spin {
        Long execute(Long ignored) {
            long n = 0;
            while (true) {
                n++;
                Thread.interrupted();
                if (n == Long.MIN_VALUE) {
                    return n;
                }
            }
        }
    }
}
