package io.forkpool.internal.worker;

import io.forkpool.Task;
import java.util.List;

/** Upper-cases every string of a record; a test task. */
public final class Upper implements Task<Upper.Words, List<String>> {

    /** Input record. */
    public record Words(List<String> words) {
    }

    @Override
    public List<String> execute(Words input) {
        return input.words().stream().map(String::toUpperCase).toList();
    }
}
