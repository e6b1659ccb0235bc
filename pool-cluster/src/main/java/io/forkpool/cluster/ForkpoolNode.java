package io.forkpool.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.forkpool.WorkerPool;
import io.forkpool.WorkerPoolBuilder;
import io.forkpool.cluster.internal.HazelcastSettings;
import io.forkpool.cluster.internal.NodeArguments;
import io.forkpool.cluster.internal.NodeRuntime;
import io.forkpool.runtime.DocumentPool;
import io.forkpool.spi.TaskAllowList;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * One member of a forkpool cluster: a local {@link WorkerPool} of worker JVMs (one per core by
 * default) and a Hazelcast member through which {@link ClusterPool} clients send it work.
 *
 * <p>Run it from the command line, one per machine:
 * <pre>
 * java -jar forkpool-node.jar --join 10.0.0.1:5701,10.0.0.2:5701 --bind 10.0.0.1 --classpath my-tasks.jar
 * </pre>
 * or embed it with {@link #builder()}. The local pool starts first, so a node is ready to run
 * tasks by the time clients see it. Task classes are loaded from the node's {@code --classpath}
 * (and its own class path); every node needs the same task jar as the clients, as every worker
 * of a local pool does.
 *
 * <p>{@link #close()} leaves the cluster first, so clients move its unfinished chunks elsewhere,
 * then stops the local pool. A node killed outright takes its workers with it: they notice
 * their parent is gone and exit.
 */
public final class ForkpoolNode implements AutoCloseable {

    private final DocumentPool pool;
    private final HazelcastInstance member;
    private final NodeRuntime runtime;
    private final URLClassLoader taskLoader;

    private ForkpoolNode(Builder builder) {
        List<URL> urls = new ArrayList<>();
        for (String entry : builder.taskClasspath) {
            if (!Files.exists(Path.of(entry))) { // found now, not when the first task of it arrives
                throw new IllegalArgumentException("task class path entry " + entry + " does not exist");
            }
            try {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad class path entry " + entry, e);
            }
        }
        this.taskLoader = urls.isEmpty() ? null
                : new URLClassLoader("forkpool-tasks", urls.toArray(URL[]::new), ForkpoolNode.class.getClassLoader());
        WorkerPoolBuilder local = WorkerPool.builder().name(builder.name).workers(builder.workers)
                .allowTasks(builder.allowedTasks.toArray(String[]::new));
        // The node's own, found as any default pool's is (its shaded jar, or where it was loaded from), then the tasks'.
        List<String> classpath = new ArrayList<>(DocumentPool.workerClasspath(local.options()));
        builder.taskClasspath.forEach(entry -> classpath.add(Path.of(entry).toAbsolutePath().toString()));
        local.classpath(classpath);
        try {
            // The process pool itself, not the WorkerPool interface: the node hands it encoded documents.
            this.pool = DocumentPool.start(local.options());
        } catch (RuntimeException e) {
            closeQuietly(taskLoader);
            throw e;
        }
        try {
            this.runtime = new NodeRuntime(pool, taskLoader != null ? taskLoader : ForkpoolNode.class.getClassLoader(),
                    builder.allowedTasks);
            Config config = HazelcastSettings.member(builder.clusterName, builder.bindHost, builder.port, builder.join,
                    builder.workers);
            config.setInstanceName(builder.name);
            builder.hazelcast.accept(config);
            config.getUserContext().put(NodeRuntime.CONTEXT_KEY, runtime);
            config.addListenerConfig(new com.hazelcast.config.ListenerConfig(runtime));
            this.member = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            pool.closeNow();
            closeQuietly(taskLoader);
            throw e;
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (java.io.IOException e) {
                // nothing left to release
            }
        }
    }

    /**
     * Starts configuring a node.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return this member's address, {@code host:port} */
    public String address() {
        var address = member.getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    /** @return this member's Hazelcast identity */
    public String uuid() {
        return member.getCluster().getLocalMember().getUuid().toString();
    }

    /** @return how many members the cluster has, this one included */
    public int clusterSize() {
        return member.getCluster().getMembers().size();
    }

    /** @return the node's local pool */
    public WorkerPool localPool() {
        return pool;
    }

    /**
     * Leaves the cluster, then closes the local pool (cancelling what it still runs); idempotent.
     */
    @Override
    public void close() {
        try {
            member.getLifecycleService().shutdown();
        } finally {
            pool.closeNow();
            closeQuietly(taskLoader);
        }
    }

    /**
     * The node launcher; {@code --help} lists the options. Prints one line when the node is ready
     * and runs until the process is stopped: SIGTERM or SIGINT close it (the local pool's own
     * shutdown hook may close the pool at the same time; chunks the node held then come back to
     * their clients as cancelled rather than lost, and run elsewhere all the same).
     *
     * @param args the command line
     * @throws InterruptedException never in practice: the main thread waits forever
     */
    public static void main(String[] args) throws InterruptedException {
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true"); // a node's log is read later
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        // Hazelcast's INFO (its banner, its engines, its security hints: ~40 lines) would bury the
        // node's own lines; -Dorg.slf4j.simpleLogger.log.com.hazelcast=info brings it back.
        if (System.getProperty(HAZELCAST_LOG_LEVEL) == null) {
            System.setProperty(HAZELCAST_LOG_LEVEL, "warn");
        }
        NodeArguments parsed;
        try {
            parsed = NodeArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("forkpool-node: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.print(NodeArguments.USAGE);
            return;
        }
        Builder builder = builder().join(parsed.join()).bind(parsed.bind()).port(parsed.port())
                .clusterName(parsed.clusterName()).taskClasspath(parsed.classpath())
                .allowTasks(parsed.allowTasks().toArray(String[]::new));
        if (parsed.workers() > 0) {
            builder.workers(parsed.workers());
        }
        ForkpoolNode node;
        try {
            node = builder.start();
        } catch (IllegalArgumentException e) { // a setting no check of the arguments could see, e.g. a missing jar
            System.err.println("forkpool-node: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) { // the local pool or the member could not start
            System.err.println("forkpool-node: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        String address = node.address();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            System.out.println("forkpool node at " + address + " left the cluster and stopped its workers");
            System.out.flush();
            stopped.countDown();
        }, "forkpool-node-shutdown"));
        System.out.println("forkpool node ready at " + node.address() + ": member " + node.uuid() + ", "
                + node.localPool().stats().workers().size() + " workers, cluster of " + node.clusterSize());
        System.out.flush();
        // An initial listener sees the members as they are now and then every change, none missed:
        // the other node may have joined before this line, or this node joined it.
        node.member.getCluster().addMembershipListener(new InitialMembershipListener() {
            @Override
            public void init(InitialMembershipEvent event) {
                System.out.println(membersLine(event.getMembers()));
            }

            @Override
            public void memberAdded(MembershipEvent event) {
                System.out.println(membershipLine(event, "joined"));
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                System.out.println(membershipLine(event, "left"));
            }
        });
        stopped.await();
    }

    /** The simple logger's level for Hazelcast, which the launcher sets to WARN unless it was set. */
    private static final String HAZELCAST_LOG_LEVEL = "org.slf4j.simpleLogger.log.com.hazelcast";

    /** The one line a node prints when another member joins or leaves the cluster. */
    static String membershipLine(MembershipEvent event, String what) {
        return "forkpool node: member " + hostPort(event.getMember()) + " " + what + ", cluster of "
                + event.getMembers().size();
    }

    /** The line a node prints once it is ready: every member of the cluster it is in. */
    static String membersLine(Collection<Member> members) {
        StringBuilder line = new StringBuilder("forkpool node: cluster of ").append(members.size()).append(':');
        String separator = " ";
        for (Member member : members) {
            line.append(separator).append(hostPort(member));
            separator = ", ";
        }
        return line.toString();
    }

    private static String hostPort(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    /** Configures and starts a {@link ForkpoolNode}. */
    public static final class Builder {

        private List<String> join = List.of();
        private String bindHost = "127.0.0.1";
        private int port = 5701;
        private String clusterName = "forkpool";
        private String name = "forkpool-node";
        private int workers = Runtime.getRuntime().availableProcessors();
        private List<String> taskClasspath = List.of();
        private List<String> allowedTasks = List.of(TaskAllowList.ANY);
        private Consumer<Config> hazelcast = config -> { };

        private Builder() {
        }

        /**
         * Adjusts the member's Hazelcast configuration after forkpool has set it up, just before
         * the member starts: the place for what forkpool does not configure itself, such as TLS and
         * authentication with Hazelcast Enterprise ({@code docs/CLUSTER.md} shows how). Changing
         * what forkpool set (the network, join, serialization, executors, member attributes)
         * voids its guarantees.
         *
         * @param adjust called once with the configuration
         * @return this builder
         */
        public Builder hazelcast(Consumer<Config> adjust) {
            this.hazelcast = Objects.requireNonNull(adjust, "adjust");
            return this;
        }

        /**
         * Sets the members to join through, {@code host:port} each; this node's own address may be
         * among them, so every node can be given the same list. Default: none (a cluster of one
         * until others join it).
         *
         * @param members the addresses
         * @return this builder
         */
        public Builder join(List<String> members) {
            this.join = List.copyOf(members);
            return this;
        }

        /**
         * Sets the interface to listen on and advertise. Default: {@code 127.0.0.1}, so a node
         * reaches no other machine until told to.
         *
         * @param host a host name or address of this machine
         * @return this builder
         */
        public Builder bind(String host) {
            this.bindHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port to listen on; no other is tried. Default: 5701.
         *
         * @param port from 1 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the cluster's name; only members and clients of the same name join. Default: {@code forkpool}.
         *
         * @param clusterName a non-blank name
         * @return this builder
         */
        public Builder clusterName(String clusterName) {
            if (clusterName == null || clusterName.isBlank()) {
                throw new IllegalArgumentException("the cluster name must not be blank");
            }
            this.clusterName = clusterName;
            return this;
        }

        /**
         * Names the node's local pool and Hazelcast instance. Default: {@code forkpool-node}.
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the local pool's worker count. Default: one per core.
         *
         * @param workers from 1 to 4096
         * @return this builder
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Adds jars or directories holding task classes, for this node and its workers. Default: none
         * beyond the node's own class path.
         *
         * @param entries paths of jars or class directories
         * @return this builder
         */
        public Builder taskClasspath(List<String> entries) {
            this.taskClasspath = List.copyOf(entries);
            return this;
        }

        /**
         * Restricts which task classes this node runs, as for
         * {@link WorkerPoolBuilder#allowTasks(String...)}. Default: any task.
         *
         * @param entries class names, or package prefixes ending in {@code .*}
         * @return this builder
         */
        public Builder allowTasks(String... entries) {
            this.allowedTasks = List.of(entries);
            return this;
        }

        /**
         * Starts the local pool, then joins the cluster. Blocks until both are up.
         *
         * @return the running node
         * @throws io.forkpool.PoolStartupException if the local pool cannot start
         * @throws IllegalArgumentException if a setting is invalid
         */
        public ForkpoolNode start() {
            return new ForkpoolNode(this);
        }
    }
}
