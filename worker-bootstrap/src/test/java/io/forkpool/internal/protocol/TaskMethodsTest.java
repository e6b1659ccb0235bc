package io.forkpool.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.Task;
import io.forkpool.TaskFunction;
import io.forkpool.internal.worker.Methods;
import io.forkpool.internal.worker.Upper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.TypeFactory;

class TaskMethodsTest {

    private final TypeFactory types = Messages.newDataMapper(1 << 20).getTypeFactory();

    /** A public class whose method is not public. */
    public static final class Fixtures {
        private Fixtures() {
        }

        static String packagePrivate(String text) {
            return text;
        }
    }

    /** A class that is not public. */
    static final class NotPublic {
        private NotPublic() {
        }

        /**
         * @param text a text
         * @return it
         */
        public static String run(String text) {
            return text;
        }
    }

    private static Method identify(TaskFunction<?, ?> function) {
        return TaskMethods.identify(function);
    }

    @Test
    void aStaticReferenceIsNamedByItsClassAndMethodWithTypesFromItsSignature() {
        Method method = identify((TaskFunction<Methods.Span, Long>) Methods::size);
        assertThat(TaskMethods.nameOf(method)).isEqualTo("io.forkpool.internal.worker.Methods::size");
        TaskTypes.Resolved resolved = TaskTypes.resolve(types, method);
        assertThat(resolved.name()).isEqualTo("io.forkpool.internal.worker.Methods::size");
        assertThat(resolved.taskClass()).isEqualTo(Methods.class);
        assertThat(resolved.method()).isEqualTo(method);
        assertThat(resolved.inputType().getRawClass()).isEqualTo(Methods.Span.class);
        assertThat(resolved.outputType().getRawClass()).isEqualTo(Long.class); // long, boxed
    }

    @Test
    void aGenericReturnTypeKeepsItsTypeArguments() throws Exception {
        TaskTypes.Resolved resolved = TaskTypes.resolve(types, "io.forkpool.internal.worker.Methods::squares",
                getClass().getClassLoader());
        assertThat(resolved.outputType().toCanonical()).isEqualTo("java.util.List<java.lang.Long>");
        JsonMapper mapper = Messages.newDataMapper(1 << 20);
        List<Object> decoded = mapper.readerFor(resolved.outputType()).readValue("[1,4]");
        assertThat(decoded).containsExactly(1L, 4L);
        assertThat(decoded.get(0)).isInstanceOf(Long.class);
    }

    @Test
    void theWorkerResolvesAClassNameAsATaskClass() throws Exception {
        TaskTypes.Resolved resolved = TaskTypes.resolve(types, Upper.class.getName(), getClass().getClassLoader());
        assertThat(resolved.name()).isEqualTo(Upper.class.getName());
        assertThat(resolved.method()).isNull();
        assertThat(resolved.outputType().toCanonical()).isEqualTo("java.util.List<java.lang.String>");
    }

    @Test
    void theInvokerCallsTheMethodAndRethrowsWhatItThrowsAsItIs() throws Exception {
        Task<Object, Object> size = TaskMethods.invoker(identify((TaskFunction<Methods.Span, Long>) Methods::size));
        assertThat(size.execute(new Methods.Span(3, 10))).isEqualTo(7L);
        Task<Object, Object> refuse = TaskMethods.invoker(identify((TaskFunction<String, String>) Methods::refuse));
        assertThatThrownBy(() -> refuse.execute("x"))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("refused x")
                .satisfies(e -> assertThat(e.getStackTrace()[0].getMethodName()).isEqualTo("refuse"));
    }

