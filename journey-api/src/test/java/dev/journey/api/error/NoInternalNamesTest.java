package dev.journey.api.error;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Issue 12: an error answer names the field at fault in plain words, never a Java type, a library or an
 * exception (they tell an attacker what runs inside and tell a user nothing).
 */
@QuarkusTest
class NoInternalNamesTest {
    private static final List<String> INTERNAL = List.of("java.", "com.fasterxml", "dev.journey", "Exception", "jackson", "`");

    private static final String STEP = """
            {"id": "a", "type": "wait", "duration": "P1D", "next": null}""";

    record Bad(String method, String path, String body, String field) {}

    @Test
    void badBodiesAreAnsweredWithFieldPathsAndNoInternalNames() {
        TestProject p = TestProject.create("Leaks");
        List<Bad> bad = List.of(
                new Bad("POST", "/v1/admin/projects", "{\"name\": {\"a\": 1}}", "name"),
                new Bad("POST", "/v1/admin/projects", "{\"name\": \"x\", \"projectId\": [1]}", "projectId"),
                new Bad("POST", "/v1/admin/projects", "{\"name\": ", null),
                new Bad("POST", "/v1/admin/projects", "[1, 2]", null),
                new Bad("POST", p.path("/journeys"), journey("\"reentry\": {\"mode\": \"sometimes\"}", STEP), "reentry.mode"),
                new Bad("POST", p.path("/journeys"), journey("", "{\"id\": \"a\", \"type\": \"teleport\", \"next\": null}"), "steps[0]"),
                new Bad("POST", p.path("/journeys"), journey("", "{\"id\": \"a\", \"type\": \"wait\", \"duration\": {\"x\": 1}, \"next\": null}"), "steps[0].duration"),
                new Bad("POST", p.path("/journeys"), journey("", "{\"id\": \"a\", \"type\": \"split\", \"arms\": \"many\", \"next\": null}"), "steps[0].arms"),
                new Bad("POST", p.path("/journeys"), journey("\"trigger\": {\"event\": \"x\", \"where\": {\"path\": \"data.a\", \"op\": \"near\", \"value\": 1}}", STEP), "trigger.where"),
                new Bad("POST", p.path("/journeys"), journey("\"exitOn\": {\"event\": 1}", STEP), "exitOn"),
                new Bad("POST", p.path("/segments"), "{\"name\": \"s\", \"condition\": {\"event\": \"x\", \"count\": \"many\"}}", "condition"),
                new Bad("POST", p.path("/segments"), "{\"name\": \"s\", \"condition\": {\"all\": {\"a\": 1}}}", "condition"),
                new Bad("POST", p.path("/segments/preview"), "{\"condition\": [true]}", "condition"),
                new Bad("PUT", p.path("/delivery-settings"), "{\"frequencyCaps\": \"x\"}", null),
                new Bad("POST", p.path("/templates/preview"), "{\"template\": [1], \"context\": 5}", null),
                new Bad("POST", p.path("/track"), "{\"events\": [{\"subjectType\": \"user\"", null));
        List<String> problems = new ArrayList<>();
        for (Bad b : bad) {
            Response r = given().contentType(ContentType.JSON)
                    .header("Authorization", "Bearer " + (b.path().startsWith("/v1/admin") ? TestProject.ADMIN_TOKEN : p.key()))
                    .body(b.body()).request(b.method(), b.path());
            String answer = r.asString();
            if (r.statusCode() < 400 || r.statusCode() >= 500) {
                problems.add(b + " answered " + r.statusCode() + " " + answer);
                continue;
            }
            INTERNAL.stream().filter(answer::contains).findFirst()
                    .ifPresent(internal -> problems.add(b + " answered with \"" + internal + "\": " + answer));
            if (b.field() != null && !String.valueOf(r.jsonPath().getList("details.path")).contains(b.field())) {
                problems.add(b + " does not name " + b.field() + ": " + answer);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aMistypedFieldSaysWhatWasExpected() {
        Response r = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TestProject.ADMIN_TOKEN)
                .body("{\"name\": {\"a\": 1}}").post("/v1/admin/projects");
        assertEquals("must be a string", r.jsonPath().getString("details[0].message"));
    }

    private static String journey(String extra, String step) {
        return "{\"name\": \"j\", \"trigger\": {\"event\": \"x\"}" + (extra.isEmpty() ? "" : ", " + extra) + ", \"steps\": [" + step + "]}";
    }
}
