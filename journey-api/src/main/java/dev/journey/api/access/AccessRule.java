package dev.journey.api.access;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Which of {@link Public}, {@link AdminOnly} and {@link ProjectKey} a resource method declares: its own
 * declaration, else its class's. Access is denied by default, so a method that declares none — or more
 * than one, which would leave the choice to the order of checks — is refused, and a test walks every
 * resource method to keep that from reaching a user.
 */
public final class AccessRule {
    private static final Set<Class<? extends Annotation>> KINDS = Set.of(Public.class, AdminOnly.class, ProjectKey.class);

    private AccessRule() {}

    /** The declarations that apply to {@code method}; exactly one is a valid endpoint. */
    public static List<Annotation> declared(Class<?> resource, Method method) {
        List<Annotation> own = of(method.getAnnotations());
        return own.isEmpty() ? of(resource.getAnnotations()) : own;
    }

    /** The one declaration, or null when there is none or more than one. */
    public static Annotation of(Class<?> resource, Method method) {
        List<Annotation> rules = declared(resource, method);
        return rules.size() == 1 ? rules.get(0) : null;
    }

    private static List<Annotation> of(Annotation[] annotations) {
        return Arrays.stream(annotations).filter(a -> KINDS.contains(a.annotationType())).toList();
    }
}
