package io.forkpool.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * The Hazelcast configuration of forkpool members and clients, in one place because its security
 * and its failure detection are forkpool's: members bind only the interface they are given, find
 * each other only through the member list they are given (multicast and auto-detection off),
 * never phone home, accept no uploaded code, and only the message classes of {@link Messages}.
 */
public final class HazelcastSettings {

    /** The member attribute holding a forkpool node's worker count; members without it get no tasks. */
    public static final String WORKERS_ATTRIBUTE = "forkpool.workers";
    /** The executor chunks run on. */
    static final String TASK_EXECUTOR = "forkpool-tasks";
    /** The executor cancellations run on, so they never wait behind running chunks. */
    static final String CONTROL_EXECUTOR = "forkpool-control";

    private HazelcastSettings() {
    }

    /**
     * A member's configuration.
     *
     * @param clusterName the cluster's name; members and clients of other names are refused
     * @param bindHost the interface to bind and advertise, a host name or address
     * @param port the port to listen on; no other port is tried
     * @param join the members to find the cluster through, {@code host:port} each
     * @param workers the node's local worker count, advertised to clients
     * @return the configuration
     */
    public static Config member(String clusterName, String bindHost, int port, List<String> join, int workers) {
        Config config = new Config();
        config.setClusterName(clusterName);
        common(config::setProperty);
        // A node that starts while others are still starting should not idle for the default 5 s.
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "5");
        // Bind the named interface only: by default Hazelcast listens on every interface.
        config.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(address(bindHost));
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);
        JoinConfig joining = network.getJoin();
        joining.getMulticastConfig().setEnabled(false);
        joining.getAutoDetectionConfig().setEnabled(false);
        joining.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(join);
        config.getJetConfig().setEnabled(false);
        config.getUserCodeDeploymentConfig().setEnabled(false);
        config.getMemberAttributeConfig().setAttribute(WORKERS_ATTRIBUTE, Integer.toString(workers));
        // One thread per chunk a member may hold for each of a few clients; cancellations apart.
        config.getExecutorConfig(TASK_EXECUTOR).setPoolSize(Math.max(16, 4 * workers)).setStatisticsEnabled(false);
        config.getExecutorConfig(CONTROL_EXECUTOR).setPoolSize(2).setStatisticsEnabled(false);
        Messages.configure(config.getSerializationConfig());
        return config;
    }

    /**
     * A client's configuration.
     *
     * @param clusterName the cluster's name
     * @param members addresses to reach the cluster through, {@code host:port} each
     * @param connectTimeout how long to keep trying to reach the cluster, at start and after losing it
     * @param instanceName the client's name, shown in the members' logs
     * @return the configuration
     */
    public static ClientConfig client(String clusterName, List<String> members, Duration connectTimeout,
            String instanceName) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setInstanceName(instanceName);
        common(config::setProperty);
        config.getNetworkConfig().setAddresses(members);
        config.getConnectionStrategyConfig().setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ON)
                .getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectTimeout.toMillis())
                .setInitialBackoffMillis(100).setMaxBackoffMillis(2000);
        Messages.configure(config.getSerializationConfig());
        return config;
    }

    private interface Properties {
        Object set(String name, String value);
    }

    private static void common(Properties properties) {
        properties.set("hazelcast.phone.home.enabled", "false"); // nothing leaves the named network
        properties.set("hazelcast.logging.type", "slf4j");
        properties.set("hazelcast.shutdownhook.enabled", "false"); // forkpool shuts down in its own order
    }

    /** Hazelcast's interface setting takes addresses; a host name is resolved once, here. */
    private static String address(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the bind host " + host + ": " + e.getMessage(), e);
        }
    }
}
