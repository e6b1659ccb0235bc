package io.forkpool.internal.worker;

import io.forkpool.Task;

/** A test task whose outputs are as large as asked: n x's for n; for -1 an object that cannot be encoded. */
public final class Emit implements Task<Integer, Object> {

    /** Its one property cannot be read. */
    public static final class Unencodable {
        /** @return never */
        public int getValue() {
            throw new IllegalStateException("this output cannot be encoded");
        }
    }

    @Override
    public Object execute(Integer size) {
        return size == -1 ? new Unencodable() : "x".repeat(size);
    }
}
