package io.forkpool.runtime.internal;

/**
 * The pool's run state. Transitions only move forward:
 *
 * <pre>
 *   STARTING --all workers said hello--> RUNNING
 *   STARTING --a worker failed to start--> TERMINATED   (build() throws)
 *   RUNNING  --close()--> CLOSING       intake stopped; queued and running tasks finish; dead workers are replaced
 *   RUNNING  --closeNow()--> STOPPING
 *   CLOSING  --drained, close timeout, or closeNow()--> STOPPING   remaining tasks cancelled; workers stopped
 *   RUNNING / CLOSING --workers cannot start again (crash loop)--> FAILED   queued tasks fail; intake stopped
 *   FAILED   --close()/closeNow()--> STOPPING
 *   STOPPING --every worker exited--> TERMINATED
 * </pre>
 */
enum PoolState {
    STARTING, RUNNING, CLOSING, FAILED, STOPPING, TERMINATED;

    boolean acceptsTasks() {
        return this == RUNNING;
    }

    /** Whether dead workers are replaced in this state. */
    boolean restartsWorkers() {
        return this == RUNNING || this == CLOSING;
    }
}
