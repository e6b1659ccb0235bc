package io.forkpool.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.BatchProgress;
import io.forkpool.ProgressListener;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskOptions;
import io.forkpool.WorkerPool;
import io.forkpool.runtime.tasks.Pid;
import io.forkpool.runtime.tasks.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Batch progress reports at a bounded rate, and the streaming batch call. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProgressAndStreamingIT {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private WorkerPool pool;

    @BeforeAll
    void startPool() {
        pool = WorkerPool.builder().name("progress").workers(2).build();
    }

    @AfterAll
    void closePool() {
        pool.close();
    }

    @Test
    void progressIsReportedAtMostOncePerIntervalOneAtATimeAndEndsWithOneFinalReport() throws Exception {
        int total = 1_500; // 1 ms each on 2 workers: about a second, a few thousand completions
        List<BatchProgress> reports = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean inside = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicReference<CompletableFuture<List<Long>>> batch = new AtomicReference<>();
        AtomicBoolean doneBeforeFinalReport = new AtomicBoolean();
        ProgressListener listener = ProgressListener.every(INTERVAL, p -> {
            if (!inside.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            if (p.finished() && batch.get() != null && batch.get().isDone()) {
                doneBeforeFinalReport.set(true);
            }
            reports.add(p);
            inside.set(false);
        });
        List<Integer> inputs = Collections.nCopies(total, 1);
        batch.set(pool.submitAll(Pid.class, inputs, TaskOptions.DEFAULT, listener));
        assertThat(batch.get().get(60, TimeUnit.SECONDS)).hasSize(total);

        List<BatchProgress> all = List.copyOf(reports);
        System.out.println("progress: " + all.size() + " reports over " + all.get(all.size() - 1).elapsed());
        BatchProgress last = all.get(all.size() - 1);
        assertThat(last.finished()).isTrue();
        assertThat(last.done()).isEqualTo(total);
        assertThat(last.total()).isEqualTo(total);
        assertThat(last.failed()).isZero();
        assertThat(all.subList(0, all.size() - 1)).noneMatch(BatchProgress::finished);
        assertThat(doneBeforeFinalReport).isFalse();
        assertThat(overlaps).hasValue(0);
        List<BatchProgress> periodic = all.subList(0, all.size() - 1);
        assertThat(periodic).hasSizeGreaterThanOrEqualTo(3); // the run lasts well over 3 intervals
        long previous = 0;
        long previousDone = 0;
        for (BatchProgress report : periodic) {
            long elapsed = report.elapsed().toNanos();
            assertThat(elapsed - previous).isGreaterThanOrEqualTo(INTERVAL.toNanos()); // the rate bound
            assertThat(report.done()).isBetween(previousDone, (long) total);
            assertThat(report.total()).isEqualTo(total);
            previous = elapsed;
            previousDone = report.done();
        }
        assertThat((long) periodic.size()).isLessThanOrEqualTo(last.elapsed().toNanos() / INTERVAL.toNanos());
    }

    @Test
    void aListenerThatThrowsIsDroppedAndTheBatchStillSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<long[]> outputs = pool.invokeAll(Probe.class, LongStream.range(0, 2_000).boxed().toList(),
                TaskOptions.DEFAULT, ProgressListener.every(Duration.ofNanos(1), p -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                }));
        assertThat(outputs).hasSize(2_000);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailedBatchReportsItsFailureBeforeItsFutureFails() {
        List<BatchProgress> reports = Collections.synchronizedList(new ArrayList<>());
        List<Long> inputs = List.of(1L, 2L, -3L, 4L);
        CompletableFuture<List<long[]>> batch = pool.submitAll(Probe.class, inputs, TaskOptions.DEFAULT,
                reports::add);
        assertThatThrownBy(batch::join).hasCauseInstanceOf(TaskFailedException.class);
        BatchProgress last = reports.get(reports.size() - 1);
        assertThat(last.finished()).isTrue();
        assertThat(last.failed()).isEqualTo(1);
        assertThat(last.total()).isEqualTo(4);
    }

    @Test
    void streamingHandsOverEveryOutputOnceWithItsIndex() throws Exception {
        int total = 20_000;
        ConcurrentHashMap<Integer, Long> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        CompletableFuture<Void> done = pool.submitAllStreaming(Probe.class,
                LongStream.range(0, total).boxed().toList(), TaskOptions.DEFAULT, ProgressListener.NONE,
                (index, output) -> {
                    if (seen.put(index, output[0]) != null) {
                        duplicates.incrementAndGet();
                    }
                });
        assertThat(done.get(60, TimeUnit.SECONDS)).isNull();
        assertThat(duplicates).hasValue(0);
        assertThat(seen).hasSize(total);
        seen.forEach((index, input) -> assertThat(input).isEqualTo((long) index));
    }

    @Test
    void streamingFailsFastWithTheFailingInputsIndex() {
        CompletableFuture<Void> done = pool.submitAllStreaming(Probe.class, List.of(0L, 1L, -3L), TaskOptions.DEFAULT,
                ProgressListener.NONE, (index, output) -> { });
        assertThatThrownBy(done::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.inputIndex()).isEqualTo(2));
    }

    @Test
    void cancellingAStreamCancelsItsTasksAndHandsNothingMoreOver() throws Exception {
        long cancelledBefore = pool.stats().cancelled();
        AtomicInteger handed = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        CompletableFuture<Void> done = pool.submitAllStreaming(Pid.class, Collections.nCopies(40, 200),
                TaskOptions.DEFAULT, ProgressListener.NONE, (index, pid) -> {
                    handed.incrementAndGet();
                    first.countDown();
                });
        assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(done.cancel(true)).isTrue();
        int atCancel = handed.get();
        // 40 sleeps of 0.2 s on 2 workers would take 4 s; cancelled, the pool is free at once.
        assertThat(pool.submit(Pid.class, 0).get(30, TimeUnit.SECONDS)).isPositive();
        // Not a guess that something started: the window in which a late hand-over would show.
        // Nothing signals that one will never come; a slower one could only make this pass wrongly.
        Thread.sleep(500);
        assertThat(handed.get()).isLessThanOrEqualTo(atCancel + 2); // at most what was already being handed over
        assertThat(pool.stats().cancelled() - cancelledBefore).isGreaterThanOrEqualTo(40 - atCancel - 2L);
    }

    @Test
    void aHandlerThatThrowsFailsTheStreamWithItsException() {
        IllegalStateException bug = new IllegalStateException("handler bug");
        CompletableFuture<Void> done = pool.submitAllStreaming(Probe.class, LongStream.range(0, 100).boxed().toList(),
                TaskOptions.DEFAULT, ProgressListener.NONE, (index, output) -> {
                    throw bug;
                });
        assertThatThrownBy(done::join).isInstanceOf(CompletionException.class).cause().isSameAs(bug);
    }
}
