package io.forkpool.internal.protocol;

import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Words Jackson's failures to encode task data for a person. Jackson reports a cycle in an input
 * (A refers to B, which refers to A) as the nesting limit's "Document nesting depth (501) exceeds
 * …", and appends the whole reference chain to the exception's message: some 20,000 characters.
 * Here that becomes "a cycle or nesting deeper than 500 levels", with the path's first steps, and
 * the exception is not kept as a cause. Pure functions.
 */
public final class JsonFailures {

    /** How many steps of the reference path a description names. */
    static final int PATH_STEPS = 3;

    private JsonFailures() {
    }

    /**
     * @param e what Jackson threw while encoding
     * @return a short description: for the nesting limit, "a cycle or nesting deeper than 500
     *     levels (at A["b"] -&gt; B["a"] -&gt; A["b"] -&gt; …)"; otherwise Jackson's own message,
     *     without the reference chain
     */
    public static String describe(JacksonException e) {
        if (!isNestingLimit(e)) {
            return e.getOriginalMessage();
        }
        List<JacksonException.Reference> path = e.getPath();
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < Math.min(PATH_STEPS, path.size()); i++) {
            at.append(i == 0 ? "" : " -> ").append(withoutPackage(path.get(i).getDescription()));
        }
        if (path.size() > PATH_STEPS) {
            at.append(" -> ...");
        }
        return "a cycle or nesting deeper than " + Messages.MAX_NESTING_DEPTH + " levels"
                + (path.isEmpty() ? "" : " (at " + at + ")");
    }

    /**
     * @param e what Jackson threw while encoding
     * @return the cause worth keeping: {@code e}, or {@code null} for the nesting limit, whose
     *     message holds the whole reference chain and says nothing {@link #describe} does not
     */
    public static Throwable causeToKeep(JacksonException e) {
        return isNestingLimit(e) ? null : e;
    }

    private static boolean isNestingLimit(JacksonException e) {
        return e instanceof StreamConstraintsException && String.valueOf(e.getOriginalMessage()).contains("nesting depth");
    }

    /** "io.x.Node[\"next\"]" becomes "Node[\"next\"]"; a name with no package is kept. */
    private static String withoutPackage(String description) {
        int bracket = description.indexOf('[');
        int dot = description.lastIndexOf('.', bracket < 0 ? description.length() : bracket);
        return dot < 0 ? description : description.substring(dot + 1);
    }
}
