package io.forkpool.runtime.internal.worker;

import io.forkpool.runtime.internal.exec.PoolThread;
import io.forkpool.runtime.internal.observe.LogFallback;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a worker's merged stdout/stderr to the log, one line at a time, tagged with the worker,
 * and keeps the tail for crash reports. Owns its thread, one per worker process, which ends at end
 * of stream. Lines longer than {@value #MAX_LINE} characters are split so that a task printing
 * megabytes without a newline cannot grow the supervisor's heap.
 */
final class OutputPump implements Runnable {

    static final Logger LOG = LoggerFactory.getLogger("io.forkpool.worker.output");
    private static final int MAX_LINE = 4096;

    private final InputStream output;
    private volatile String tag;
    private final BiConsumer<String, String> log;
    private final OutputTail tail = new OutputTail();
    private volatile Thread thread;

    /**
     * Where every pump's lines go: logged at INFO under {@code io.forkpool.worker.output} as
     * {@code [tag] line}, or, when no SLF4J provider is bound (SLF4J then drops everything, and a
     * task's {@code System.out.println} would vanish without a word), printed as that same line
     * on the supervisor's standard error.
     */
    private static final BiConsumer<String, String> SINK = sink(LoggerFactory.getILoggerFactory(),
            LogFallback.NOP_CHOSEN, System.err);

    /** Sends each line to {@link #SINK}. */
    OutputPump(InputStream output, String tag) {
        this(output, tag, SINK);
    }

    /** Hands each line with its tag to {@code log} instead; for tests. */
    OutputPump(InputStream output, String tag, BiConsumer<String, String> log) {
        this.output = output;
        this.tag = tag;
        this.log = log;
    }

    /**
     * Tags the lines from now on, and names the thread, anew: a spare put into a slot.
     *
     * @param newTag the tag
     * @param threadName the pump thread's name
     */
    void retag(String newTag, String threadName) {
        tag = newTag;
        Thread pump = thread;
        if (pump != null) {
            pump.setName(threadName);
        }
    }

    OutputTail tail() {
        return tail;
    }

    /** How long the output may take to end after the exit before whoever still holds it open is killed. */
    private static final long GRACE_MILLIS = 50;

    /**
     * Starts pumping, on a daemon thread of its own.
     *
     * @param threadName the thread's name
     */
    void start(String threadName) {
        Thread pump = new PoolThread(this, threadName);
        thread = pump;
        pump.start();
    }

    /**
     * Once the process has exited, waits for its output to end, so that its last lines are in the
     * tail. Output that has not ended within {@value #GRACE_MILLIS} ms is held open by someone
     * else — a child that left the worker's session but kept its stdout — so {@code killHolders}
     * runs and the wait goes on, bounded: the pump's thread ends with its worker.
     *
     * @param killHolders kills whoever still holds the output open
     * @return the tail
     */
    OutputTail finish(Runnable killHolders) {
        if (!join(GRACE_MILLIS)) {
            killHolders.run();
            join(10 * GRACE_MILLIS);
        }
        return tail;
    }

    /** @return whether the pump's thread has ended (or never started) */
    private boolean join(long millis) {
        Thread pump = thread;
        if (pump == null) {
            return true;
        }
        try {
            pump.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !pump.isAlive();
    }

    @Override
    public void run() {
        try (Reader reader = new InputStreamReader(output, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            char[] chunk = new char[8192];
            int n;
            while ((n = reader.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = chunk[i];
                    if (c == '\n' || line.length() >= MAX_LINE) {
                        emit(line);
                        if (c == '\n') {
                            continue;
                        }
                    }
                    if (c != '\r') {
                        line.append(c);
                    }
                }
            }
            if (line.length() > 0) {
                emit(line);
            }
        } catch (IOException e) {
            // the pipe closed under us: the worker is gone
        }
    }

    /**
     * The sink for worker output: the log, unless SLF4J found no provider and fell back to its
     * no-operation factory by itself ({@link LogFallback}).
     *
     * @param factory the factory SLF4J bound
     * @param nopChosen whether {@code slf4j-nop}, the deliberate no-operation provider, is present
     * @param stderr where lines go when nothing logs them
     * @return the sink
     */
    static BiConsumer<String, String> sink(ILoggerFactory factory, boolean nopChosen, PrintStream stderr) {
        if (LogFallback.toStderr(factory, nopChosen)) {
            return (lineTag, line) -> stderr.println("[" + lineTag + "] " + line);
        }
        Logger log = factory.getLogger(LOG.getName());
        return (lineTag, line) -> log.info("[{}] {}", lineTag, line);
    }

    private void emit(StringBuilder line) {
        String text = line.toString();
        line.setLength(0);
        tail.add(text);
        log.accept(tag, text);
    }
}
