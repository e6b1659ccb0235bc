package io.forkpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.ParameterizedType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A task known by name: the name's form and the stated types. */
class TaskNameTest {

    @Test
    void aNameHasTheFormOfABinaryClassNameOptionallyWithAMethod() {
        for (String name : List.of("count_primes", "io.forkpool.examples.CountPrimes", "com.example.Outer$Inner",
                "io.forkpool.examples.Primes::count", "é.Ünïcode", "$x._y")) {
            assertThat(TaskName.of(name, Long.class, Long.class).name()).isEqualTo(name);
        }
        for (String bad : List.of("", "count-primes", "a..b", ".a", "a.", "a.*", "*", "1abc", "a::b::c", "a::",
                "::b", "a b", "a.b::c.d")) {
            assertThatThrownBy(() -> TaskName.of(bad, Long.class, Long.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("\"" + bad + "\" is not a task name: expected identifiers separated by dots, as a binary"
                            + " class name (com.example.CountPrimes, count_primes), optionally followed by ::method");
        }
    }

    @Test
    void aNameLongerThanTheFramesSixteenBitLengthIsRefused() {
        String longest = "a".repeat(65_535);
        assertThat(TaskName.of(longest, Long.class, Long.class).name()).hasSize(65_535);
        assertThatThrownBy(() -> TaskName.of(longest + "b", Long.class, Long.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a task name takes at most 65535 bytes of UTF-8: aaaa");
        assertThatThrownBy(() -> TaskName.of("é".repeat(32_768), Long.class, Long.class)) // 65,536 bytes
                .hasMessageStartingWith("a task name takes at most 65535 bytes of UTF-8");
    }

    @Test
    void primitiveClassesStandForTheirWrappers() {
        TaskName<Integer, Void> task = TaskName.of("x.Y", int.class, void.class);
        assertThat(task.inputType()).isEqualTo(Integer.class);
        assertThat(task.outputType()).isEqualTo(Void.class);
        assertThat(TypeRef.of(long.class).type()).isEqualTo(Long.class);
    }

    @Test
    void aTypeRefKeepsGenericArguments() {
        TaskName<Map<String, Long>, List<Long>> task = TaskName.of("x.Y", new TypeRef<Map<String, Long>>() { },
                new TypeRef<List<Long>>() { });
        assertThat(task.outputType()).isInstanceOfSatisfying(ParameterizedType.class, p -> {
            assertThat(p.getRawType()).isEqualTo(List.class);
            assertThat(p.getActualTypeArguments()).containsExactly(Long.class);
        });
        assertThat(task.inputType().getTypeName()).isEqualTo("java.util.Map<java.lang.String, java.lang.Long>");
        assertThat(task).isEqualTo(TaskName.of("x.Y", new TypeRef<Map<String, Long>>() { }, new TypeRef<List<Long>>() { }));
        assertThat(task.toString()).isEqualTo(
                "x.Y(java.util.Map<java.lang.String, java.lang.Long>) -> java.util.List<java.lang.Long>");
        assertThat(TaskName.of("x.Y", TypeRef.of(String.class), TypeRef.of(Long.class)))
                .isEqualTo(TaskName.of("x.Y", String.class, Long.class));
    }

    @Test
    void aTypeRefWithATypeVariableIsRefused() {
        assertThatThrownBy(TaskNameTest::listOf)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a TypeRef needs a concrete type, not the type variable T: write the type out, e.g."
                        + " new TypeRef<List<Long>>() {}");
    }

    private static <T> TypeRef<List<T>> listOf() {
        return new TypeRef<List<T>>() { };
    }

    @Test
    @SuppressWarnings("rawtypes")
    void aRawTypeRefIsRefused() {
        assertThatThrownBy(() -> new TypeRef() { })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("write a TypeRef as a direct anonymous subclass with its type argument:"
                        + " new TypeRef<List<Long>>() {}");
    }
}
