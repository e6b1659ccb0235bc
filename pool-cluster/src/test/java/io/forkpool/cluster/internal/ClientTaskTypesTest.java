package io.forkpool.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forkpool.TaskFunction;
import io.forkpool.TaskName;
import io.forkpool.TypeRef;
import io.forkpool.examples.CountPrimes;
import io.forkpool.examples.Primes;
import io.forkpool.examples.Range;
import io.forkpool.internal.protocol.Messages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientTaskTypesTest {

    private final ClientTaskTypes types = new ClientTaskTypes(Messages.newDataMapper(1 << 20), 1 << 20);

    @Test
    void aMethodReferenceIsNamedClassColonColonMethodAndTypedByItsSignature() {
        ClientTaskType type = types.of((TaskFunction<Range, Long>) Primes::count);
        assertThat(type.name).isEqualTo("io.forkpool.examples.Primes::count");
        assertThat(new String(type.encode(new Range(0, 10)), StandardCharsets.UTF_8)).isEqualTo("{\"from\":0,\"to\":10}");
        assertThat(type.decode("4".getBytes(StandardCharsets.UTF_8))).isEqualTo(4L);
    }

    @Test
    void everyCallSiteOfAMethodSharesOneType() {
        ClientTaskType first = types.of((TaskFunction<Range, Long>) Primes::count);
        ClientTaskType second = types.of((TaskFunction<Range, Long>) Primes::count);
        assertThat(second).isSameAs(first);
        assertThat(types.of(CountPrimes.class).name).isEqualTo(CountPrimes.class.getName());
    }

    @Test
    void aCapturingLambdaIsRefused() {
        long offset = 1;
        assertThatThrownBy(() -> types.of((TaskFunction<Range, Long>) r -> Primes.count(r) + offset))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures 1 value: pass it in the input");
    }

    @Test
    void aTaskNameIsSentAsItIsAndTypedByTheStatedTypes() {
        ClientTaskType type = types.of(TaskName.of("com.example.squares", TypeRef.of(Integer.class),
                new TypeRef<java.util.List<Long>>() { }));
        assertThat(type.name).isEqualTo("com.example.squares");
        assertThat(type.inputType).isEqualTo("java.lang.Integer");
        assertThat(type.outputType).isEqualTo("java.util.List<java.lang.Long>");
        assertThat(type.decode("[0,1,4]".getBytes(StandardCharsets.UTF_8))).isEqualTo(java.util.List.of(0L, 1L, 4L));
        assertThat(types.of(TaskName.of("com.example.squares", TypeRef.of(Integer.class),
                new TypeRef<java.util.List<Long>>() { }))).as("one type per name and types").isSameAs(type);
    }
}
