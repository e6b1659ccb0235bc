package io.forkpool.runtime.internal.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * What happens to each task a dead worker held: a pure function of the facts, so that the rule at
 * the heart of "never lose a task" is tested exhaustively without a process ({@code OrphanFatesTest}).
 * {@link TaskLedger#settle} applies it.
 *
 * <p>The rule. A worker runs its tasks one at a time in the order they were written, and writes
 * every reply of a finished task before it starts the next one (docs/PROTOCOL.md), and the
 * supervisor reads every reply a dead worker wrote before it settles the rest. So of the tasks
 * still held, the first is the one that was running, and the others never started:
 * <ul>
 *   <li>a task already completed (timed out, cancelled) is left alone;</li>
 *   <li>if the pool no longer runs tasks (closing for good, failed), every other one is abandoned;</li>
 *   <li>the running one, if the worker crashed, used up an attempt: it is retried alone (a chunk
 *       is split, each of its inputs alone, so one poisonous input is told apart from its
 *       neighbours) while it has attempts left; after its last it fails, with the crash when it
 *       had one attempt, as a poison task when it had several;</li>
 *   <li>everything else, including the running task of a worker the pool itself ended (retired,
 *       stopped, killed for a timeout: the task's own outcome was already decided), goes back to
 *       the head of the queue free, in its order.</li>
 * </ul>
 * A task can therefore run more than once only when its worker died while it ran; then it runs
 * at most {@code maxAttempts} times in all.
 */
public final class OrphanFates {

    /** What becomes of one orphan. */
    public enum Fate {
        /** Its future is complete already: nothing to do. */
        SETTLED,
        /** The pool no longer runs tasks: cancelled, or failed with the pool's failure. */
        ABANDON,
        /** Back to the head of the queue, its attempt unchanged. */
        REQUEUE,
        /** It crashed its worker and has attempts left: its next attempt, alone. */
        RETRY_ALONE,
        /** It crashed its worker on its only attempt: fails with the crash. */
        FAIL_CRASHED,
        /** It crashed its worker on each of its attempts: fails as a poison task. */
        FAIL_POISON
    }

    /**
     * The facts about one orphan.
     *
     * @param done whether its future is complete
     * @param crashes how many of its attempts killed their worker before this death
     * @param maxAttempts how many attempts it may have
     */
    public record Orphan(boolean done, int crashes, int maxAttempts) {
    }

    private OrphanFates() {
    }

    /**
     * @param orphans the tasks the worker held, in the order they were written (the running one first)
     * @param crashed whether the worker died on its own (a crash, not an end the pool chose)
     * @param poolRunsTasks whether the pool still runs tasks (running, or closing gracefully)
     * @return one fate per orphan, in the same order
     */
    public static List<Fate> decide(List<Orphan> orphans, boolean crashed, boolean poolRunsTasks) {
        List<Fate> fates = new ArrayList<>(orphans.size());
        for (int i = 0; i < orphans.size(); i++) {
            Orphan orphan = orphans.get(i);
            if (orphan.done()) {
                fates.add(Fate.SETTLED);
            } else if (!poolRunsTasks) {
                fates.add(Fate.ABANDON);
            } else if (i == 0 && crashed) {
                fates.add(orphan.crashes() + 1 < orphan.maxAttempts() ? Fate.RETRY_ALONE
                        : orphan.maxAttempts() == 1 ? Fate.FAIL_CRASHED : Fate.FAIL_POISON);
            } else {
                fates.add(Fate.REQUEUE);
            }
        }
        return fates;
    }
}
