package io.forkpool.runtime.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JvmThreadsTest {

    @Test
    void aThreadMadeInAnApplicationsGroupJoinsTheRootGroupAsADaemonWithForkpoolsLoader() throws Exception {
        ThreadGroup application = new ThreadGroup("application"); // as mvn exec:java runs main
        ClassLoader applicationLoader = new ClassLoader(null) { };
        AtomicReference<Thread> made = new AtomicReference<>();
        Thread main = new Thread(application, () -> made.set(JvmThreads.create(() -> { }, "jvm-lifetime")), "main");
        main.setContextClassLoader(applicationLoader);
        main.start();
        main.join();

        Thread thread = made.get();
        assertThat(thread.getThreadGroup().getParent()).as("the root group's parent").isNull();
        assertThat(thread.getThreadGroup()).isNotSameAs(application);
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).isEqualTo("jvm-lifetime");
        assertThat(thread.getContextClassLoader()).isSameAs(JvmThreads.class.getClassLoader());
    }
}
