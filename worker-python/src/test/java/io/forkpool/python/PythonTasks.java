package io.forkpool.python;

import io.forkpool.Task;

/**
 * Java names for tasks that only the Python worker runs ({@code src/test/python/it_tasks.py} maps
 * these binary names to Python functions). {@code submit} needs a {@link Task} class for its
 * name and its input and output types; the bodies never run.
 */
public final class PythonTasks {

    private PythonTasks() {
    }

    private static UnsupportedOperationException pythonOnly() {
        return new UnsupportedOperationException("runs in the Python worker only");
    }

    /** Raises {@code ValueError(input)}. */
    public static final class Raise implements Task<String, String> {
        @Override
        public String execute(String message) {
            throw pythonOnly();
        }
    }

    /** Keeps a core busy for the given seconds (a pure-Python loop), then returns the loop count. */
    public static final class Spin implements Task<Double, Long> {
        @Override
        public Long execute(Double seconds) {
            throw pythonOnly();
        }
    }

    /**
     * Arrives at the {@link io.forkpool.testsupport.Gate} its input names, then keeps a core busy
     * (a pure-Python loop) until the gate is released, for at most 600 s; returns the loop count.
     */
    public static final class SpinAtGate implements Task<String, Long> {
        @Override
        public Long execute(String gate) {
            throw pythonOnly();
        }
    }

    /** Ends its worker process at once with {@code os._exit(code)}. */
    public static final class Exit implements Task<Integer, Integer> {
        @Override
        public Integer execute(Integer code) {
            throw pythonOnly();
        }
    }

    /** Prints lines to stdout and stderr, then returns its input upper-cased. */
    public static final class Shout implements Task<String, String> {
        @Override
        public String execute(String text) {
            throw pythonOnly();
        }
    }

    /** Returns its worker's process id. */
    public static final class Pid implements Task<Integer, Long> {
        @Override
        public Long execute(Integer ignored) {
            throw pythonOnly();
        }
    }

    /** A name the Python worker does not know. */
    public static final class Unknown implements Task<String, String> {
        @Override
        public String execute(String input) {
            throw pythonOnly();
        }
    }
}
