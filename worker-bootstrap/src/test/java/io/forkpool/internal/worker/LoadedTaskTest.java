package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.forkpool.Task;
import io.forkpool.internal.protocol.Messages;
import io.forkpool.internal.protocol.TaskRequest;
import io.forkpool.internal.protocol.TaskTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A BATCH's arrays: decoded and encoded with one Jackson call each, and taken one element at a
 * time only when that call fails, to name the failing element as before.
 */
class LoadedTaskTest {

    private static final int MAX = 1 << 20;
    private final JsonMapper mapper = Messages.newDataMapper(MAX);

    @SuppressWarnings("unchecked")
    private LoadedTask loaded(Class<?> taskClass) throws Exception {
        return new LoadedTask((Task<Object, Object>) taskClass.getConstructor().newInstance(), mapper,
                TaskTypes.resolve(mapper.getTypeFactory(), taskClass));
    }

    /** The inputs after two bytes that are not theirs, as in a BATCH payload after its name and attempt. */
    private static byte[] payload(String inputs) {
        return ("\u0001\u0002" + inputs).getBytes(StandardCharsets.UTF_8);
    }

    private static LoadedTask.ElementFailure readFailure(LoadedTask task, String inputs) {
        return catchThrowableOfType(() -> task.readInputs(payload(inputs), 2), LoadedTask.ElementFailure.class);
    }

    @Test
    void decodesTheInputsInOneCall() throws Exception {
        LoadedTask upper = loaded(Upper.class);
        Object[] inputs = upper.readInputs(payload("[{\"words\":[\"a\"]}, {\"words\":[]}]"), 2);
        assertThat(inputs).containsExactly(new Upper.Words(List.of("a")), new Upper.Words(List.of()));
        assertThat(upper.oneByOne()).isZero();

        String most = "[" + "1,".repeat(TaskRequest.MAX_BATCH_INPUTS - 1) + "1]";
        LoadedTask step = loaded(Step.class);
        assertThat(step.readInputs(payload(most), 2)).hasSize(TaskRequest.MAX_BATCH_INPUTS);
        assertThat(step.oneByOne()).isZero();
    }

    @Test
    void anInputThatDoesNotDecodeIsNamedByItsIndex() throws Exception {
        LoadedTask upper = loaded(Upper.class);
        LoadedTask.ElementFailure wrongShape = readFailure(upper, "[{\"words\":[\"a\"]}, {\"words\":1}, {\"words\":[]}]");
        assertThat(wrongShape.index).isEqualTo(1);
        assertThat(wrongShape.getCause().getClass().getName()).isEqualTo("tools.jackson.databind.exc.MismatchedInputException");

        LoadedTask.ElementFailure unknown = readFailure(upper, "[{\"words\":[]}, {\"words\":[]}, {\"words\":[], \"x\":1}]");
        assertThat(unknown.index).isEqualTo(2);
        assertThat(unknown.getCause().getClass().getName())
                .isEqualTo("tools.jackson.databind.exc.UnrecognizedPropertyException");

        LoadedTask step = loaded(Step.class);
        assertThat(readFailure(step, "[1,2,\"three\",4]").index).isEqualTo(2);
        assertThat(upper.oneByOne() + step.oneByOne()).as("each failure found one element at a time").isEqualTo(3);
    }

    @Test
    void aFailureOfTheArrayAsAWholeIsIndexZero() throws Exception {
        LoadedTask step = loaded(Step.class);
        String most = "[" + "1,".repeat(TaskRequest.MAX_BATCH_INPUTS) + "1]";
        List<List<String>> cases = List.of(
                List.of("[]", "a BATCH holds at least one input"),
                List.of("", "the inputs of a BATCH must be a JSON array"),
                List.of("null", "the inputs of a BATCH must be a JSON array"),
                List.of("7", "the inputs of a BATCH must be a JSON array"),
                List.of("{\"not\":\"an array\"}", "the inputs of a BATCH must be a JSON array"),
                List.of("[1] [2]", "trailing data after the inputs of a BATCH"),
                List.of(most, "a BATCH holds at most 65536 inputs"));
        for (List<String> inputs : cases) {
            LoadedTask.ElementFailure failure = readFailure(step, inputs.get(0));
            assertThat(failure.index).as(inputs.get(1)).isZero();
            assertThat(failure.getCause()).isInstanceOf(IllegalArgumentException.class).hasMessage(inputs.get(1));
        }
        for (String malformed : List.of("[1, 2", "[1] x", "[1, }")) {
            LoadedTask.ElementFailure failure = readFailure(step, malformed);
            assertThat(failure.index).as(malformed).isZero();
            assertThat(failure.getCause().getClass().getName()).as(malformed).startsWith("tools.jackson.core.");
        }
    }

