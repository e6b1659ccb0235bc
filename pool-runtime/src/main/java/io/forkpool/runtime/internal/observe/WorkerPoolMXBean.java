package io.forkpool.runtime.internal.observe;

import io.forkpool.LatencyStats;
import io.forkpool.PoolStats;
import io.forkpool.WorkerStats;
import java.util.List;
import java.util.Map;

/**
 * A pool's {@link PoolStats} as JMX attributes, for jconsole and other JMX clients; registered by
 * {@link PoolMBean} as {@code io.forkpool:type=WorkerPool,name=<pool name>}. Each attribute is
 * the {@code PoolStats} figure of the same name; clients see only open types (numbers, strings,
 * {@code CompositeData}, {@code TabularData}) and need none of forkpool's classes.
 *
 * <p>Public only because JMX introspects public interfaces; like the rest of this package it is
 * internal. The attribute names and item names are what JMX clients depend on.
 */
public interface WorkerPoolMXBean {

    /** @return the pool's name */
    String getName();

    /** @return tasks accepted since the pool started, each input of a batch counting once */
    long getSubmitted();

    /** @return tasks completed with an output */
    long getSucceeded();

    /** @return tasks completed with a task failure, a worker crash or a pool failure */
    long getFailed();

    /** @return tasks completed with a timeout */
    long getTimedOut();

    /** @return tasks completed with a cancellation */
    long getCancelled();

    /** @return tasks completed in any way: the sum of the four above */
    long getCompleted();

    /** @return attempts started again because a worker died running them */
    long getRetried();

    /** @return worker processes that crashed: the sum of {@link #getWorkerExits()} over the crash causes */
    long getCrashes();

    /** @return workers started to replace ones that died or were retired */
    long getWorkerRestarts();

    /** @return tasks waiting in the pool's queue for a worker */
    long getQueued();

    /** @return worker slots that have a running process */
    int getWorkersAlive();

    /** @return warm spares booted and idle, ready to take a worker's place */
    int getSparesReady();

    /** @return worker processes ended, by {@link io.forkpool.ExitCause} name; every cause is a key (a table in JMX) */
    Map<String, Long> getWorkerExits();

    /** @return one entry per worker slot, in worker-id order */
    List<Worker> getWorkers();

    /** @return from submit until the task was written to the worker that answered it, in nanoseconds */
    LatencyStats getQueueWait();

    /** @return how long each task was its worker's running task, in nanoseconds */
    LatencyStats getExecution();

    /** @return from submit until the task's reply was read, in nanoseconds */
    LatencyStats getRoundTrip();

    /**
     * One worker slot, as {@link WorkerStats} with every item an open type: the uptime in
     * milliseconds and the last exit cause's name, or an empty string if the slot's process never
     * ended. JMX maps a record to {@code CompositeData}, its component names as item names (since
     * JDK 17, JDK-8264124).
     *
     * @param workerId the slot's id within the pool, from 0
     * @param pid the current process's id, or -1 while none is running
     * @param state the current process's state, or {@code NONE} before the slot's first process
     * @param uptimeMillis how long the current process has been running; 0 while none is
     * @param tasksCompleted tasks the slot's processes have answered, over all its restarts
     * @param restarts how many times the slot's process was replaced
     * @param lastExitCause why the slot's previous process ended, or {@code ""} if none has
     * @param heapUsedBytes the heap in use that the worker last reported, or -1 before its first report
     */
    record Worker(int workerId, long pid, String state, long uptimeMillis, long tasksCompleted, int restarts,
            String lastExitCause, long heapUsedBytes) {

        /** @return the slot's figures in open types */
        static Worker of(WorkerStats worker) {
            return new Worker(worker.workerId(), worker.pid(), worker.state(), worker.uptime().toMillis(),
                    worker.tasksCompleted(), worker.restarts(), worker.lastExitCause().map(Enum::name).orElse(""),
                    worker.heapUsedBytes());
        }
    }
}
