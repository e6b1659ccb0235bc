package io.forkpool.internal.worker;

/** Names an overloaded method; its static initializer must never run. */
public final class Overloaded {

    /** Set by the initializer; kept outside this class so reading it does not initialize it. */
    static final java.util.concurrent.atomic.AtomicBoolean INITIALIZED = WorkerLoopTest.OVERLOADED_INITIALIZED;

    static {
        INITIALIZED.set(true);
    }

    private Overloaded() {
    }

    /**
     * @param n a number
     * @return it
     */
    public static int run(int n) {
        return n;
    }

    /**
     * @param text a text
     * @return it
     */
    public static String run(String text) {
        return text;
    }
}
