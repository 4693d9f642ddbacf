package dev.journey.api.retention;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/** A project's retention through the API: defaults, its own windows, bad input, and what lists and conditions say of it. */
@QuarkusTest
class RetentionApiTest {
    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Retention");
    }

    @Test
    void defaultsApplyUntilTheProjectSetsItsOwn() {
        project.api().get(project.path("/retention")).then().statusCode(200)
                .body("events", equalTo("P400D")).body("messages", equalTo("P180D")).body("instances", equalTo("P180D"))
                .body("defaults.events", equalTo("P400D")).body("eventIdDedupWindow", equalTo("P30D"))
                .body("retainedFrom.events", notNullValue());
        project.api().body("{\"events\": \"P90D\", \"messages\": null}").put(project.path("/retention")).then().statusCode(200)
                .body("events", equalTo("P90D")).body("messages", equalTo("P180D"));
        String from = project.api().get(project.path("/retention")).then().statusCode(200).body("events", equalTo("P90D"))
                .extract().path("retainedFrom.events");
        long days = Duration.between(Instant.parse(from), Instant.now()).toDays();
        org.junit.jupiter.api.Assertions.assertTrue(days == 89 || days == 90, from);
        project.api().body("{}").put(project.path("/retention")).then().statusCode(200).body("events", equalTo("P400D"));
    }

    @Test
    void badInputIsRefusedWithEveryFieldPath() {
        project.api().body("{\"events\": \"P2D\", \"messages\": \"PT12H\", \"instances\": 30, \"logs\": \"P1D\"}")
                .put(project.path("/retention")).then().statusCode(400)
                .body("details.path", hasItems("events", "messages", "instances", "logs"))
                .body("details.find { it.path == 'events' }.message", containsString("P7D"))
                .body("details.find { it.path == 'messages' }.message", containsString("P90D"));
        project.api().body("{\"events\": \"P5000D\"}").put(project.path("/retention")).then().statusCode(400)
                .body("details[0].path", equalTo("events"));
        project.api().body("[]").put(project.path("/retention")).then().statusCode(400);
        project.api().get(project.path("/retention")).then().statusCode(200).body("events", equalTo("P400D"));
    }

    @Test
    void listsSayWhereTheyBegin() {
        project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"u1\", \"type\": \"purchase\","
                + " \"timestamp\": \"2019-01-01T00:00:00Z\"}]}").post(project.path("/track")).then().statusCode(202);
        String from = project.api().get(project.path("/retention")).then().extract().path("retainedFrom.events");
        // Retention counts from when an event was received: one stamped 2019, received now, is listed.
        project.api().get(project.path("/events?since=2018-01-01T00:00:00Z")).then().statusCode(200)
                .body("events.size()", equalTo(1)).body("retainedFrom", notNullValue());
        org.junit.jupiter.api.Assertions.assertTrue(Instant.parse(from).isBefore(Instant.now().minus(Duration.ofDays(399))));
        project.api().get(project.path("/messages")).then().statusCode(200).body("retainedFrom", notNullValue());
    }

    @Test
    void conditionsMayNotLookBackFurtherThanEventsAreKept() {
        project.api().body("{\"events\": \"P30D\"}").put(project.path("/retention")).then().statusCode(200);
        project.api().body("{\"name\": \"Buyers\", \"condition\": {\"all\": [{\"event\": \"purchase\", \"within\": \"P60D\"}]}}")
                .post(project.path("/segments")).then().statusCode(422)
                .body("details[0].path", equalTo("condition.all[0].within"))
                .body("details[0].message", containsString("P30D"));
        project.api().body("{\"name\": \"Buyers\", \"condition\": {\"event\": \"purchase\", \"within\": \"P30D\"}}")
                .post(project.path("/segments")).then().statusCode(201);
        project.api().body("""
                {"name": "Reminder", "trigger": {"event": "signup"},
                 "steps": [{"id": "check", "type": "branch",
                            "cases": [{"when": {"event": "purchase", "since": "P45D"}, "next": null}], "else": null}]}""")
                .post(project.path("/journeys")).then().statusCode(422)
                .body("details[0].path", equalTo("steps[0].cases[0].when.since"));
    }
}
