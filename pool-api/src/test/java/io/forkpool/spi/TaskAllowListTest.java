package io.forkpool.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskAllowListTest {

    @Test
    void anyAllowsEveryNameOutsideTheJdkNamespaces() {
        TaskAllowList list = TaskAllowList.of(List.of("*"));
        assertThat(list.allows("com.example.CountPrimes")).isTrue();
        assertThat(list.allows("CountPrimes")).isTrue();
        assertThat(list.allows("com.sun.rowset.JdbcRowSetImpl")).isFalse();
        assertThat(list.allows("java.lang.Runtime")).isFalse();
        assertThat(list.allows("javax.management.BadAttributeValueExpException")).isFalse();
        assertThat(list.allows("jdk.internal.misc.Unsafe")).isFalse();
        assertThat(list.allows("sun.misc.Unsafe")).isFalse();
    }

    @Test
    void packagePatternCoversThePackageAndThoseBelowButNotLookalikes() {
        TaskAllowList list = TaskAllowList.of(List.of("com.example.tasks.*"));
        assertThat(list.allows("com.example.tasks.Count")).isTrue();
        assertThat(list.allows("com.example.tasks.sub.Count")).isTrue();
        assertThat(list.allows("com.example.tasks.Outer$Inner")).isTrue();
        assertThat(list.allows("com.example.tasksevil.Count")).isFalse();
        assertThat(list.allows("com.example.Count")).isFalse();
        assertThat(list.allows("com.example.tasks")).isFalse();
    }

    @Test
    void classEntryCoversExactlyThatClass() {
        TaskAllowList list = TaskAllowList.of(List.of("com.example.Count", "org.acme.Outer$Inner"));
        assertThat(list.allows("com.example.Count")).isTrue();
        assertThat(list.allows("org.acme.Outer$Inner")).isTrue();
        assertThat(list.allows("com.example.CountEvil")).isFalse();
        assertThat(list.allows("com.example.Count$Inner")).isFalse();
        assertThat(list.allows("org.acme.Outer")).isFalse();
    }

    @Test
    void aMethodIsAllowedExactlyWhenItsClassIs() {
        TaskAllowList list = TaskAllowList.of(List.of("com.example.Count", "org.acme.tasks.*"));
        assertThat(list.allows("com.example.Count::count")).isTrue();
        assertThat(list.allows("org.acme.tasks.Primes::count")).isTrue();
        assertThat(list.allows("com.example.CountEvil::count")).isFalse();
        assertThat(list.allows("com.example::Count")).isFalse();
        assertThat(list.allows("org.acme.tasks::count")).isFalse();
        TaskAllowList any = TaskAllowList.of(List.of("*"));
        assertThat(any.allows("com.example.Count::count")).isTrue();
        assertThat(any.allows("java.lang.Runtime::getRuntime")).isFalse();
        assertThat(any.allows("java.lang.System::exit")).isFalse();
    }

    @Test
    void jdkNamesAreRefusedEvenWhenListed() {
        TaskAllowList list = TaskAllowList.of(List.of("com.sun.rowset.JdbcRowSetImpl", "java.*"));
        assertThat(list.allows("com.sun.rowset.JdbcRowSetImpl")).isFalse();
        assertThat(list.allows("java.util.ArrayList")).isFalse();
    }

    @Test
    void malformedEntriesAreRejectedNamingThem() {
        for (String bad : List.of("", " ", "com..Foo", "com.example.", ".Foo", "com.*.Foo", "com.example.**",
                "com/example/Foo", "com.example.Foo;", "1com.Foo")) {
            assertThatThrownBy(() -> TaskAllowList.of(List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"" + bad + "\"");
        }
        assertThatThrownBy(() -> TaskAllowList.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one entry");
    }

    @Test
    void refusalNamesTheClassAndTheList() {
        TaskAllowList list = TaskAllowList.of(List.of("com.example.*"));
        assertThat(list.refusal("org.evil.Task")).hasMessage("org.evil.Task is not in the pool's task allow-list [com.example.*]");
    }
}
