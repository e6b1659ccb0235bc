package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What a large backlog costs the supervisor's heap: a pool of two workers is handed
 * {@code count} (default 1,000,000) {@link NoOp} tasks one by one as fast as one thread can call
 * {@code submit}, without waiting, so nearly all of them sit in the pool's queue at once (submit
 * only encodes and queues; the workers get through far fewer tasks per second). Not a JMH
 * benchmark: the figure of interest is one heap measurement at the peak of the backlog, and
 * whether a given {@code -Xmx} survives it at all.
 *
 * <p>It measures the heap used after {@code System.gc()} with the pool started and idle, then again
 * right after the last {@code submit} returned, and divides the difference by the tasks still
 * outstanding at that moment. The difference also holds the completed futures and their
 * {@code Integer} outputs (a few tens of bytes each), so the bytes per queued task are a slight
 * overestimate. The list of futures is allocated at full size before the first measurement: it
 * is the caller's bookkeeping (4 bytes a task with compressed references), not the pool's. Then
 * it waits for every future and checks that each output equals its input.
 *
 * <p>Prints one line: tasks submitted, tasks still outstanding when the heap was measured, heap used
 * after submitting (MiB, after a GC), bytes per queued task, seconds to submit, seconds until all
 * completed, and tasks per second overall. Exits 0 if every output was right, 1 otherwise,
 * including on {@code OutOfMemoryError} (the workers are killed first).
 *
 * <p>What to expect: the pool holds per queued task a {@code TaskRecord}, its encoded input, its
 * future, the future's completion callback (a second future, its node and a lambda), an empty
 * list for crash reports and a queue node: about 250 bytes, so a million queued tasks take about
 * 240 MiB, which fits in 512 MiB and only just in 256 MiB. Submitting is much faster than
 * completing, so nearly all tasks are still queued when the heap is measured.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}):
 * <pre>
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar io.forkpool.benchmarks.QueuedTasksMemory 1000000
 * </pre>
 */
public final class QueuedTasksMemory {

    private static final double MIB = 1024.0 * 1024.0;

    private QueuedTasksMemory() {
    }

    /**
     * Runs the measurement.
     *
     * @param args the number of tasks, default 1,000,000
     */
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        WorkerPool pool = WorkerPool.builder().name("queued-memory").workers(2).build();
        int exitCode = 1;
        try {
            check(pool.submit(NoOp.class, -1).join(), -1); // the workers' class loading, not timed
            List<CompletableFuture<Integer>> futures = new ArrayList<>(count); // its array allocated now
            long baseline = usedAfterGc(memory);

            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(NoOp.class, i));
            }
            long submitted = System.nanoTime();
            // Counted before the GC: what completes during it is still held as queued by then.
            long outstanding = count - completed(futures);
            long afterSubmit = usedAfterGc(memory);

            for (int i = 0; i < count; i++) {
                check(futures.get(i).join(), i);
            }
            long done = System.nanoTime();

            double bytesPerTask = outstanding == 0 ? Double.NaN : (double) (afterSubmit - baseline) / outstanding;
            System.out.printf(Locale.ROOT,
                    "submitted %d, outstanding at measurement %d, heap after submit %.1f MiB (idle pool %.1f MiB,"
                            + " max %.0f MiB), %.0f bytes per queued task, submit %.2f s, all done %.2f s,"
                            + " %.0f tasks/s%n",
                    count, outstanding, afterSubmit / MIB, baseline / MIB, Runtime.getRuntime().maxMemory() / MIB,
                    bytesPerTask, (submitted - start) / 1e9, (done - start) / 1e9, count / ((done - start) / 1e9));
            exitCode = 0;
        } catch (OutOfMemoryError e) {
            // Nothing more can be trusted in this JVM: kill the workers and say so.
            pool.closeNow();
            System.out.println("OutOfMemoryError with " + count + " tasks, max heap "
                    + Math.round(Runtime.getRuntime().maxMemory() / MIB) + " MiB: " + e.getMessage());
        } finally {
            pool.close(); // idempotent; after closeNow() it returns at once
        }
        System.exit(exitCode);
    }

    private static long completed(List<CompletableFuture<Integer>> futures) {
        long completed = 0;
        for (CompletableFuture<Integer> future : futures) {
            if (future.isDone()) {
                completed++;
            }
        }
        return completed;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        // Twice: the first collection can leave garbage that only a second one frees (finalizable
        // or softly reachable objects, objects promoted in the first).
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void check(Integer output, int expected) {
        if (output == null || output != expected) {
            throw new IllegalStateException("NoOp returned " + output + ", expected " + expected);
        }
    }
}
