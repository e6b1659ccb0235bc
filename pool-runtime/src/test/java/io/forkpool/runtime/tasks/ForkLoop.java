package io.forkpool.runtime.tasks;

import io.forkpool.Task;
import java.io.IOException;
import java.util.List;

/**
 * Starts two shells that fork as fast as they can, and returns while they do: one forks sleeps
 * that stay its children, the other double-forks them (each is re-parented away from the tree at
 * once). Each forks at most {@value #MAX_FORKS} sleeps of {@code 1000.<tag>} seconds, so the test
 * can find them and the machine is never exhausted; the second then forks short-lived children
 * (which exit at once) until it is killed. Returns the two shells' pids: the second is forking for
 * as long as it lives.
 */
public final class ForkLoop implements Task<String, List<Long>> {

    /** The most sleeps each shell forks. */
    public static final int MAX_FORKS = 500;

    private static final String DIRECT = "i=0; while [ $i -lt $2 ]; do sleep \"$1\" & i=$((i+1)); done; wait";
    /** Double-forks its sleeps, then keeps forking short-lived children until it is killed. */
    private static final String DOUBLE = "i=0; while [ $i -lt $2 ]; do (sleep \"$1\" &); i=$((i+1)); done;"
            + " while :; do (true &); done";

    @Override
    public List<Long> execute(String sleep) throws IOException {
        // Constant shell texts; the duration and the count are positional parameters.
        List<Long> shells = new java.util.ArrayList<>();
        for (String script : List.of(DIRECT, DOUBLE)) {
            shells.add(new ProcessBuilder("sh", "-c", script, "sh", sleep, Integer.toString(MAX_FORKS)).start().pid());
        }
        return shells;
    }
}
