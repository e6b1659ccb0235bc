package io.forkpool.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.Task;
import io.forkpool.internal.protocol.Messages;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/** A cluster client checks, as a local pool does, that the first input of each class decodes before sending it. */
class ClientTaskTypeTest {

    private static final int MAX = 1 << 20;

    /** A POJO without a creator: it encodes, but cannot be made from its JSON. */
    public static class NoCreator {
        private final int a;

        public NoCreator(int a) {
            this.a = a;
        }

        public int getA() {
            return a;
        }
    }

    /** An interface with no type information. */
    public interface Figure {
    }

    /** A figure. */
    public record Dot(int x) implements Figure {
    }

    /** A record with an interface-typed field. */
    public record Framed(Figure figure) {
    }

    /** A value whose deserializer counts its calls. */
    @JsonDeserialize(using = Counting.class)
    public static class Counted {
        public int n = 1;
    }

    /** Counts how often a {@link Counted} is decoded. */
    public static final class Counting extends ValueDeserializer<Counted> {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public Counted deserialize(JsonParser parser, DeserializationContext context) {
            CALLS.incrementAndGet();
            context.readTree(parser);
            return new Counted();
        }
    }

    /** The body of every task here: none runs. */
    abstract static class Never<I> implements Task<I, Long> {
        @Override
        public Long execute(I input) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class NoCreators extends Never<NoCreator> { }

    public static final class Framings extends Never<Framed> { }

    public static final class Counteds extends Never<Counted> { }

    private static ClientTaskType type(Class<?> task) {
        return new ClientTaskTypes(Messages.newDataMapper(MAX), MAX).of(task);
    }

    @Test
    void anInputThatEncodesButDoesNotDecodeIsRefusedBeforeItIsSent() {
        ClientTaskType pojos = type(NoCreators.class);
        assertThatThrownBy(() -> pojos.encode(new NoCreator(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the input of " + NoCreators.class.getName() + " (a " + NoCreator.class.getName()
                        + ") encodes, but cannot be decoded as " + NoCreator.class.getName()
                        + ", so no worker could read it: ")
                .hasCauseInstanceOf(MismatchedInputException.class);

        ClientTaskType framings = type(Framings.class);
        assertThatThrownBy(() -> framings.encode(new Framed(new Dot(1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be decoded as " + Framed.class.getName())
                .hasCauseInstanceOf(InvalidDefinitionException.class);
        assertThat(framings.inputType).isEqualTo(Framed.class.getName());
        assertThat(framings.outputType).isEqualTo("java.lang.Long");
    }

    @Test
    void theFirstInputOfAClassIsDecodedOnce() {
        Counting.CALLS.set(0);
        ClientTaskType counteds = type(Counteds.class);
        assertThat(new String(counteds.encode(new Counted()), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"n\":1}");
        counteds.encode(new Counted());
        counteds.encode(null);
        assertThat(Counting.CALLS).hasValue(1);
    }

    @Test
    void anOutputDecodesStrictlyAsItsDeclaredTypeAsInALocalPool() {
        ClientTaskType longs = type(NoCreators.class); // its output type is Long
        assertThatThrownBy(() -> longs.decode(bytes("\"25\""))).isInstanceOf(MismatchedInputException.class)
                .hasMessageStartingWith("Cannot coerce String value (\"25\") to `java.lang.Long` value");
        assertThatThrownBy(() -> longs.decode(bytes("1.5"))).isInstanceOf(InvalidFormatException.class)
                .hasMessageStartingWith("Cannot coerce Floating-point value (1.5) to `java.lang.Long` value");
        assertThatThrownBy(() -> longs.decode(bytes("true"))).isInstanceOf(MismatchedInputException.class)
                .hasMessageStartingWith("Cannot deserialize value of type `java.lang.Long` from Boolean value");
        assertThat(longs.decode(bytes("25"))).isEqualTo(25L);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