    @Test
    void aCapturingLambdaIsRefusedSayingToPassTheValueInTheInput() {
        int offset = 3;
        assertThatThrownBy(() -> identify((TaskFunction<Integer, Integer>) x -> x + offset))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a lambda in " + TaskMethodsTest.class.getName() + " captures 1 value: pass it"
                        + " in the input");
    }

    @Test
    void aPlainLambdaIsRefusedSayingWhy() {
        assertThatThrownBy(() -> identify((TaskFunction<Integer, Integer>) x -> x + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a lambda in " + TaskMethodsTest.class.getName() + " cannot be a task")
                .hasMessageContaining("write the body as a public static method and pass Owner::method");
    }

    @Test
    void aBoundReceiverIsRefused() {
        String greeting = "hello";
        assertThatThrownBy(() -> identify((TaskFunction<Object, Boolean>) greeting::equals))
                .hasMessage("the reference to java.lang.String::equals in " + TaskMethodsTest.class.getName()
                        + " binds its receiver: the object lives in this JVM; make the method static and pass what"
                        + " it needs in the input");
    }

    @Test
    void instanceAndConstructorReferencesAreRefused() {
        assertThatThrownBy(() -> identify((TaskFunction<String, Integer>) String::length))
                .hasMessageContaining("java.lang.String::length")
                .hasMessageContaining("calls an instance method (invokeVirtual) on its input");
        assertThatThrownBy(() -> identify((TaskFunction<String, StringBuilder>) StringBuilder::new))
                .hasMessageContaining("is a constructor reference (java.lang.StringBuilder::new)");
    }

    @Test
    void anInstanceOfAClassIsRefused() {
        TaskFunction<String, String> anonymous = new TaskFunction<>() {
            @Override
            public String apply(String input) {
                return input;
            }
        };
        assertThatThrownBy(() -> identify(anonymous))
                .hasMessageContaining("is an instance of a class (maybe an anonymous one), not a method reference");
    }

    @Test
    void methodsThatCannotBeNamedSafelyAreRefused() {
        assertThatThrownBy(() -> identify((TaskFunction<String, String>) Methods::same))
                .hasMessageStartingWith("io.forkpool.internal.worker.Methods::same is a generic method ([T])");
        assertThatThrownBy(() -> identify((TaskFunction<Integer, Integer>) Methods::twice))
                .hasMessageStartingWith("io.forkpool.internal.worker.Methods::twice is overloaded (2 methods");
        assertThatThrownBy(() -> identify((TaskFunction<String, String>) Fixtures::packagePrivate))
                .hasMessageEndingWith("packagePrivate is not public and static: a task method must be 'public static'");
        assertThatThrownBy(() -> identify((TaskFunction<String, String>) NotPublic::run))
                .hasMessageContaining("NotPublic is not a public top-level or static nested class");
    }

    @Test
    void theWorkerChecksANamedMethodAsTheSupervisorDoes() {
        ClassLoader loader = getClass().getClassLoader();
        assertThatThrownBy(() -> TaskTypes.resolve(types, "io.forkpool.internal.worker.Methods::notStatic", loader))
                .hasMessageContaining("is not public and static");
        assertThatThrownBy(() -> TaskTypes.resolve(types, "io.forkpool.internal.worker.Methods::add", loader))
                .hasMessageContaining("takes 2 parameters: a task method takes exactly one");
        assertThatThrownBy(() -> TaskTypes.resolve(types, "io.forkpool.internal.worker.Methods::missing", loader))
                .hasMessageEndingWith("Methods declares no method named missing");
    }

    @Test
    void theSerializationProbeReadsTheTargetAndWritesNothingButTheStreamHeader() {
        Object unserializable = new Object();
        TaskFunction<Object, Boolean> bound = unserializable::equals;
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        java.lang.invoke.SerializedLambda lambda = TaskMethods.Probe.describe(bound, sink);
        assertThat(lambda.getImplMethodName()).isEqualTo("equals");
        assertThat(lambda.getCapturedArgCount()).isEqualTo(1);
        assertThat(sink.toByteArray()).containsExactly(0xAC, 0xED, 0x00, 0x05); // the magic and version only
        sink.reset();
        lambda = TaskMethods.Probe.describe((TaskFunction<Methods.Span, Long>) Methods::size, sink);
        assertThat(lambda.getImplClass()).isEqualTo("io/forkpool/internal/worker/Methods");
        assertThat(sink.size()).isEqualTo(4);
        assertThat(TaskMethods.Probe.describe("not a lambda", new java.io.ByteArrayOutputStream())).isNull();
    }

    @Test
    void theClassPartOfATaskName() {
        assertThat(TaskMethods.ownerOf("a.b.C::run")).isEqualTo("a.b.C");
        assertThat(TaskMethods.ownerOf("a.b.C")).isEqualTo("a.b.C");
    }
}
