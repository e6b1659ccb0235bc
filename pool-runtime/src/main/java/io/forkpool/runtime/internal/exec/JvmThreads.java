package io.forkpool.runtime.internal.exec;

/**
 * The threads that live as long as the JVM rather than a pool: the spawner, the warden's link and
 * the callback threads. Each is a daemon, and is made in the JVM's root thread group rather than
 * in the group of the thread that happened to start it: a launcher that ends the threads of an
 * application's group when the application's {@code main} returns ({@code mvn exec:java}
 * interrupts them, waits 15 s for them and then complains) must leave the JVM's own alone, and
 * these must never end while a pool may still need them. Its context class loader is forkpool's
 * own, so it pins no application's class loader either.
 */
public final class JvmThreads {

    private static final ThreadGroup ROOT = root();

    private JvmThreads() {
    }

    /**
     * Makes such a thread, not started.
     *
     * @param body what it runs
     * @param name its name
     * @return the thread
     */
    public static Thread create(Runnable body, String name) {
        Thread thread = new Thread(ROOT, body, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(JvmThreads.class.getClassLoader());
        return thread;
    }

    private static ThreadGroup root() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }
}
