package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.Task;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.type.TypeFactory;

/** A task's type arguments must be concrete: Jackson alone would take an unbound {@code T} for {@code Object}. */
class TaskTypesTest {

    private final TypeFactory types = Messages.newDataMapper(1 << 20).getTypeFactory();

    /** Task's arguments are its own variable: refused. */
    public static class Identity<T> implements Task<T, T> {
        @Override
        public T execute(T input) {
            return input;
        }
    }

    /** Binds the variable: accepted. */
    public static final class StringIdentity extends Identity<String> {
    }

    /** Untyped on purpose: accepted. */
    public static final class Untyped implements Task<Object, Object> {
        @Override
        public Object execute(Object input) {
            return input;
        }
    }

    /** A variable inside the input type: refused. */
    public static class ListOf<T> implements Task<List<T>, Integer> {
        @Override
        public Integer execute(List<T> input) {
            return input.size();
        }
    }

    /** Binds Task's arguments two levels up. */
    public abstract static class Pair<A, B> implements Task<A, B> {
    }

    /** Binds one of two: refused. */
    public static class Half<X> extends Pair<String, X> {
        @Override
        public X execute(String input) {
            return null;
        }
    }

    /** Binds the other: accepted. */
    public static final class Whole extends Half<Integer> {
    }

    /** Generic, but not in Task's arguments: accepted. */
    public static final class Tagged<T> implements Task<String, String> {
        @Override
        public String execute(String input) {
            return input;
        }
    }

    @Test
    void aTaskWhoseTypeArgumentsAreAVariableIsRefusedWithTheFix() {
        assertThatThrownBy(() -> TaskTypes.resolve(types, Identity.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Identity.class.getName() + " leaves Task's type arguments unresolved (a type variable such"
                        + " as T in Task<T, T>): the worker would decode its input as untyped JSON; declare a subclass"
                        + " with concrete types (class StringIdentity extends Identity<String>), or Task<Object, Object>"
                        + " for untyped data");
        assertThatThrownBy(() -> TaskTypes.resolve(types, ListOf.class)).hasMessageContaining("unresolved");
        assertThatThrownBy(() -> TaskTypes.resolve(types, Half.class)).hasMessageContaining("unresolved");
    }

    @Test
    void concreteTypeArgumentsAreAcceptedHoweverFarUpTheyAreBound() {
        TaskTypes.Resolved identity = TaskTypes.resolve(types, StringIdentity.class);
        assertThat(identity.inputType().getRawClass()).isEqualTo(String.class);
        assertThat(identity.outputType().getRawClass()).isEqualTo(String.class);

        TaskTypes.Resolved whole = TaskTypes.resolve(types, Whole.class);
        assertThat(whole.inputType().getRawClass()).isEqualTo(String.class);
        assertThat(whole.outputType().getRawClass()).isEqualTo(Integer.class);

        assertThat(TaskTypes.resolve(types, Tagged.class).inputType().getRawClass()).isEqualTo(String.class);
    }

    @Test
    void taskOfObjectAndObjectStaysAllowed() {
        TaskTypes.Resolved untyped = TaskTypes.resolve(types, Untyped.class);
        assertThat(untyped.inputType().getRawClass()).isEqualTo(Object.class);
        assertThat(untyped.outputType().getRawClass()).isEqualTo(Object.class);
    }
}
