package io.forkpool.internal.worker;

import java.util.List;
import java.util.stream.LongStream;

/** Test tasks written as public static methods, named {@code Methods::name}. */
public final class Methods {

    private Methods() {
    }

    /** A range of numbers. */
    public record Span(long from, long to) {
    }

    /**
     * @param words the words
     * @return them upper-cased
     */
    public static List<String> shout(Upper.Words words) {
        return words.words().stream().map(String::toUpperCase).toList();
    }

    /**
     * @param span a range
     * @return the squares of its numbers, as {@code Long}s even when small
     */
    public static List<Long> squares(Span span) {
        return LongStream.range(span.from(), span.to()).map(n -> n * n).boxed().toList();
    }

    /**
     * @param span a range
     * @return how many numbers it holds
     */
    public static long size(Span span) {
        return span.to() - span.from();
    }

    /**
     * @param text anything
     * @return never
     * @throws java.io.IOException always, naming the text
     */
    public static String refuse(String text) throws java.io.IOException {
        throw new java.io.IOException("refused " + text);
    }

    /**
     * @param n a number
     * @return twice it
     */
    public static int twice(int n) {
        return 2 * n;
    }

    /**
     * @param text a text
     * @return twice it
     */
    public static String twice(String text) {
        return text + text;
    }

    /**
     * @param value anything
     * @param <T> its type
     * @return it
     */
    public static <T> T same(T value) {
        return value;
    }

    /**
     * @param text a text
     * @return it
     */
    public String notStatic(String text) {
        return text;
    }

    /**
     * @param a a number
     * @param b another
     * @return their sum
     */
    public static int add(int a, int b) {
        return a + b;
    }
}
