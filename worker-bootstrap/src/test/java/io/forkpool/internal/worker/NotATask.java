package io.forkpool.internal.worker;

/** Has a public constructor but is not a Task; its static initializer must never run. */
public final class NotATask {

    /** Set by the initializer; kept outside this class so reading it does not initialize it. */
    static final java.util.concurrent.atomic.AtomicBoolean INITIALIZED = WorkerLoopTest.NOT_A_TASK_INITIALIZED;

    static {
        INITIALIZED.set(true);
    }

    /** Public no-argument constructor. */
    public NotATask() {
    }
}