    @Test
    void encodesTheOutputsInOneCall() throws Exception {
        LoadedTask upper = loaded(Upper.class);
        byte[] encoded = upper.writeOutputs(new Object[] {List.of("A"), List.of(), List.of("B", "C")}, MAX);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("[[\"A\"],[],[\"B\",\"C\"]]");
        LoadedTask emit = loaded(Emit.class);
        encoded = emit.writeOutputs(new Object[] {"x", null, 3, List.of(1)}, MAX);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("[\"x\",null,3,[1]]");
        assertThat(upper.oneByOne() + emit.oneByOne()).isZero();
    }

    @Test
    void theOneCallWritesWhatEachOutputsOwnWriterWould() throws Exception {
        Object[] outputs = {"plain", "caf\u00e9 \u2603 \"quoted\"\n", null, 3, -2.5e-7, List.of(1, "two", List.of()),
            new java.util.TreeMap<>(java.util.Map.of("k", List.of(true, false), "n", 1)), new Upper.Words(List.of("w"))};
        StringBuilder oneByOne = new StringBuilder("[");
        for (Object output : outputs) {
            oneByOne.append(oneByOne.length() > 1 ? "," : "").append(mapper.writerFor(Object.class).writeValueAsString(output));
        }
        LoadedTask emit = loaded(Emit.class);
        assertThat(new String(emit.writeOutputs(outputs, MAX), StandardCharsets.UTF_8)).isEqualTo(oneByOne + "]");
        assertThat(emit.oneByOne()).isZero();
    }

    @Test
    void anOutputThatCannotBeEncodedIsNamedByItsIndex() throws Exception {
        LoadedTask emit = loaded(Emit.class);
        LoadedTask.ElementFailure failure = catchThrowableOfType(
                () -> emit.writeOutputs(new Object[] {"a", "b", new Emit.Unencodable(), "c"}, MAX),
                LoadedTask.ElementFailure.class);
        assertThat(failure.index).isEqualTo(2);
        assertThat(failure.getCause()).hasMessageContaining("this output cannot be encoded");

        // An output not of the declared type (a task's unchecked cast) fails as its own writer says.
        LoadedTask upper = loaded(Upper.class);
        failure = catchThrowableOfType(() -> upper.writeOutputs(new Object[] {List.of("A"), "not a list"}, MAX),
                LoadedTask.ElementFailure.class);
        assertThat(failure.index).isEqualTo(1);
        assertThat(failure.getCause()).hasMessageContaining("Incompatible types");
        assertThat(emit.oneByOne() + upper.oneByOne()).isEqualTo(2);
    }

    @Test
    void outputsPastMaxFrameLengthNameTheInputThatTookThemPastIt() throws Exception {
        LoadedTask emit = loaded(Emit.class);
        // ["xxxxxxxxxxxxxxxx"] is 20 bytes: it fits a 20-byte frame exactly, one x more does not.
        assertThat(emit.writeOutputs(new Object[] {"x".repeat(16)}, 20)).hasSize(20);
        assertThat(emit.oneByOne()).isZero();
        LoadedTask.ElementFailure failure = catchThrowableOfType(
                () -> emit.writeOutputs(new Object[] {"x".repeat(17)}, 20), LoadedTask.ElementFailure.class);
        assertThat(failure.index).isZero();
        assertThat(failure.getCause()).isInstanceOfSatisfying(OwnFailure.class,
                own -> assertThat(own.protocolName).isEqualTo(io.forkpool.internal.protocol.Messages.OUTPUT_NOT_ENCODABLE))
                .hasMessage("outputs of 21 bytes up to input 0 exceed maxFrameLength 20");

        failure = catchThrowableOfType(() -> emit.writeOutputs(new Object[] {"a", "x".repeat(30), "b"}, 20),
                LoadedTask.ElementFailure.class);
        assertThat(failure.index).isEqualTo(1);
        assertThat(failure.getCause()).hasMessage("outputs of 38 bytes up to input 1 exceed maxFrameLength 20");

        failure = catchThrowableOfType(() -> emit.writeOutputs(new Object[] {"a", "b", "x".repeat(10)}, 20),
                LoadedTask.ElementFailure.class);
        assertThat(failure.index).isEqualTo(2);
        assertThat(failure.getCause()).hasMessage("outputs of 22 bytes up to input 2 exceed maxFrameLength 20");
    }
}
