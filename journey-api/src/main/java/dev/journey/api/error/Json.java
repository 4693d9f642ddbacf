package dev.journey.api.error;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/**
 * Jackson's failures in the API's words: where ({@code steps[2].duration}) and what was expected ("must be
 * a whole number"). Jackson's own messages name Java types, its classes and ours ("Cannot deserialize value
 * of type `java.lang.Integer`…"): that tells a user nothing and an attacker what runs inside, so none of
 * it is passed on.
 */
public final class Json {
    private static final Set<Class<?>> WHOLE = Set.of(Integer.class, int.class, Long.class, long.class, Short.class, short.class,
            BigInteger.class, Byte.class, byte.class);
    private static final Set<Class<?>> NUMBER = Set.of(Double.class, double.class, Float.class, float.class, BigDecimal.class, Number.class);

    private Json() {}

    public static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    /** The problem, for the detail whose path is {@link #path}: no type, class or library named. */
    public static String problem(JsonProcessingException e) {
        if (e instanceof StreamReadException && !(e instanceof JsonMappingException)) {
            return e.getLocation() == null || e.getLocation().getLineNr() < 0 ? "is not valid JSON"
                    : "is not valid JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        if (e instanceof InvalidTypeIdException t) {
            return t.getTypeId() == null ? "needs a \"type\"" : "has an unknown type \"" + t.getTypeId() + "\"";
        }
        if (e instanceof PropertyBindingException) {
            return "is not a known field";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            // InvalidFormatException included: a value of the right JSON kind that does not read as the type.
            return "must be " + expected(m.getTargetType());
        }
        if (e instanceof ValueInstantiationException) {
            return "is not valid here";
        }
        return "is not valid";
    }

    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Json::jsonName).collect(Collectors.joining(", ", "[", "]"));
        }
        if (WHOLE.contains(type)) {
            return "a whole number";
        }
        if (NUMBER.contains(type)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration such as \"P3D\"";
        }
        if (type == LocalTime.class) {
            return "a time of day such as \"09:30\"";
        }
        if (type == Instant.class || type == OffsetDateTime.class || Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 time with an offset";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another kind";
    }

    /** An enum constant as it is written in JSON: its {@code @JsonValue} when it has one, else its name. */
    private static String jsonName(Object constant) {
        for (Method m : constant.getClass().getMethods()) {
            if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0) {
                try {
                    return "\"" + m.invoke(constant) + "\"";
                } catch (ReflectiveOperationException e) {
                    break;
                }
            }
        }
        return "\"" + ((Enum<?>) constant).name() + "\"";
    }
}
