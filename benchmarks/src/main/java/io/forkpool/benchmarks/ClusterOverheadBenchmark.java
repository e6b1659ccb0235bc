package io.forkpool.benchmarks;

import io.forkpool.WorkerPool;
import io.forkpool.cluster.ClusterPool;
import io.forkpool.cluster.ForkpoolNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the cluster layer costs per task: the same {@link NoOp} tasks through a local pool and
 * through a {@link ClusterPool} whose one member ({@link ForkpoolNode}, started in this JVM, on
 * loopback) runs a local pool of the same size. Both pools exist for the whole run, so each pair
 * of figures comes from one run on one machine state; the difference between them is the cost of
 * the Hazelcast client, the network hop to the member and back, the copies of the documents in
 * and out of the messages, and the member's executor thread.
 *
 * <ul>
 *   <li>{@code roundTrip*}: one task at a time, submitted and joined: latency (sample time).</li>
 *   <li>{@code batch*}: {@value #TASKS} tasks in one {@code submitAll}, joined: tasks per second.
 *       The per-task cost of the cluster is {@code 1/cluster − 1/local}.</li>
 * </ul>
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -DskipTests package}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ClusterOverheadBenchmark -rf json -rff /tmp/jmh-cluster.json
 * </pre>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.log.com.hazelcast=warn"})
@Warmup(iterations = 3, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 3, timeUnit = TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Benchmark)
public class ClusterOverheadBenchmark {

    /** Tasks per batch call; a constant, as {@code @OperationsPerInvocation} needs one. */
    static final int TASKS = 10_000;

    /** Worker JVMs of the local pool, and of the member's. */
    @Param({"2"})
    public int workers;

    private ForkpoolNode node;
    private ClusterPool cluster;
    private WorkerPool local;
    private final List<Integer> inputs = new ArrayList<>();

    /**
     * Starts the member, the client and the local pool.
     *
     * @throws IOException if no free port can be found
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        node = ForkpoolNode.builder().name("bench-node").port(port).workers(workers).start();
        cluster = ClusterPool.builder().name("bench-cluster").members("127.0.0.1:" + port).build();
        local = WorkerPool.builder().name("bench-local").workers(workers).build();
        for (int i = 0; i < TASKS; i++) {
            inputs.add(i);
        }
    }

    /** Closes the client, the member and the local pool. */
    @TearDown(Level.Trial)
    public void stop() {
        cluster.close();
        node.close();
        local.close();
    }

    /** @return one no-op's output, through the local pool */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Integer roundTripLocal() {
        return local.submit(NoOp.class, 1).join();
    }

    /** @return one no-op's output, through the cluster */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Integer roundTripCluster() {
        return cluster.submit(NoOp.class, 1).join();
    }

    /** @return a batch's outputs, through the local pool */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TASKS)
    public List<Integer> batchLocal() {
        return check(local.submitAll(NoOp.class, inputs).join());
    }

    /** @return a batch's outputs, through the cluster */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TASKS)
    public List<Integer> batchCluster() {
        return check(cluster.submitAll(NoOp.class, inputs).join());
    }

    private List<Integer> check(List<Integer> outputs) {
        if (!outputs.equals(inputs)) {
            throw new IllegalStateException("wrong outputs");
        }
        return outputs;
    }
}
