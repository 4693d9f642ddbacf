package dev.journey.api.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.worker.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * One event that cannot be dispatched (here: a segment that refers to itself, stored before such
 * segments were refused at save) must not hold back anyone else's: it is retried on its own, then
 * parked with its reason, and can be dispatched again once its cause is fixed.
 */
@QuarkusTest
class DispatchIsolationTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

    @Inject
    Sql sql;

    private static String publish(TestProject project, String definition) {
        String id = project.api().body(definition).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
        return id;
    }

    private static void track(TestProject project, String user, String type) {
        project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"" + user + "\", \"type\": \"" + type + "\"}]}")
                .post(project.path("/track")).then().statusCode(202);
    }

    private static int entered(TestProject project, String journeyId) {
        return project.api().get(project.path("/journeys/" + journeyId + "/instances")).then().statusCode(200)
                .extract().jsonPath().getList("instances").size();
    }

    private static final String WELCOME = """
            {"name": "Welcome", "trigger": {"event": "signup"}, "steps": [{"id": "w", "type": "wait", "duration": "PT1H", "next": null}]}""";

    @Test
    void aPoisonEventIsRetriedThenParkedWhileGoodEventsOfBothProjectsReachTheirJourneysAtOnce() {
        TestProject poisoned = TestProject.create("Poisoned");
        TestProject neighbour = TestProject.create("Neighbour");
        String segment = poisoned.api().body("{\"name\": \"Buyers\", \"condition\": {\"event\": \"purchase\", \"count\": {\"gte\": 1}}}")
                .post(poisoned.path("/segments")).then().statusCode(201).extract().path("id");
        // What a segment saved before cycles were refused looks like: it counts purchases and refers to itself.
        sql.update("UPDATE segment SET condition = ?::jsonb WHERE id = ?",
                "{\"all\": [{\"event\": \"purchase\", \"count\": {\"gte\": 1}}, {\"segment\": \"" + segment + "\"}]}", segment);
        String vip = publish(poisoned, """
                {"name": "VIP", "trigger": {"segment": "SEG"}, "steps": [{"id": "w", "type": "wait", "duration": "PT1H", "next": null}]}"""
                .replace("SEG", segment));
        String poisonedWelcome = publish(poisoned, WELCOME);
        String neighbourWelcome = publish(neighbour, WELCOME);

        track(poisoned, "mallory", "purchase");
        long start = System.nanoTime();
        track(poisoned, "alice", "signup");
        track(neighbour, "bob", "signup");
        await().atMost(SOON).pollInterval(POLL).until(() -> entered(poisoned, poisonedWelcome) == 1 && entered(neighbour, neighbourWelcome) == 1);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("good events of both projects entered their journeys %d ms after a poison event%n", tookMillis);
        assertTrue(tookMillis < 1_000, "the good events waited " + tookMillis + " ms behind the poison event");

        JsonPath parked = await().atMost(SOON).pollInterval(POLL).until(
                () -> poisoned.api().get(poisoned.path("/dispatch/dead-letters")).then().statusCode(200).extract().jsonPath(),
                page -> page.getList("deadLetters").size() == 1);
        assertEquals("purchase", parked.getString("deadLetters[0].type"));
        assertEquals("mallory", parked.getString("deadLetters[0].subjectId"));
        assertEquals(3, parked.getInt("deadLetters[0].attempts"));
        assertTrue(parked.getString("deadLetters[0].error").contains("too deeply"), parked.getString("deadLetters[0].error"));
        poisoned.api().get(poisoned.path("/dispatch")).then().statusCode(200).body("parked", equalTo(1)).body("pending", equalTo(0));
        neighbour.api().get(neighbour.path("/dispatch/dead-letters")).then().statusCode(200).body("deadLetters.size()", equalTo(0));
        RestAssured.get("/q/metrics").then().statusCode(200).body(containsString("journey_dispatch_dead_letters"))
                .body(containsString("journey_dispatch_failures_total{outcome=\"parked\"}"));
        assertEquals(0, entered(poisoned, vip));

        // Fixed, then retried: the event is dispatched like any other.
        sql.update("UPDATE segment SET condition = ?::jsonb WHERE id = ?", "{\"event\": \"purchase\", \"count\": {\"gte\": 1}}", segment);
        poisoned.api().post(poisoned.path("/dispatch/dead-letters/" + parked.getLong("deadLetters[0].eventId") + "/retry"))
                .then().statusCode(202).body("requeued", equalTo(1));
        await().atMost(SOON).pollInterval(POLL).until(() -> entered(poisoned, vip) == 1);
        poisoned.api().get(poisoned.path("/dispatch/dead-letters")).then().statusCode(200).body("deadLetters.size()", equalTo(0));
        poisoned.api().post(poisoned.path("/dispatch/dead-letters/12345678/retry")).then().statusCode(404);
        poisoned.api().post(poisoned.path("/dispatch/dead-letters/abc/retry")).then().statusCode(400)
                .body("details[0].path", equalTo("eventId"));
        List<Object> none = neighbour.api().get(neighbour.path("/dispatch/dead-letters")).then().extract().jsonPath().getList("deadLetters");
        assertEquals(0, none.size());
    }
}
