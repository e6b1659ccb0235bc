package io.forkpool.demo;

import io.forkpool.ForkPoolException;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Counts the primes below N with {@link CountPrimes} tasks, on a forkpool of worker JVMs, on a
 * forkpool cluster or, as a baseline, on threads of this JVM. Run {@code java -jar primes.jar --help}
 * for the options.
 *
 * <p>Exit codes: 0 on success, 1 when the run failed (the pool could not start, the cluster could
 * not be reached, a task failed), 2 when the arguments are wrong. Errors are one line on stderr
 * starting with {@code primes: }.
 *
 * <p>Streams: stdout carries only the result (the summary, or one JSON line with {@code --json}),
 * so it can be piped; progress, the pool's warnings and errors go to stderr.
 */
public final class PrimeDemo {

    /** Exit code of a successful run. */
    public static final int OK = 0;
    /** Exit code when the count could not be completed. */
    public static final int FAILED = 1;
    /** Exit code for bad arguments. */
    public static final int USAGE = 2;

    private PrimeDemo() {
    }

    /**
     * Runs the demo and exits the JVM with its exit code.
     *
     * @param args the options, see {@link DemoOptions#usage()}
     */
    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs the demo without exiting, writing to the given streams.
     *
     * @param args the options
     * @param out where the summary, the JSON or the usage goes
     * @param err where progress and error lines go; {@code --progress auto} decides by this
     *     process's own stderr, so tests that pass another stream choose a mode explicitly
     * @return the exit code
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (UsageException e) {
            err.println("primes: " + e.getMessage() + " (try --help)");
            return USAGE;
        }
        if (options.help()) {
            out.print(DemoOptions.usage());
            return OK;
        }
        ProgressMode progress = options.progress().resolve(options.json(), Terminal.stderrIsTerminal());
        try {
            List<Range> ranges = Range.chunks(options.upTo(), options.chunk());
            RunResult result;
            // Closed before anything else is printed: the bar is erased first, on success or failure.
            try (LiveProgress live = LiveProgress.start(progress, err, options.mode(), options.workers())) {
                result = switch (options.mode()) {
                    case POOL -> PoolRunner.run(options, ranges, live);
                    case IN_PROCESS -> InProcessRunner.run(options, ranges, live);
                    case CLUSTER -> ClusterRunner.run(options, ranges, live);
                };
            }
            if (options.json()) {
                out.println(JsonReport.json(options, result));
            } else {
                out.print(Report.text(options, result, Units.forStdout()));
            }
            return OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted");
        } catch (ExecutionException e) {
            return fail(err, "a task failed: " + e.getCause());
        } catch (ForkPoolException | IllegalArgumentException | IllegalStateException e) {
            // IllegalStateException also covers CancellationException (the pool closed under us)
            // and a missing runtime.
            return fail(err, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** Keeps only the first line: crash reports append the worker's output, already logged above. */
    private static int fail(PrintStream err, String message) {
        err.println("primes: " + message.lines().findFirst().orElse(message));
        return FAILED;
    }
}
