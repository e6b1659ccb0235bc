package io.forkpool.runtime.internal.worker;

import io.forkpool.runtime.internal.ledger.TaskRecord;
import io.forkpool.runtime.internal.ledger.TaskType;
import static org.assertj.core.api.Assertions.assertThat;

import io.forkpool.runtime.tasks.Echo;
import io.forkpool.internal.protocol.Messages;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightTasksTest {

    private static final TaskType ECHO = TaskType.of(Echo.class, Messages.newDataMapper(1 << 20));
    private final List<Long> started = new ArrayList<>();
    private final ArrayDeque<TaskRecord> queue = new ArrayDeque<>();

    private static TaskRecord task(long id) {
        return new TaskRecord(id, ECHO, new byte[0], 3, null);
    }

    private InFlightTasks inFlight(long maxTasks) {
        return new InFlightTasks(maxTasks, task -> started.add(task.id()), System::nanoTime);
    }

    @Test
    void theFirstTaskWrittenIsTheRunningOneAndTheNextStartsWhenItIsAnswered() {
        InFlightTasks tasks = inFlight(0);
        List<TaskRecord> batch = new ArrayList<>(List.of(task(1), task(2)));
        assertThat(tasks.admit(batch, queue::addFirst)).isEqualTo(InFlightTasks.Admission.OPEN);
        assertThat(batch).extracting(TaskRecord::id).containsExactly(1L, 2L);
        assertThat(started).containsExactly(1L);
        assertThat(tasks.runningNanos(batch.get(0), System.nanoTime())).isNotNegative();
        assertThat(tasks.runningNanos(batch.get(1), System.nanoTime())).isEqualTo(-1);
        TaskRecord first = tasks.answer(1);
        assertThat(first.id()).isEqualTo(1);
        assertThat(first.serviceNanos()).isNotNegative();
        assertThat(started).containsExactly(1L, 2L);
        assertThat(tasks.answer(1)).isNull(); // answered twice: not held any more
        assertThat(tasks.answer(2).id()).isEqualTo(2);
        assertThat(tasks.isEmpty()).isTrue();
    }

    @Test
    void aTaskAnsweredBeforeItBecameTheRunningOneHasNoServiceTime() {
        InFlightTasks tasks = inFlight(0);
        tasks.admit(new ArrayList<>(List.of(task(1), task(2))), queue::addFirst);
        assertThat(tasks.answer(2).serviceNanos()).isEqualTo(-1); // e.g. cancelled while waiting
        assertThat(tasks.answer(1).serviceNanos()).isNotNegative();
    }

    @Test
    void dropsTasksCancelledWhileQueued() {
        InFlightTasks tasks = inFlight(0);
        TaskRecord cancelled = task(1);
        cancelled.future.cancel(true);
        List<TaskRecord> batch = new ArrayList<>(List.of(cancelled, task(2)));
        assertThat(tasks.admit(batch, queue::addFirst)).isEqualTo(InFlightTasks.Admission.OPEN);
        assertThat(batch).extracting(TaskRecord::id).containsExactly(2L);
        assertThat(tasks.holds(cancelled)).isFalse();
    }

    @Test
    void neverTakesMoreThanTheTaskLimitAndPutsTheRestBackInOrder() {
        InFlightTasks tasks = inFlight(3);
        queue.add(task(9));
        List<TaskRecord> batch = new ArrayList<>(List.of(task(1), task(2)));
        assertThat(tasks.admit(batch, queue::addFirst)).isEqualTo(InFlightTasks.Admission.OPEN);
        batch = new ArrayList<>(List.of(task(3), task(4), task(5)));
        assertThat(tasks.admit(batch, queue::addFirst)).isEqualTo(InFlightTasks.Admission.FULL);
        assertThat(batch).extracting(TaskRecord::id).containsExactly(3L);
        assertThat(queue).extracting(TaskRecord::id).containsExactly(4L, 5L, 9L);
    }

    @Test
    void afterClosingItPutsBatchesBackAndHandsOverWhatItHeldRunningFirst() {
        InFlightTasks tasks = inFlight(0);
        List<TaskRecord> batch = new ArrayList<>(List.of(task(1), task(2)));
        tasks.admit(batch, queue::addFirst);
        assertThat(tasks.close()).extracting(TaskRecord::id).containsExactly(1L, 2L);
        List<TaskRecord> late = new ArrayList<>(List.of(task(3)));
        assertThat(tasks.admit(late, queue::addFirst)).isEqualTo(InFlightTasks.Admission.CLOSED);
        assertThat(queue).extracting(TaskRecord::id).containsExactly(3L);
        assertThat(tasks.isEmpty()).isTrue();
    }
}
