package io.forkpool.internal.protocol;

import io.forkpool.Task;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds type variables left unbound in a task's declared types, by reflection: Jackson resolves an
 * unbound variable to {@code Object}, so it cannot tell them from {@code Object}. Pure functions.
 */
final class TypeVariables {

    private TypeVariables() {
    }

    /**
     * Whether {@code I} or {@code O}, as {@code candidate} inherits {@code Task<I, O>}, still holds a
     * type variable. Jackson resolves an unbound variable to {@code Object}, so it cannot tell
     * {@code Identity<T> implements Task<T, T>} from {@code Task<Object, Object>}; the declarations can.
     */
    static boolean leaveTaskArgumentsUnresolved(Class<?> candidate) {
        Boolean unresolved = walkToTask(candidate, Map.of());
        return unresolved != null && unresolved;
    }

    /**
     * Follows {@code type}'s supertypes up to {@code Task}.
     *
     * @param bound the type variables of {@code type}'s class that its subclass bound to concrete types
     * @return whether {@code Task}'s arguments hold an unbound variable on the way found, or
     *     {@code null} if {@code Task} is not reached as a parameterized type
     */
    private static Boolean walkToTask(Type type, Map<TypeVariable<?>, Boolean> bound) {
        Class<?> raw;
        Map<TypeVariable<?>, Boolean> concrete = new HashMap<>();
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (raw == Task.class) {
                return containsTypeVariable(arguments[0], bound) || containsTypeVariable(arguments[1], bound);
            }
            TypeVariable<?>[] variables = raw.getTypeParameters();
            for (int i = 0; i < variables.length; i++) {
                concrete.put(variables[i], !containsTypeVariable(arguments[i], bound));
            }
        } else if (type instanceof Class<?> c) {
            raw = c; // a class, or a raw supertype whose variables nobody bound
        } else {
            return null;
        }
        List<Type> supertypes = new ArrayList<>(List.of(raw.getGenericInterfaces()));
        if (raw.getGenericSuperclass() != null) {
            supertypes.add(raw.getGenericSuperclass());
        }
        for (Type supertype : supertypes) {
            Class<?> rawSupertype = supertype instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                    : supertype instanceof Class<?> c ? c : Object.class;
            if (Task.class.isAssignableFrom(rawSupertype)) {
                Boolean found = walkToTask(supertype, concrete);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * @param type a declared type
     * @param bound type variables bound to concrete types (true) by the subclass being resolved
     * @return whether it holds a type variable not bound to a concrete type: {@code T},
     *     {@code List<T>}, {@code T[]}, {@code ? extends T}
     */
    static boolean containsTypeVariable(Type type, Map<TypeVariable<?>, Boolean> bound) {
        if (type instanceof TypeVariable<?> variable) {
            return !bound.getOrDefault(variable, false);
        }
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                if (containsTypeVariable(argument, bound)) {
                    return true;
                }
            }
            return parameterized.getOwnerType() != null && containsTypeVariable(parameterized.getOwnerType(), bound);
        }
        if (type instanceof GenericArrayType array) {
            return containsTypeVariable(array.getGenericComponentType(), bound);
        }
        if (type instanceof WildcardType wildcard) {
            for (Type limit : wildcard.getUpperBounds()) {
                if (containsTypeVariable(limit, bound)) {
                    return true;
                }
            }
            for (Type limit : wildcard.getLowerBounds()) {
                if (containsTypeVariable(limit, bound)) {
                    return true;
                }
            }
        }
        return false;
    }
}
