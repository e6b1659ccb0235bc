package io.forkpool.runtime.internal.fake;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.forkpool.Task;
import io.forkpool.TaskContext;
import io.forkpool.runtime.internal.ledger.CodecTasks;

/** Task classes for pools of {@link FakeWorker}s; they run in this JVM, in the fake's worker loop. */
public final class FakeTasks {

    private FakeTasks() {
    }

    /** Returns its input. */
    public static final class Echo implements Task<String, String> {
        @Override
        public String execute(String input) {
            return input;
        }
    }

    /** Returns the pid of the fake worker it runs on. */
    public static final class WorkerPid implements Task<String, Long> {
        @Override
        public Long execute(String input) {
            return FakeWorker.current().pid();
        }
    }

    /** Arrives at the gate named by its input and waits there; a cancellation interrupts the wait. */
    public static final class AwaitGate implements Task<String, String> {
        @Override
        public String execute(String gate) throws Exception {
            Gates.named(gate).pass(true);
            return gate;
        }
    }

    /** Arrives at the gate named by its input, waits there, then returns its attempt. */
    public static final class AttemptAtGate implements Task<String, Integer> {
        @Override
        public Integer execute(String gate) throws Exception {
            Gates.named(gate).pass(true);
            return TaskContext.current().orElseThrow().attempt();
        }
    }

    /** Arrives at the gate named by its input and waits there, ignoring any cancellation. */
    public static final class AwaitGateStubbornly implements Task<String, String> {
        @Override
        public String execute(String gate) throws Exception {
            Gates.named(gate).pass(false);
            return gate;
        }
    }

    /** Halts its worker at once with exit 99 on every attempt before the one it is given; then returns the attempt. */
    public static final class HaltUntilAttempt implements Task<Integer, Integer> {
        @Override
        public Integer execute(Integer succeedOnAttempt) throws Exception {
            int attempt = TaskContext.current().orElseThrow().attempt();
            if (attempt < succeedOnAttempt) {
                haltNow(99, "halting on attempt " + attempt);
            }
            return attempt;
        }
    }

    /** Prints its input (a line, or nothing when empty) and halts its worker with exit code 3. */
    public static final class HaltWith3 implements Task<String, String> {
        @Override
        public String execute(String line) throws Exception {
            haltNow(3, line.isEmpty() ? null : line);
            return line;
        }
    }

    /** Halts its worker at once with its input as the exit code, as a worker whose own code failed does (65). */
    public static final class HaltWithCode implements Task<Integer, Integer> {
        @Override
        public Integer execute(Integer code) throws Exception {
            haltNow(code, "halting with " + code);
            return code;
        }
    }

    /** Returns its input, unless it is negative: then it halts its worker with exit 99. */
    public static final class HaltOnNegative implements Task<Integer, Integer> {
        @Override
        public Integer execute(Integer input) throws Exception {
            if (input < 0) {
                haltNow(99, "halting on " + input);
            }
            return input;
        }
    }

    /** Returns its input's absolute value; for a negative one it first halts its worker with exit 99 on attempt 1. */
    public static final class HaltOnNegativeOnce implements Task<Integer, Integer> {
        @Override
        public Integer execute(Integer input) throws Exception {
            if (input < 0 && TaskContext.current().orElseThrow().attempt() == 1) {
                haltNow(99, "halting on " + input + " on attempt 1");
            }
            return Math.abs(input);
        }
    }

    /** Returns its input, unless it is negative: then it throws. */
    public static final class FailOnNegative implements Task<Integer, Integer> {
        @Override
        public Integer execute(Integer input) {
            if (input < 0) {
                throw new IllegalArgumentException("negative: " + input);
            }
            return input;
        }
    }

    /**
     * Returns the shape its input names: a circle, a triangle (which the worker encodes, but no
     * reader of shapes decodes), or a cracked one (which the worker cannot encode).
     */
    public static final class ShapeOf implements Task<String, CodecTasks.Shape> {
        @Override
        public CodecTasks.Shape execute(String input) {
            return switch (input) {
                case "triangle" -> new CodecTasks.Triangle();
                case "cracked" -> new CodecTasks.Cracked();
                default -> new CodecTasks.Circle();
            };
        }
    }

    /**
     * What a worker in another language might answer for a {@code long}: the worker writes
     * {@code {"value": wire}}, whatever JSON {@code wire} is, and a reader decodes the value only
     * from a JSON integer.
     */
    public static final class Claimed {
        private final Object wire;

        Claimed(Object wire) {
            this.wire = wire;
        }

        /** @return what the worker writes as the value */
        public Object getValue() {
            return wire;
        }

        /** @return the value a reader decodes, from a {@code long} only; @param value the long */
        @JsonCreator
        public static Claimed of(@JsonProperty("value") long value) {
            return new Claimed(value);
        }
    }

    /** Answers its input's kind of JSON for a {@link Claimed} long: "string" 25 as "25", "fraction" 1.5, "boolean" true, else 25. */
    public static final class Claims implements Task<String, Claimed> {
        @Override
        public Claimed execute(String input) {
            return new Claimed(switch (input) {
                case "string" -> "25";
                case "fraction" -> 1.5;
                case "boolean" -> true;
                default -> 25L;
            });
        }
    }

    /** Halts the fake worker running this task and never returns, as {@code Runtime.halt} does not. */
    static void haltNow(int code, String line) throws InterruptedException {
        FakeWorker.current().halt(code, line);
        while (true) {
            Thread.sleep(Long.MAX_VALUE); // a halted JVM runs nothing more; the interrupt that ends the loop ends this
        }
    }
}
