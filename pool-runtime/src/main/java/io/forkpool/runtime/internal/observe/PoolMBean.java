package io.forkpool.runtime.internal.observe;

import io.forkpool.PoolStats;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool's {@link WorkerPoolMXBean} in an MBean server: registered once the pool is running,
 * unregistered when it terminates. JMX is a window on the pool, never a condition of it: a
 * registration that fails is logged and the pool runs on without its MBean.
 *
 * <p>The name is {@code io.forkpool:type=WorkerPool,name=<pool name>}, the pool's name as it is,
 * or {@linkplain ObjectName#quote quoted} if it holds a character an unquoted value may not
 * ({@code , = : " * ?} or a line feed), so that the usual name reads plainly in a JMX console.
 * Pool names need not be unique: while {@code name=x} is taken, a second pool named {@code x}
 * gets {@code name=x,id=2}, a third {@code id=3}, and so on: the first free one.
 */
final class PoolMBean {

    static final String DOMAIN = "io.forkpool";
    /** For a pool that has no MBean (not yet running, or its registration failed): unregisters nothing. */
    static final PoolMBean NONE = new PoolMBean(null, null);

    private static final Logger LOG = LoggerFactory.getLogger("io.forkpool.pool");
    private static final String MUST_QUOTE = ",=:\"*?\n";

    private final MBeanServer server;
    private final ObjectName name;

    private PoolMBean(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /** Registers a pool's stats in the platform MBean server; never throws. */
    static PoolMBean register(String poolName, Supplier<PoolStats> stats) {
        return register(poolName, stats, ManagementFactory::getPlatformMBeanServer);
    }

    /**
     * Registers a pool's stats under the first free name; never throws.
     *
     * @return the registration, or {@link #NONE} (after a WARN) if there is none
     */
    static PoolMBean register(String poolName, Supplier<PoolStats> stats, Supplier<MBeanServer> servers) {
        try {
            MBeanServer server = servers.get();
            // Ends: each id refused belongs to a live registration, and there are finitely many.
            for (int id = 1; ; id++) {
                ObjectName name = objectName(poolName, id);
                try {
                    // A fresh view per attempt: an MXBean object is not registered under two names.
                    server.registerMBean(new PoolStatsView(stats), name);
                } catch (InstanceAlreadyExistsException taken) {
                    continue;
                }
                if (id > 1) {
                    // A WARN, not an INFO: a console watching name=<pool> sees only the first pool
                    // of that name, and this line is the one place that tells which pool got which.
                    LOG.warn("pool {}: another pool of that name is registered; this one's MBean is {}", poolName,
                            name);
                }
                return new PoolMBean(server, name);
            }
        } catch (JMException | RuntimeException e) {
            LOG.warn("pool {}: no MBean, stats() still works: cannot register it: {}", poolName, e.toString());
            return NONE;
        }
    }

    /**
     * The name for a pool's {@code id}th registration; {@code id} 1 adds no key. Built as a string,
     * keys in this order, because that is the order JMX consoles show them in.
     */
    static ObjectName objectName(String poolName, int id) throws MalformedObjectNameException {
        String value = needsQuotes(poolName) ? ObjectName.quote(poolName) : poolName;
        return new ObjectName(DOMAIN + ":type=WorkerPool,name=" + value + (id > 1 ? ",id=" + id : ""));
    }

    private static boolean needsQuotes(String value) {
        return value.chars().anyMatch(c -> MUST_QUOTE.indexOf(c) >= 0);
    }

    /** @return the name registered, or {@code null} for {@link #NONE} */
    ObjectName name() {
        return name;
    }

    /** Removes the MBean; never throws. Once, by the thread that ends the pool. */
    void unregister() {
        if (server == null) {
            return;
        }
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // already gone: someone else unregistered it
        } catch (JMException | RuntimeException e) {
            LOG.warn("pool {}: cannot unregister its MBean: {}", name.getKeyProperty("name"), e.toString());
        }
    }
}
