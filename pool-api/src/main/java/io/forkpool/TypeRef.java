package io.forkpool;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Objects;

/**
 * A Java type with its generic arguments, such as {@code List<Long>}, for a {@link TaskName}
 * whose input or output is generic: write it as an anonymous subclass,
 * {@code new TypeRef<List<Long>>() {}}, whose superclass keeps the argument at run time. A plain
 * class is {@link #of(Class)}.
 *
 * <p>The type must be fully known where the subclass is written: a type variable
 * ({@code new TypeRef<List<T>>() {}} inside a generic method) is refused, since the pool would have
 * nothing to decode as. Immutable; two refs to the same type are equal.
 *
 * @param <T> the type
 */
public abstract class TypeRef<T> {

    private final Type type;

    /**
     * Captures the type argument of the anonymous subclass being created.
     *
     * @throws IllegalArgumentException if the subclass gives no type argument, or one holding a
     *     type variable
     */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized) || getClass().getSuperclass() != TypeRef.class) {
            throw new IllegalArgumentException("write a TypeRef as a direct anonymous subclass with its type argument:"
                    + " new TypeRef<List<Long>>() {}");
        }
        this.type = checked(parameterized.getActualTypeArguments()[0]);
    }

    private TypeRef(Type type) {
        this.type = type;
    }

    /**
     * A plain class, for a {@link TaskName} that mixes a plain and a generic type.
     *
     * @param type the class; a primitive class stands for its wrapper
     * @param <T> the type
     * @return a ref to it
     */
    public static <T> TypeRef<T> of(Class<T> type) {
        return new Plain<>(TaskName.boxed(Objects.requireNonNull(type, "type")));
    }

    /** A ref made by {@link #of(Class)}. */
    private static final class Plain<T> extends TypeRef<T> {
        Plain(Type type) {
            super(type);
        }
    }

    /** @return the type, generic arguments included */
    public final Type type() {
        return type;
    }

    /** Refuses a type that holds a type variable anywhere: the pool could not decode as it. */
    private static Type checked(Type type) {
        if (type instanceof TypeVariable<?> variable) {
            throw new IllegalArgumentException("a TypeRef needs a concrete type, not the type variable "
                    + variable.getName() + ": write the type out, e.g. new TypeRef<List<Long>>() {}");
        }
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                checked(argument);
            }
        } else if (type instanceof GenericArrayType array) {
            checked(array.getGenericComponentType());
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                checked(bound);
            }
        }
        return type;
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof TypeRef<?> ref && ref.type.equals(type);
    }

    @Override
    public final int hashCode() {
        return type.hashCode();
    }

    @Override
    public final String toString() {
        return type.getTypeName();
    }
}
