package io.forkpool.demo;

/**
 * Where the tasks run, as {@link DemoOptions#mode()} derives it from the command line. The name
 * is what the summary's mode line and the JSON's {@code mode} field say.
 */
enum RunMode {
    /** Worker JVMs started by this JVM: the default. */
    POOL("pool"),
    /** Threads of this JVM ({@code --in-process}): the baseline. */
    IN_PROCESS("in-process"),
    /** The worker JVMs of forkpool nodes, reached as a cluster client ({@code --cluster}). */
    CLUSTER("cluster");

    private final String label;

    RunMode(String label) {
        this.label = label;
    }

    /** @return the mode as the summary and the JSON name it, e.g. {@code in-process} */
    String label() {
        return label;
    }
}
