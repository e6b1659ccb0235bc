package io.forkpool.runtime.internal.ledger;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.forkpool.Task;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/** Task classes of many input and output types, for the codecs; never run. */
public final class CodecTasks {

    private CodecTasks() {
    }

    /** A record input or output. */
    public record Point(int x, int y) {
    }

    /** An enum input or output. */
    public enum Color { RED, GREEN }

    /** A plain class with a subclass: the task declares the base. */
    public static class Base {
        public int a = 1;
    }

    /** Has a property its base has not. */
    public static class Sub extends Base {
        public int b = 2;
    }

    /** A type whose JSON names its subtype. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes({@JsonSubTypes.Type(value = Circle.class, name = "circle"), @JsonSubTypes.Type(value = Square.class, name = "square")})
    public abstract static class Shape {
    }

    /** A shape. */
    public static class Circle extends Shape {
        public double r = 1.5;

        @Override
        public boolean equals(Object o) {
            return o instanceof Circle c && c.r == r;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(r);
        }
    }

    /** Another shape. */
    public static class Square extends Shape {
        public String side = "2";

        @Override
        public boolean equals(Object o) {
            return o instanceof Square s && s.side.equals(side);
        }

        @Override
        public int hashCode() {
            return side.hashCode();
        }
    }

    /** A value Jackson cannot encode: reading its property throws. */
    public static class Exploding {
        public int getBoom() {
            throw new IllegalStateException("boom");
        }
    }

    /** A shape its base does not list: it encodes with a type id no reader knows. */
    public static class Triangle extends Shape {
        public int corners = 3;
    }

    /** A shape that cannot be encoded: reading its property throws. */
    public static class Cracked extends Shape {
        public int getCrack() {
            throw new IllegalStateException("cracked");
        }
    }

    /** A POJO without a creator: it encodes, but Jackson cannot make one from its JSON. */
    public static class NoCreator {
        private final int a;

        public NoCreator(int a) {
            this.a = a;
        }

        public int getA() {
            return a;
        }
    }

    /** An interface with no type information: a field of its type encodes, but cannot be decoded. */
    public interface Figure {
    }

    /** A figure. */
    public record Dot(int x) implements Figure {
    }

    /** A record with an interface-typed field. */
    public record Framed(Figure figure) {
    }

    /** A value whose deserializer counts its calls. */
    @JsonDeserialize(using = CountingDeserializer.class)
    public static class Counted {
        public int n = 1;
    }

    /** A subclass, encoded as its base. */
    public static class CountedSub extends Counted {
    }

    /** Counts how often a {@link Counted} is decoded. */
    public static final class CountingDeserializer extends ValueDeserializer<Counted> {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public Counted deserialize(JsonParser parser, DeserializationContext context) {
            CALLS.incrementAndGet();
            context.readTree(parser);
            return new Counted();
        }
    }

    /** The body of every task here: none runs. */
    abstract static class Never<I, O> implements Task<I, O> {
        @Override
        public O execute(I input) {
            throw new UnsupportedOperationException();
        }
    }

    public static final class Ints extends Never<Integer, Integer> { }

    public static final class Longs extends Never<Long, Long> { }

    public static final class Doubles extends Never<Double, Double> { }

    public static final class Decimals extends Never<BigDecimal, BigDecimal> { }

    public static final class Booleans extends Never<Boolean, Boolean> { }

    public static final class Strings extends Never<String, String> { }

    public static final class Anything extends Never<Object, Object> { }

    public static final class Bytes extends Never<byte[], byte[]> { }

    public static final class IntArrays extends Never<int[], int[]> { }

    public static final class StringLists extends Never<List<String>, List<String>> { }

    public static final class IntMaps extends Never<Map<String, Integer>, Map<String, Integer>> { }

    public static final class Points extends Never<Point, Point> { }

    public static final class Colors extends Never<Color, Color> { }

    public static final class Bases extends Never<Base, Base> { }

    public static final class Shapes extends Never<Shape, Shape> { }

    public static final class Nodes extends Never<JsonNode, JsonNode> { }

    public static final class NoCreators extends Never<NoCreator, NoCreator> { }

    public static final class Framings extends Never<Framed, Framed> { }

    public static final class Counteds extends Never<Counted, Counted> { }
}
