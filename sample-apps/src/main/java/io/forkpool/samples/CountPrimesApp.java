package io.forkpool.samples;

import io.forkpool.WorkerPool;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Range;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts the primes below a bound on a pool built without {@code classpath(...)}, whatever launched
 * it: the pool must find its workers' class path by itself. Prints {@code π(<bound>) = <count>},
 * then how many entries the workers' class path has (asked of a worker, by a task of this
 * application's own) and how many were unpacked from a Spring Boot jar, and throws if a second argument gives the count
 * expected and it differs (under {@code mvn exec:java} that fails the build).
 */
public final class CountPrimesApp {

    private CountPrimesApp() {
    }

    /**
     * Runs the count.
     *
     * @param args the bound (default 1,000,000) and, optionally, the count expected
     * @throws InterruptedException if interrupted while waiting for the count
     */
    public static void main(String[] args) throws InterruptedException {
        long bound = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        List<Range> ranges = new ArrayList<>();
        for (long from = 0; from < bound; from += 10_000) {
            ranges.add(new Range(from, Math.min(bound, from + 10_000)));
        }
        try (WorkerPool pool = WorkerPool.builder().name("sample").workers(2).build()) {
            long count = pool.invokeAll(CountPrimes.class, ranges).stream().mapToLong(Long::longValue).sum();
            System.out.println("π(" + bound + ") = " + count);
            String[] classpath = pool.submit(WorkerClassPath.class, "").join().split(File.pathSeparator);
            System.out.println("worker class path: " + classpath.length + " entries, "
                    + Arrays.stream(classpath).filter(entry -> entry.contains("nested-jars")).count()
                    + " unpacked from a Spring Boot jar");
            if (args.length > 1 && count != Long.parseLong(args[1])) {
                throw new IllegalStateException("π(" + bound + ") is " + args[1] + ", the pool counted " + count);
            }
        }
    }
}
