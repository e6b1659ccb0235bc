package io.forkpool.internal.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.core.util.JsonGeneratorDecorator;
import tools.jackson.core.util.JsonGeneratorDelegate;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.jdk.NumberDeserializers;
import tools.jackson.databind.deser.jdk.PrimitiveArrayDeserializers;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Keeps NaN and the infinities out of task data (PROTOCOL.md 5): they are not JSON. Jackson
 * writes them as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} and reads
 * those strings back as numbers, and it reads a number too large for a {@code double} (such as
 * {@code 1e400}) as an infinity; the data mapper does neither.
 *
 * <ul>
 *   <li>{@link #REFUSE_ON_WRITE}: every generator the data mapper makes refuses to write a
 *       non-finite {@code double} or {@code float}, whichever serializer asks (a field, a boxed
 *       value, an array, a tree), with a {@link StreamWriteException}: in the worker the task fails
 *       with stage {@code "output"}, in the supervisor the input is refused at submit.</li>
 *   <li>{@link #module()}: {@code double}, {@code float}, their boxes and their arrays decode only
 *       from a JSON number that is finite as that type; anything else is a
 *       {@link tools.jackson.databind.DatabindException}, as any other undecodable data is.</li>
 * </ul>
 *
 * <p>Stateless; the decorator and the module's deserializers are shared by every mapper.
 */
public final class FiniteNumbers {

    /** The generator decorator that refuses non-finite numbers. */
    public static final JsonGeneratorDecorator REFUSE_ON_WRITE = (factory, generator) -> new Refusing(generator);

    private FiniteNumbers() {
    }

    /** @return a module whose deserializers read {@code double} and {@code float} data only when finite */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("forkpool-finite-numbers");
        module.addDeserializer(Double.class, new FiniteDouble(Double.class, null));
        module.addDeserializer(Double.TYPE, new FiniteDouble(Double.TYPE, 0.0d));
        module.addDeserializer(Float.class, new FiniteFloat(Float.class, null));
        module.addDeserializer(Float.TYPE, new FiniteFloat(Float.TYPE, 0.0f));
        module.addDeserializer(double[].class, new FiniteArray<>(double[].class));
        module.addDeserializer(float[].class, new FiniteArray<>(float[].class));
        return module;
    }

    /** The message of a refused number, on either side. */
    static String notFinite(Object value) {
        return "not a finite number: " + value + " (JSON has no NaN or Infinity)";
    }

    private static final class Refusing extends JsonGeneratorDelegate {

        Refusing(JsonGenerator generator) {
            super(generator, false); // a tree or POJO written through it is written through this, checked
        }

        @Override
        public JsonGenerator writeNumber(double v) throws JacksonException {
            if (!Double.isFinite(v)) {
                throw new StreamWriteException(this, notFinite(v));
            }
            return super.writeNumber(v);
        }

        @Override
        public JsonGenerator writeNumber(float v) throws JacksonException {
            if (!Float.isFinite(v)) {
                throw new StreamWriteException(this, notFinite(v));
            }
            return super.writeNumber(v);
        }

        @Override
        public JsonGenerator writeArray(double[] array, int offset, int length) throws JacksonException {
            for (int i = offset; i < offset + length; i++) {
                if (!Double.isFinite(array[i])) {
                    throw new StreamWriteException(this, notFinite(array[i]));
                }
            }
            return super.writeArray(array, offset, length);
        }
    }

    private static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {

        FiniteDouble(Class<Double> type, Double emptyValue) {
            super(type, emptyValue);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            Double value = super.deserialize(p, ctxt);
            return value == null || Double.isFinite(value) ? value
                    : ctxt.reportInputMismatch(this, notFinite(p.getString()));
        }
    }

    private static final class FiniteFloat extends NumberDeserializers.FloatDeserializer {

        FiniteFloat(Class<Float> type, Float emptyValue) {
            super(type, emptyValue);
        }

        @Override
        public Float deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            Float value = super.deserialize(p, ctxt);
            return value == null || Float.isFinite(value) ? value
                    : ctxt.reportInputMismatch(this, notFinite(p.getString()));
        }
    }

    /** A {@code double[]} or {@code float[]}, read by Jackson's own deserializer, then checked element by element. */
    private static final class FiniteArray<T> extends StdDeserializer<T> {
        private final ValueDeserializer<?> standard;

        FiniteArray(Class<T> type) {
            super(type);
            this.standard = PrimitiveArrayDeserializers.forType(type.getComponentType());
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
            Object array = standard.deserialize(p, ctxt);
            if (array instanceof double[] doubles) {
                for (double d : doubles) {
                    if (!Double.isFinite(d)) {
                        return ctxt.reportInputMismatch(this, notFinite(d) + " in a double[]");
                    }
                }
            } else if (array instanceof float[] floats) {
                for (float f : floats) {
                    if (!Float.isFinite(f)) {
                        return ctxt.reportInputMismatch(this, notFinite(f) + " in a float[]");
                    }
                }
            }
            return (T) array;
        }
    }
}
