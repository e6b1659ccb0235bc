package io.forkpool.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeArgumentsTest {

    @Test
    void defaultsBindLoopbackOnly() {
        NodeArguments parsed = NodeArguments.parse(new String[] {"--join", "127.0.0.1:5701"});

        assertThat(parsed.bind()).isEqualTo("127.0.0.1");
        assertThat(parsed.port()).isEqualTo(5701);
        assertThat(parsed.clusterName()).isEqualTo("forkpool");
        assertThat(parsed.workers()).isZero();
        assertThat(parsed.allowTasks()).containsExactly("*");
    }

    @Test
    void readsEveryOption() {
        NodeArguments parsed = NodeArguments.parse(new String[] {"--join", "a:1, b:2", "--bind", "10.0.0.1", "--port",
                "6000", "--cluster-name", "batch", "--workers", "16", "--classpath", "x.jar" + File.pathSeparator + "y",
                "--allow-tasks", "com.example.*,org.Task"});

        assertThat(parsed.join()).containsExactly("a:1", "b:2");
        assertThat(parsed).extracting(NodeArguments::bind, NodeArguments::port, NodeArguments::clusterName,
                NodeArguments::workers).containsExactly("10.0.0.1", 6000, "batch", 16);
        assertThat(parsed.classpath()).containsExactly("x.jar", "y");
        assertThat(parsed.allowTasks()).isEqualTo(List.of("com.example.*", "org.Task"));
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        assertThatThrownBy(() -> NodeArguments.parse(new String[] {"--join", "nohost"}))
                .hasMessage("'nohost' is not HOST:PORT");
        assertThatThrownBy(() -> NodeArguments.parse(new String[] {"--join", "h:70000"}))
                .hasMessage("the port of h:70000 must be between 1 and 65535, got 70000");
        assertThatThrownBy(() -> NodeArguments.parse(new String[] {"--workers", "0"}))
                .hasMessage("--workers must be between 1 and 4096, got 0");
        assertThatThrownBy(() -> NodeArguments.parse(new String[] {"--port"})).hasMessage("--port needs a value");
        assertThatThrownBy(() -> NodeArguments.parse(new String[] {"--colour\nred", "x"}))
                .hasMessage("unknown option '--colour\\nred'");
    }

    @Test
    void helpWins() {
        assertThat(NodeArguments.parse(new String[] {"--port", "1", "--help"}).help()).isTrue();
        assertThat(NodeArguments.USAGE).contains("--join", "--bind", "--port", "--cluster-name", "--workers",
                "--classpath", "--allow-tasks");
    }
}
