package io.forkpool.runtime.internal.worker;

/**
 * What a worker driver reports, one way: the driver never reaches into the pool. Called on the
 * driver's own threads; an implementation must not block (hand work to the supervisor thread).
 */
public interface WorkerListener {

    /**
     * The worker said a valid hello and takes tasks.
     *
     * @param driver its driver
     */
    void ready(WorkerDriver driver);

    /**
     * The worker takes no more tasks and will stop once it has answered those it holds: start its
     * replacement now.
     *
     * @param driver its driver
     */
    void retiring(WorkerDriver driver);

    /**
     * The worker process has exited and every reply it wrote has been read; its exit report
     * ({@link #exited}) follows once what is left of its session has been killed, which can take
     * milliseconds. Its tasks are not settled yet, but its slot may take a new worker now.
     *
     * @param driver its driver
     */
    void gone(WorkerDriver driver);

    /**
     * The worker process has exited and every reply it wrote has been read. Called before the
     * driver shows {@link WorkerState#DEAD}, so that the exit can be counted first.
     *
     * @param exit how it ended, and the tasks it still held
     */
    void exited(WorkerExit exit);
}
