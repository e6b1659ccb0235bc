package io.forkpool.runtime.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.internal.protocol.Messages;
import io.forkpool.runtime.internal.ledger.CodecTasks.Circle;
import io.forkpool.runtime.internal.ledger.CodecTasks.Counted;
import io.forkpool.runtime.internal.ledger.CodecTasks.CountedSub;
import io.forkpool.runtime.internal.ledger.CodecTasks.CountingDeserializer;
import io.forkpool.runtime.internal.ledger.CodecTasks.Dot;
import io.forkpool.runtime.internal.ledger.CodecTasks.Framed;
import io.forkpool.runtime.internal.ledger.CodecTasks.NoCreator;
import io.forkpool.runtime.internal.ledger.CodecTasks.Square;
import io.forkpool.runtime.internal.ledger.CodecTasks.Triangle;
import io.forkpool.spi.TaskAllowList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * An input that encodes but cannot be decoded as the task's input type fails the submission at
 * once, alone or in a batch, rather than a worker after a round trip; the first input of each class
 * is decoded once, and no other.
 */
class TaskTypesDecodeCheckTest {

    private static final int MAX_FRAME = 1 << 20;

    private final TaskTypes types = new TaskTypes(TaskAllowList.of(List.of(TaskAllowList.ANY)),
            CompletableFuture.completedFuture(Messages.newDataMapper(MAX_FRAME)), MAX_FRAME);

    @BeforeEach
    void resetCount() {
        CountingDeserializer.CALLS.set(0);
    }

    private static String refusal(Class<?> task, Class<?> input, Class<?> declared) {
        return "the input of " + task.getName() + " (a " + input.getName() + ") encodes, but cannot be decoded as "
                + declared.getName() + ", so no worker could read it: ";
    }

    @Test
    void aPojoWithoutACreatorIsRefusedAloneAndInABatch() {
        TaskType type = types.of(CodecTasks.NoCreators.class);
        String message = refusal(CodecTasks.NoCreators.class, NoCreator.class, NoCreator.class);

        assertThatThrownBy(() -> types.encode(type, new NoCreator(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message).hasMessageContaining("Cannot construct instance of")
                .hasCauseInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> types.encodeAll(type, List.of(new NoCreator(1), new NoCreator(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message)
                .hasCauseInstanceOf(MismatchedInputException.class);
        // A refusal is not remembered as checked: the next input of the class is refused too.
        assertThatThrownBy(() -> types.encode(type, new NoCreator(4))).hasMessageStartingWith(message);
    }

    @Test
    void anInterfaceTypedFieldIsRefusedAloneAndInABatch() {
        TaskType type = types.of(CodecTasks.Framings.class);
        String message = refusal(CodecTasks.Framings.class, Framed.class, Framed.class);

        assertThatThrownBy(() -> types.encode(type, new Framed(new Dot(1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message).hasMessageContaining(CodecTasks.Figure.class.getName())
                .hasCauseInstanceOf(InvalidDefinitionException.class);
        assertThatThrownBy(() -> types.encodeAll(type, List.of(new Framed(new Dot(1)), new Framed(new Dot(2)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message)
                .hasCauseInstanceOf(InvalidDefinitionException.class);
    }

    @Test
    void theFirstInputOfEachClassIsDecodedOnceAndNoOther() {
        TaskType type = types.of(CodecTasks.Counteds.class);

        types.encode(type, new Counted());
        types.encode(type, new Counted());
        assertThat(CountingDeserializer.CALLS).hasValue(1);

        // A batch checks the first input of each class it holds, and only of a class not checked yet.
        types.encodeAll(type, Arrays.asList(new Counted(), new CountedSub(), null, new Counted(), new CountedSub()));
        assertThat(CountingDeserializer.CALLS).hasValue(2);
        types.encodeAll(type, List.of(new CountedSub(), new Counted()));
        types.encode(type, new CountedSub());
        assertThat(CountingDeserializer.CALLS).hasValue(2);
    }

    @Test
    void aBatchOfTwoClassesChecksEachAndNamesTheOneThatDoesNotDecode() {
        TaskType type = types.of(CodecTasks.Shapes.class);

        assertThat(types.encodeAll(type, List.of(new Circle(), new Square())).count()).isEqualTo(2);
        assertThatThrownBy(() -> types.encodeAll(type, List.of(new Circle(), new Triangle())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(refusal(CodecTasks.Shapes.class, Triangle.class, CodecTasks.Shape.class))
                .hasCauseInstanceOf(InvalidTypeIdException.class);
        // The same for a linked list, whose inputs are walked rather than indexed.
        assertThatThrownBy(() -> types.encodeAll(type, new LinkedList<>(List.of(new Square(), new Triangle()))))
                .hasMessageStartingWith(refusal(CodecTasks.Shapes.class, Triangle.class, CodecTasks.Shape.class));
    }

    @Test
    void documentsAreNotDecoded() {
        TaskType type = types.documents("io.forkpool.examples.Anything");
        byte[] notJson = {'{'};
        assertThat(types.encode(type, notJson)).isSameAs(notJson);
    }
}
