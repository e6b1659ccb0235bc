package io.forkpool.cluster.internal;

import io.forkpool.spi.TaskAllowList;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The node launcher's command line, parsed and checked; a bad argument is an
 * {@link IllegalArgumentException} whose message is one line.
 *
 * @param join the members to join through
 * @param bind the interface to bind
 * @param port the port to listen on
 * @param clusterName the cluster's name
 * @param workers the local worker count, or 0 for one per core
 * @param classpath task jars and directories
 * @param allowTasks task allow-list entries
 * @param help whether {@code --help} was given
 */
public record NodeArguments(List<String> join, String bind, int port, String clusterName, int workers,
        List<String> classpath, List<String> allowTasks, boolean help) {

    /** What {@code --help} prints. */
    public static final String USAGE = """
            usage: java -jar forkpool-node.jar --join HOST:PORT[,HOST:PORT...] [options]

            Starts a forkpool cluster member: a local pool of worker JVMs that ClusterPool clients
            send tasks to. Prints one line when ready; SIGTERM or SIGINT leave the cluster and stop
            the workers.

              --join HOST:PORT,...   members to join through; may include this node (default: none)
              --bind HOST            interface to listen on and advertise (default: 127.0.0.1)
              --port N               port to listen on (default: 5701)
              --cluster-name NAME    only members and clients of this name join (default: forkpool)
              --workers N            local worker JVMs (default: one per core)
              --classpath PATHS      jars or directories holding the task classes, separated by '%s'
              --allow-tasks LIST     task classes or package.* prefixes this node runs (default: any)
              --help                 this text
            """.formatted(File.pathSeparator);

    /**
     * Parses a command line.
     *
     * @param args the arguments
     * @return the parsed arguments, defaults filled in
     * @throws IllegalArgumentException if an argument is unknown or a value is bad
     */
    public static NodeArguments parse(String[] args) {
        List<String> join = List.of();
        String bind = "127.0.0.1";
        int port = 5701;
        String clusterName = "forkpool";
        int workers = 0;
        List<String> classpath = List.of();
        List<String> allowTasks = List.of(TaskAllowList.ANY);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return new NodeArguments(join, bind, port, clusterName, workers, classpath, allowTasks, true);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value"
                        : "unknown argument '" + escape(option) + "'");
            }
            String value = args[++i];
            switch (option) {
                case "--join" -> join = addresses(value);
                case "--bind" -> bind = nonBlank(option, value);
                case "--port" -> port = number(option, value, 1, 65535);
                case "--cluster-name" -> clusterName = nonBlank(option, value);
                case "--workers" -> workers = number(option, value, 1, 4096);
                case "--classpath" -> classpath = split(value, File.pathSeparator);
                case "--allow-tasks" -> allowTasks = split(value, ",");
                default -> throw new IllegalArgumentException("unknown option '" + escape(option) + "'");
            }
        }
        return new NodeArguments(join, bind, port, clusterName, workers, classpath, allowTasks, false);
    }

    /**
     * Checks a {@code host:port[,host:port...]} list; also used by the clients' settings.
     *
     * @param list the comma-separated addresses
     * @return the addresses, trimmed
     * @throws IllegalArgumentException if one is not {@code host:port} or the list is empty
     */
    public static List<String> addresses(String list) {
        List<String> addresses = new ArrayList<>();
        for (String address : split(list, ",")) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("'" + escape(address) + "' is not HOST:PORT");
            }
            number("the port of " + address, address.substring(colon + 1), 1, 65535);
            addresses.add(address);
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no HOST:PORT given");
        }
        return List.copyOf(addresses);
    }

    private static List<String> split(String value, String separator) {
        return Arrays.stream(value.split(java.util.regex.Pattern.quote(separator))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static String nonBlank(String option, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank");
        }
        return value;
    }

    private static int number(String what, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " needs a whole number, got '" + escape(value) + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    /** Keeps an error on one line whatever the argument holds. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
}
