package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Registers a shutdown hook that never returns, then burns CPU forever. */
public final class HangInShutdownHook implements Task<Void, Void> {

    @Override
    public Void execute(Void ignored) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    // keep hanging
                }
            }
        }));
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
