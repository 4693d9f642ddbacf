package dev.journey.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.AccessRule;
import dev.journey.api.access.AdminOnly;
import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Issue 14: the OpenAPI document at /q/openapi describes every JAX-RS route of journey-api (found by walking the
 * compiled resource classes, as AccessRuleTest does) with a success response and its schema, a request schema
 * where the method reads a JSON body, the ApiError answers, and exactly the security its access declaration
 * enforces. The documents and the operator's endpoints answer without a key.
 */
@QuarkusTest
class ApiDocsTest {
    private static final Path CLASSES = Path.of("target/classes");
    private JsonNode doc;

    @BeforeEach
    void fetch() throws Exception {
        String text = RestAssured.get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        Files.writeString(Path.of("target/openapi.json"), text); // kept for a look, or a client generator
        doc = new ObjectMapper().readTree(text);
    }

    @Test
    void everyRouteIsDescribedWithSchemasAndItsSecurity() throws Exception {
        Map<String, String> problems = new TreeMap<>();
        Set<String> operationIds = new TreeSet<>();
        int checked = 0;
        for (Class<?> resource : resourceClasses()) {
            for (Method method : resource.getDeclaredMethods()) {
                String http = http(method);
                if (http == null) {
                    continue;
                }
                checked++;
                String route = http.toUpperCase() + " " + path(resource, method);
                JsonNode op = doc.path("paths").path(path(resource, method)).path(http);
                if (op.isMissingNode()) {
                    problems.put(route, "not in the document");
                    continue;
                }
                if (!operationIds.add(op.path("operationId").asText())) {
                    problems.put(route, "operationId " + op.path("operationId") + " is not unique");
                }
                List<String> success = new ArrayList<>();
                op.path("responses").fieldNames().forEachRemaining(code -> {
                    if (code.startsWith("2") || code.startsWith("3")) {
                        success.add(code);
                    }
                });
                if (success.size() != 1) {
                    problems.put(route, "success responses " + success);
                } else if (!Set.of("204", "302").contains(success.get(0))
                        && schema(op.path("responses").path(success.get(0)), "application/json", "text/html", "image/gif").isMissingNode()) {
                    problems.put(route, "no response schema");
                }
                if (!op.path("responses").path("400").path("content").path("application/json").path("schema").path("$ref").asText()
                        .endsWith("/ApiError")) {
                    problems.put(route, "errors are not described as ApiError");
                }
                boolean readsBody = Arrays.stream(method.getParameters()).anyMatch(p -> p.getAnnotations().length == 0);
                if (readsBody && schema(op.path("requestBody"), "application/json", "application/x-www-form-urlencoded").isMissingNode()) {
                    problems.put(route, "no request schema");
                }
                Set<String> declared = new TreeSet<>();
                op.path("security").forEach(r -> r.fieldNames().forEachRemaining(declared::add));
                Set<String> expected = expectedSchemes(AccessRule.of(resource, method));
                if (!declared.equals(expected) || !op.has("security")) {
                    problems.put(route, "security " + declared + ", its access declaration says " + expected);
                }
            }
        }
        assertTrue(checked > 50, "the resource methods were found: " + checked);
        assertEquals(Map.of(), problems);
    }

    /** The schema of the first of these media types the body or response has (a page for people is HTML, its form urlencoded). */
    private static JsonNode schema(JsonNode described, String... mediaTypes) {
        for (String type : mediaTypes) {
            JsonNode schema = described.path("content").path(type).path("schema");
            if (!schema.isMissingNode()) {
                return schema;
            }
        }
        return described.path("content").path(mediaTypes[0]).path("schema");
    }

    @Test
    void schemesErrorShapeAndExamplesAreThere() {
        JsonNode components = doc.path("components");
        assertEquals(Set.of("secretKey", "publishableKey", "adminToken"), names(components.path("securitySchemes")));
        assertEquals("bearer", components.path("securitySchemes").path("publishableKey").path("scheme").asText());
        assertTrue(components.path("schemas").path("ApiError").path("properties").has("details"));
        assertEquals("purchase", components.path("schemas").path("TrackRequest").path("example").path("events").path(0).path("type").asText());
        JsonNode track = doc.path("paths").path("/v1/projects/{projectId}/track").path("post");
        assertEquals("track", track.path("operationId").asText());
        assertTrue(track.path("responses").has("202") && track.path("responses").has("429"), track.toString());
    }

    @Test
    void theDocumentsAndTheOperatorEndpointsNeedNoKey() {
        RestAssured.get("/q/openapi").then().statusCode(200);
        RestAssured.get("/q/swagger-ui/").then().statusCode(200);
        RestAssured.get("/q/health").then().statusCode(200);
        RestAssured.get("/q/metrics").then().statusCode(200);
    }

    private static Set<String> expectedSchemes(Annotation rule) {
        Set<String> schemes = new TreeSet<>();
        if (rule instanceof ProjectKey key) {
            schemes.add("secretKey");
            if (key.scope() == KeyScope.PUBLISHABLE) {
                schemes.add("publishableKey");
            }
            if (key.orAdmin()) {
                schemes.add("adminToken");
            }
        } else if (rule instanceof AdminOnly) {
            schemes.add("adminToken");
        }
        return schemes;
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String http(Method m) {
        return m.isAnnotationPresent(GET.class) ? "get" : m.isAnnotationPresent(POST.class) ? "post"
                : m.isAnnotationPresent(PUT.class) ? "put" : m.isAnnotationPresent(DELETE.class) ? "delete" : null;
    }

    private static String path(Class<?> resource, Method method) {
        String base = resource.isAnnotationPresent(jakarta.ws.rs.Path.class) ? resource.getAnnotation(jakarta.ws.rs.Path.class).value() : "";
        String own = method.isAnnotationPresent(jakarta.ws.rs.Path.class) ? method.getAnnotation(jakarta.ws.rs.Path.class).value() : "";
        // A template with a pattern ({instanceId: .+}) is documented by its name alone.
        String joined = ("/" + base + "/" + own).replaceAll("/+", "/").replaceAll("\\{(\\w+):[^}]*}", "{$1}");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** Every compiled class of journey-api with a JAX-RS path. */
    private static List<Class<?>> resourceClasses() throws Exception {
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, ApiDocsTest.class.getClassLoader());
                if (c.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    found.add(c);
                }
            }
        }
        return found;
    }
}
