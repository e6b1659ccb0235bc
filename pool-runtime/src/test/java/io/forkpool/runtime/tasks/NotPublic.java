package io.forkpool.runtime.tasks;

import io.forkpool.Task;

/** Task classes that can never run, for submit's fail-fast checks. */
public final class NotPublic {

    private NotPublic() {
    }

    /** Package-private: a worker could not instantiate it. */
    static final class Hidden implements Task<String, String> {
        @Override
        public String execute(String input) {
            return input;
        }
    }

    /** No no-argument constructor. */
    public static final class NeedsArgument implements Task<String, String> {
        private final String prefix;

        /** @param prefix a prefix */
        public NeedsArgument(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public String execute(String input) {
            return prefix + input;
        }
    }

    /** Abstract. */
    public abstract static class Abstract implements Task<String, String> {
    }

    /** @return the hidden class, for tests in other packages */
    public static Class<? extends Task<String, String>> hidden() {
        return Hidden.class;
    }
}
