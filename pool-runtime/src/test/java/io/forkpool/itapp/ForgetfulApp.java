package io.forkpool.itapp;

import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.HoldAtGate;

/**
 * An application that forgets {@code close()}: it submits four tasks that wait at a gate never
 * released to a pool of one worker, prints {@code SUBMITTED 4} and returns from {@code main}. The
 * shutdown hook closes the pool as the JVM exits, and must say what it cancelled.
 */
public final class ForgetfulApp {

    private ForgetfulApp() {
    }

    /**
     * Entry point.
     *
     * @param args the gate's directory
     */
    public static void main(String[] args) {
        WorkerPool pool = WorkerPool.builder().name("forgetful").workers(1).classDataCache(null).build();
        for (int i = 0; i < 4; i++) {
            pool.submit(HoldAtGate.class, args[0]);
        }
        System.out.println("SUBMITTED 4");
    }
}
