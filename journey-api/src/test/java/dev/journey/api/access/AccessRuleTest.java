package dev.journey.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.Test;

/**
 * Issue 12: access is denied by default, so every JAX-RS resource method of journey-api must declare exactly
 * one of {@code @Public}, {@code @AdminOnly}, {@code @ProjectKey} (on itself or its class): a new endpoint
 * that forgets fails here rather than answering 403 to everyone (or, worse, being open).
 */
class AccessRuleTest {
    private static final List<Class<? extends Annotation>> HTTP_METHODS = List.of(GET.class, POST.class, PUT.class, DELETE.class,
            PATCH.class, HEAD.class, OPTIONS.class);
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void everyResourceMethodDeclaresExactlyOneAccessRule() throws Exception {
        Map<String, String> problems = new TreeMap<>();
        List<String> checked = new ArrayList<>();
        for (Class<?> resource : resourceClasses()) {
            long classLevel = count(resource.getAnnotations());
            for (Method method : resource.getDeclaredMethods()) {
                if (!isResourceMethod(method)) {
                    continue;
                }
                String name = resource.getSimpleName() + "." + method.getName();
                checked.add(name);
                long own = count(method.getAnnotations());
                if (own > 1 || classLevel > 1) {
                    problems.put(name, "declares more than one access rule");
                } else if (AccessRule.declared(resource, method).size() != 1) {
                    problems.put(name, "declares no access rule (@Public, @AdminOnly or @ProjectKey)");
                }
            }
        }
        assertTrue(checked.size() > 50, "the resource methods were found: " + checked);
        assertTrue(checked.contains("ApiKeyResource.revoke") && checked.contains("ClickResource.follow"), checked.toString());
        assertEquals(Map.of(), problems);
    }

    @Test
    void theRulesAreTheOnesIntended() throws Exception {
        assertEquals(KeyScope.PUBLISHABLE, projectKey("event.TrackResource", "track").scope());
        assertEquals(KeyScope.PUBLISHABLE, projectKey("user.DeviceResource", "register").scope());
        assertEquals(KeyScope.PUBLISHABLE, projectKey("delivery.InAppResource", "pending").scope());
        assertEquals(KeyScope.PUBLISHABLE, projectKey("delivery.InAppActionResource", "act").scope());
        assertEquals(KeyScope.PUBLISHABLE, projectKey("user.UserResource", "putTags").scope());
        assertTrue(projectKey("event.TrackResource", "track").keyInQuery());
        assertEquals(KeyScope.SECRET, projectKey("user.UserResource", "get").scope());
        assertEquals(KeyScope.SECRET, projectKey("event.EventsResource", "list").scope());
        assertTrue(projectKey("project.ApiKeyResource", "create").orAdmin());
        assertTrue(rule("project.AdminResource", "create") instanceof AdminOnly);
        assertTrue(rule("delivery.ClickResource", "follow") instanceof Public);
    }

    @Test
    void aMethodWithoutADeclarationHasNoRule() throws Exception {
        class Undeclared {
            @GET
            public void open() {}
        }
        assertNull(AccessRule.of(Undeclared.class, Undeclared.class.getDeclaredMethod("open")));
    }

    private static ProjectKey projectKey(String className, String method) throws Exception {
        return (ProjectKey) rule(className, method);
    }

    private static Annotation rule(String className, String method) throws Exception {
        Class<?> c = Class.forName("dev.journey.api." + className);
        Method m = Arrays.stream(c.getDeclaredMethods()).filter(x -> x.getName().equals(method) && isResourceMethod(x)).findFirst().orElseThrow();
        return AccessRule.of(c, m);
    }

    private static boolean isResourceMethod(Method method) {
        return method.isAnnotationPresent(jakarta.ws.rs.Path.class) || HTTP_METHODS.stream().anyMatch(method::isAnnotationPresent);
    }

    private static long count(Annotation[] annotations) {
        return Arrays.stream(annotations).filter(a -> a instanceof Public || a instanceof AdminOnly || a instanceof ProjectKey).count();
    }

    /** Every compiled class of journey-api with a JAX-RS annotation on it or on one of its methods. */
    private static List<Class<?>> resourceClasses() throws IOException, ClassNotFoundException {
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, AccessRuleTest.class.getClassLoader());
                if (c.isAnnotationPresent(jakarta.ws.rs.Path.class) || Arrays.stream(c.getDeclaredMethods()).anyMatch(AccessRuleTest::isResourceMethod)) {
                    found.add(c);
                }
            }
        }
        return found;
    }
}
