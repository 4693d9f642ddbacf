package dev.journey.api.runtime;

import java.lang.reflect.Field;

/**
 * Reads fields of the in-process Temporal service's internal classes (temporal-testing and
 * temporal-test-server 1.38), which offer no API for what {@link TimeLockLog} and
 * {@link ClosedWorkflows} need. A field that is missing or null throws, so each caller can fall
 * back to the service as it comes.
 */
final class TestServiceInternals {
    private TestServiceInternals() {}

    /** The value of {@code owner}'s field {@code name} (declared by its class or a superclass); never null. */
    static Object read(Object owner, String name) throws ReflectiveOperationException {
        Object value = field(owner.getClass(), name).get(owner);
        if (value == null) {
            throw new NoSuchFieldException(owner.getClass().getName() + "." + name + " is null");
        }
        return value;
    }

    static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // a superclass may declare it
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
