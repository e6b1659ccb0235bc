package io.forkpool.internal.worker;

import io.forkpool.Task;

/** Says what its untyped input became: the class of the value and of its first element, if a list. */
public final class Describe implements Task<Object, String> {

    /** Public no-argument constructor. */
    public Describe() {
    }

    @Override
    public String execute(Object input) {
        String type = input == null ? "null" : input.getClass().getName();
        if (input instanceof java.util.List<?> list && !list.isEmpty()) {
            return type + "<" + list.get(0).getClass().getName() + ", "
                    + (list.size() > 1 ? list.get(1).getClass().getName() : "") + ">";
        }
        return type;
    }
}
