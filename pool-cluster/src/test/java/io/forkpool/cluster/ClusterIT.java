package io.forkpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.PoisonTaskException;
import io.forkpool.PoolStats;
import io.forkpool.ProgressListener;
import io.forkpool.TaskFailedException;
import io.forkpool.TaskOptions;
import io.forkpool.TaskTimeoutException;
import io.forkpool.WorkerCrashedException;
import io.forkpool.cluster.tasks.CountPrimesHeldUnder;
import io.forkpool.cluster.tasks.DoubleAtGate;
import io.forkpool.cluster.tasks.FailOn;
import io.forkpool.cluster.tasks.Sleep;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Primes;
import io.forkpool.examples.Range;
import io.forkpool.testsupport.Await;
import io.forkpool.testsupport.ChildJvm;
import io.forkpool.testsupport.ClusterNode;
import io.forkpool.testsupport.Gate;
import io.forkpool.testsupport.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real member JVMs on loopback, started from {@code forkpool-node.jar}: A with two workers
 * and B with one from the start; C with one joins in the middle of a batch; then C is SIGKILLed in
 * the middle of another; last, A and B are SIGKILLed under a second client, whose pool must fail
 * rather than wait forever. Every node and worker process must be gone afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterIT {

    private static final Duration NODE_START = Duration.ofSeconds(90);

    private final int portA = ClusterNode.freePort();
    private final int portB = ClusterNode.freePort();
    private final int portC = ClusterNode.freePort();
    private final List<ClusterNode> nodes = new ArrayList<>();
    private ClusterNode a;
    private ClusterNode b;
    private ClusterNode c;
    private ClusterPool pool;

    @BeforeAll
    void startTwoNodes() throws Exception {
        a = node(portA, 2);
        b = node(portB, 1);
        a.awaitReady(NODE_START);
        b.awaitReady(NODE_START);
        pool = ClusterPool.builder().name("it").members(a.address(), b.address()).build();
        awaitMembers(2);
    }

    /**
     * Starts a real node from the shaded jar, as a user would, that joins through A and B, with the
     * example tasks, this module's test tasks and test-support (their gate) on its class path.
     */
    private ClusterNode node(int port, int workers) throws Exception {
        ClusterNode node = ClusterNode.builder(Path.of(System.getProperty("forkpool.node.jar"))).port(port)
                .workers(workers).join(List.of(ClusterNode.loopback(portA), ClusterNode.loopback(portB)))
                .taskClasspath(List.of(ChildJvm.locationOf(CountPrimes.class),
                        System.getProperty("forkpool.test.classes"), ChildJvm.locationOf(Gate.class)))
                .start();
        nodes.add(node);
        return node;
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (pool != null) {
            pool.closeNow();
        }
        List<ProcessHandle> all = new ArrayList<>();
        for (ClusterNode node : nodes) {
            all.add(node.process().toHandle());
            all.addAll(node.workers());
            all.addAll(node.process().descendants().toList());
            node.stop(Duration.ofSeconds(20));
            Files.writeString(Path.of("target", "cluster-it-node-" + node.port() + ".log"), node.output());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50); // polls for the exits, within the deadline
        }
        assertThat(all.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList())
                .as("node and worker processes still alive after the test").isEmpty();
    }

    @Test
    @Order(1)
    void countsPrimesExactlyOnTwoMembers() throws Exception {
        List<Range> ranges = ranges(2_000_000, 10_000);
        long before = completedOn(a) + completedOn(b);

        List<Long> counts = pool.invokeAll(CountPrimes.class, ranges);

        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(148_933).isEqualTo(sieveCount(2_000_000));
        assertThat(completedOn(a) + completedOn(b) - before).isEqualTo(ranges.size());
        assertThat(completedOn(a)).isPositive();
        assertThat(completedOn(b)).isPositive();
        assertThat(pool.submit(CountPrimes.class, new Range(0, 100)).get(30, TimeUnit.SECONDS)).isEqualTo(25);
    }

    @Test
    @Order(1)
    void runsAMethodReferenceOnTheMembers() throws Exception {
        List<Long> counts = pool.invokeAll(Primes::count, ranges(1_000_000, 20_000));
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(78_498L);
        assertThat(pool.submit(Primes::count, new Range(0, 100)).get(30, TimeUnit.SECONDS)).isEqualTo(25L);
    }

    @Test
    @Order(0)
    void nodesLogHazelcastAtWarnOnlyAndSayInOneLineWhoJoined() throws Exception {
        // Whichever started first says the other joined; the other lists both members when ready.
        for (ClusterNode[] pair : List.of(new ClusterNode[] {a, b}, new ClusterNode[] {b, a})) {
            String other = "127.0.0.1:" + pair[1].port();
            Await.until(pair[0].port() + " names " + other + " in a cluster of 2", NODE_START,
                    () -> pair[0].output().lines().anyMatch(line ->
                            line.equals("forkpool node: member " + other + " joined, cluster of 2")
                                    || line.startsWith("forkpool node: cluster of 2:") && line.contains(other)));
        }
        for (ClusterNode node : List.of(a, b)) {
            assertThat(node.output().lines().filter(line -> line.contains(" INFO com.hazelcast")))
                    .as("Hazelcast INFO lines of node %d", node.port()).isEmpty();
            assertThat(node.output()).contains(ClusterNode.READY_PREFIX);
        }
    }

    @Test
    @Order(0)
    void nodesListenOnLoopbackOnly() throws Exception {
        for (ClusterNode node : List.of(a, b)) {
            assertThat(listeners(node.port())).as("listening sockets of port %d", node.port()).containsExactly("127.0.0.1");
        }
    }

    @Test
    @Order(2)
    void pullsWorkInProportionToEachMembersWorkers() throws Exception {
        long beforeA = completedOn(a);
        long beforeB = completedOn(b);

        List<Integer> outputs = pool.invokeAll(Sleep.class, Collections.nCopies(240, 20));

        assertThat(outputs).hasSize(240).containsOnly(20);
        long onA = completedOn(a) - beforeA;
        long onB = completedOn(b) - beforeB;
        System.out.printf("[ClusterIT] 240 sleeping tasks: A (2 workers) ran %d, B (1 worker) ran %d%n", onA, onB);
        assertThat(onA + onB).isEqualTo(240);
        // Round-robin would give 1:1; pulling by free workers gives about 2:1.
        assertThat((double) onA / onB).isGreaterThan(1.4);
    }

    @Test
    @Order(3)
    void failuresKeepTheirSingleMachineTypes() throws Exception {
        assertThatThrownBy(() -> pool.invokeAll(FailOn.class, IntStream.range(0, 20).boxed().toList()))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.inputIndex()).isEqualTo(7);
                    assertThat(e.remoteExceptionClass()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.remoteMessage()).isEqualTo("seven is not allowed");
                    assertThat(e.getCause()).isInstanceOf(RemoteOrigin.class);
                    assertThat(((RemoteOrigin) e.getCause()).member()).isIn(a.address(), b.address());
                });

        CompletableFuture<Integer> poison = pool.submit(FailOn.class, -13, TaskOptions.builder().maxAttempts(2).build());
        Throwable error = failureOf(poison);
        assertThat(error).isInstanceOf(PoisonTaskException.class);
        List<WorkerCrashedException> attempts = ((PoisonTaskException) error).attempts();
        assertThat(attempts).hasSize(2);
        assertThat(attempts).allSatisfy(crash -> {
            assertThat(crash.exitCode()).hasValue(13);
            assertThat(crash.getCause()).isInstanceOf(RemoteOrigin.class);
            assertThat(crash.outputTail()).contains("halting on purpose");
        });

        CompletableFuture<Integer> slow = pool.submit(Sleep.class, 30_000,
                TaskOptions.builder().timeout(Duration.ofMillis(300)).build());
        assertThat(failureOf(slow)).isInstanceOf(TaskTimeoutException.class);

        PoolStats stats = pool.stats();
        assertThat(stats.timedOut()).isEqualTo(1);
        assertThat(stats.failed()).isEqualTo(2); // input 7 and the poison task
    }

    @Test
    @Order(4)
    void aMemberJoiningMidBatchReceivesWork(@TempDir Path dir) throws Exception {
        Gate gate = Gate.create(dir.resolve("open"));
        List<DoubleAtGate.Input> inputs = IntStream.range(0, 400).mapToObj(i -> new DoubleAtGate.Input(i, gate.path()))
                .toList();
        CompletableFuture<List<Integer>> batch = pool.submitAll(DoubleAtGate.class, inputs);
        awaitTrue(() -> pool.stats().queued() > 0, "inputs left queued behind the first chunks");

        c = node(portC, 1);
        c.awaitReady(NODE_START);
        awaitTrue(() -> member(c).map(m -> m.tasksInFlight() > 0).orElse(false), "the new member holds inputs");
        gate.release();

        List<Integer> outputs = batch.get(120, TimeUnit.SECONDS);
        assertThat(outputs).isEqualTo(IntStream.range(0, 400).map(i -> i * 2).boxed().toList());
        System.out.printf("[ClusterIT] joined mid-batch: C ran %d of 400 inputs%n", completedOn(c));
        assertThat(completedOn(c)).isPositive();
    }

    @Test
    @Order(5)
    void aMemberKilledMidBatchLosesNoInputAndDeliversNoneTwice(@TempDir Path dir) throws Exception {
        assertThat(c).as("C joined in the previous test").isNotNull();
        // C's worker holds the first input it gets (a gate never released); A and B count as usual.
        Gate held = Gate.create(dir.resolve("held-on-c"));
        List<CountPrimesHeldUnder.Input> ranges = ranges(20_000_000, 50_000).stream()
                .map(range -> new CountPrimesHeldUnder.Input(range, c.process().pid(), held.path())).toList();
        AtomicIntegerArray deliveries = new AtomicIntegerArray(ranges.size());
        AtomicLong total = new AtomicLong();
        long retriedBefore = pool.stats().retried();
        long start = System.nanoTime();

        CompletableFuture<Void> batch = pool.submitAllStreaming(CountPrimesHeldUnder.class, ranges, TaskOptions.DEFAULT,
                ProgressListener.NONE, (index, count) -> {
                    deliveries.incrementAndGet(index);
                    total.addAndGet(count);
                });
        long succeededBefore = pool.stats().succeeded();
        held.awaitStarted(NODE_START);
        awaitTrue(() -> pool.stats().succeeded() - succeededBefore >= ranges.size() / 10, "a tenth done");
        List<ProcessHandle> workersOfC = c.process().descendants().toList();
        long lostBefore = member(c).orElseThrow().tasksLost();
        long inFlightOnC = member(c).orElseThrow().tasksInFlight();
        long killedAt = System.nanoTime();
        c.kill();
        CompletableFuture<Long> workersGone = CompletableFuture.supplyAsync(() -> awaitGone(workersOfC));
        CompletableFuture<Long> rerunAt = CompletableFuture.supplyAsync(
                () -> awaitNanos(() -> pool.stats().retried() > retriedBefore));
        CompletableFuture<Long> removedAt = CompletableFuture.supplyAsync(
                () -> awaitNanos(() -> !member(c).orElseThrow().present()));

        batch.get(180, TimeUnit.SECONDS);
        long end = System.nanoTime();
        long workersGoneAt = workersGone.get(60, TimeUnit.SECONDS);

        assertThat(total.get()).isEqualTo(1_270_607).isEqualTo(sieveCount(20_000_000));
        for (int i = 0; i < ranges.size(); i++) {
            assertThat(deliveries.get(i)).as("deliveries of input %d", i).isEqualTo(1);
        }
        MemberStats lost = member(c).orElseThrow();
        assertThat(lost.present()).isFalse();
        long lostOnC = lost.tasksLost() - lostBefore;
        assertThat(lostOnC).as("inputs C held when killed").isPositive();
        assertThat(pool.stats().retried() - retriedBefore).as("inputs run again").isEqualTo(lostOnC);
        System.out.printf("[ClusterIT] SIGKILLed C holding %d (lost %d) of %d inputs, %.0f ms into the batch; its inputs"
                        + " queued again %.0f ms and C removed %.0f ms after the kill; batch done"
                        + " %.0f ms after the kill (%.0f ms in all); %d inputs re-run; C's %d worker(s) exited %.0f ms after"
                        + " the kill; members %s%n",
                inFlightOnC, lostOnC, ranges.size(), (killedAt - start) / 1e6,
                (rerunAt.get(60, TimeUnit.SECONDS) - killedAt) / 1e6, (removedAt.get(60, TimeUnit.SECONDS) - killedAt) / 1e6,
                (end - killedAt) / 1e6, (end - start) / 1e6,
                pool.stats().retried() - retriedBefore, workersOfC.size(), (workersGoneAt - killedAt) / 1e6,
                pool.members());
    }

    @Test
    @Order(6)
    void losingEveryMemberFailsThePoolInsteadOfHanging(@TempDir Path dir) throws Exception {
        try (ClusterPool doomed = ClusterPool.builder().name("doomed").members(a.address(), b.address())
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            awaitTrue(() -> doomed.members().stream().filter(MemberStats::present).count() == 2, "both members");
            Gate never = Gate.create(dir.resolve("never")); // never released: the members die holding them
            List<DoubleAtGate.Input> inputs = IntStream.range(0, 50)
                    .mapToObj(i -> new DoubleAtGate.Input(i, never.path())).toList();
            CompletableFuture<List<Integer>> batch = doomed.submitAll(DoubleAtGate.class, inputs);
            awaitTrue(() -> doomed.members().stream().allMatch(m -> m.tasksInFlight() > 0), "both members hold inputs");
            long killedAt = System.nanoTime();
            a.kill();
            b.kill();

            Throwable error = failureOf(batch);
            long failedAt = System.nanoTime();
            assertThat(error).isInstanceOf(io.forkpool.PoolFailedException.class)
                    .hasMessageContaining("lost cluster 'forkpool'");
            assertThatThrownBy(() -> doomed.submit(Sleep.class, 1))
                    .isInstanceOf(java.util.concurrent.RejectedExecutionException.class).hasCause(error);
            System.out.printf("[ClusterIT] every member SIGKILLed: the batch failed %.0f ms later (connect timeout 2 s)%n",
                    (failedAt - killedAt) / 1e6);
        }
    }

    /** The local addresses of the sockets listening on a TCP port, from {@code /proc/net/tcp} and {@code tcp6}. */
    private static List<String> listeners(int port) throws java.io.IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 4 || !fields[3].equals("0A")) { // 0A: LISTEN
                    continue;
                }
                String[] local = fields[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /**
     * A /proc/net address in hex, in little-endian words: {@code 0100007F} is 127.0.0.1, and so is
     * the IPv4-mapped IPv6 {@code 0000000000000000FFFF00000100007F} (Java listens on IPv6 sockets
     * where it can); any other IPv6 address, the wildcard included, is shown as is.
     */
    private static String address(String hex) {
        if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            hex = hex.substring(24);
        }
        if (hex.length() != 8) {
            return "[" + hex + "]";
        }
        long value = Long.parseLong(hex, 16);
        return (value & 0xff) + "." + (value >> 8 & 0xff) + "." + (value >> 16 & 0xff) + "." + (value >> 24 & 0xff);
    }

    private Long completedOn(ClusterNode node) {
        return member(node).map(MemberStats::tasksCompleted).orElse(0L);
    }

    private java.util.Optional<MemberStats> member(ClusterNode node) {
        return pool.members().stream().filter(m -> m.address().equals(node.address())).findFirst();
    }

    private void awaitMembers(int count) throws InterruptedException {
        awaitTrue(() -> pool.members().stream().filter(MemberStats::present).count() == count, count + " members");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5); // polls for the condition, within the deadline
        }
    }

    /** @return when the condition was first seen true (polled every millisecond, for at most a minute) */
    private static long awaitNanos(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1); // polls for the condition, within the deadline
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return System.nanoTime();
    }

    /**
     * @return when the last of the processes was seen exited: gone, or a zombie waiting for its
     *     reaper (a node's workers are reparented to init when it is killed, and init reaps them
     *     when it gets to it; here that took a second more)
     */
    private static long awaitGone(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (processes.stream().anyMatch(p -> Processes.alive(p.pid()))) {
            assertThat(System.nanoTime()).as("workers of a killed node still alive").isLessThan(deadline);
            try {
                Thread.sleep(2); // polls for the exits, within the deadline
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return System.nanoTime();
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future succeeded");
    }

    static List<Range> ranges(long upTo, long size) {
        List<Range> ranges = new ArrayList<>();
        for (long from = 0; from < upTo; from += size) {
            ranges.add(new Range(from, Math.min(upTo, from + size)));
        }
        return ranges;
    }

    /** The count of primes below {@code n} by a plain sieve, independent of the task's own method. */
    static long sieveCount(int n) {
        boolean[] composite = new boolean[n];
        long count = 0;
        for (int i = 2; i < n; i++) {
            if (!composite[i]) {
                count++;
                for (long j = (long) i * i; j < n; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        return count;
    }
}
