package dev.journey.api.observe;

import static dev.journey.api.support.MetricsText.value;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Issue 14: health and metrics on the real engine (embedded PostgreSQL, in-process Temporal and worker).
 * Readiness checks PostgreSQL, Temporal with its worker, and the outbox lag; liveness the dispatch loop;
 * /q/metrics shows a track and a journey run with the right values.
 */
@QuarkusTest
class OperationsTest {
    private static final Duration SOON = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource db;
    private TestProject project;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        project = TestProject.create("Operations");
        receiver = new WebhookReceiver();
        project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "a-webhook-secret-of-some-length"))
                .post(project.path("/channels")).then().statusCode(201);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void aHealthyEngineIsLiveAndReady() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("dispatcher"));
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("temporal", "dispatch", "Database connections health check"))
                .body("checks.find { it.name == 'temporal' }.data.mode", equalTo("in-process"))
                .body("checks.find { it.name == 'temporal' }.data.worker", equalTo("running"));
    }

    @Test
    void anOutboxLagBeyondTheBoundMakesItNotReady() throws Exception {
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "lagging", "type": "nothing-listens"}]}""")
                .post(project.path("/track")).then().statusCode(202);
        long eventId = Long.parseLong(project.api().get(project.path("/events?userId=lagging")).then().statusCode(200).extract()
                .jsonPath().getString("events[0].id"));
        await().atMost(SOON).until(() -> !pending(eventId));
        // The event as if received 10 minutes ago and still waiting (due in an hour, so no dispatcher takes it meanwhile).
        try (var c = db.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("UPDATE event SET received_at = now() - interval '10 minutes' WHERE id = " + eventId);
            s.executeUpdate("INSERT INTO dispatch_outbox (event_id, not_before) VALUES (" + eventId + ", now() + interval '1 hour')");
        }
        try {
            RestAssured.get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'dispatch' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'dispatch' }.data.reason", containsString("more than journey.health.max-outbox-lag (PT5M)"))
                    .body("checks.find { it.name == 'temporal' }.status", equalTo("UP"));
            RestAssured.get("/q/health/live").then().statusCode(200);
        } finally {
            try (var c = db.getConnection(); var s = c.createStatement()) {
                s.executeUpdate("DELETE FROM dispatch_outbox WHERE event_id = " + eventId);
            }
        }
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aTrackAndAJourneyRunShowInTheMetrics() throws Exception {
        String journey = project.api().body("""
                {"name": "Metered", "trigger": {"event": "purchase"},
                 "steps": [{"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "thanks"}, "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + journey + "/publish")).then().statusCode(200);
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "m1", "type": "purchase", "eventId": "p1"},
                            {"subjectType": "user", "subjectId": "m1", "type": "viewed"}]}""")
                .post(project.path("/track")).then().statusCode(202);
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "m1", "type": "purchase", "eventId": "p1"}]}""")
                .post(project.path("/track")).then().statusCode(202).body("duplicates", equalTo(1));
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "m1", "type": "ok"}, {"subjectType": "user", "type": "no-subject"}]}""")
                .post(project.path("/track")).then().statusCode(400);
        receiver.next(SOON);

        String p = "project=\"" + project.id() + "\"";
        String j = "journey=\"" + journey + "\"";
        await().atMost(SOON).untilAsserted(() -> {
            String metrics = metrics();
            assertEquals(2.0, value(metrics, "journey_events_ingested_total", p).orElse(0), metrics);
            assertEquals(1.0, value(metrics, "journey_events_duplicates_total", p).orElse(0));
            assertEquals(2.0, value(metrics, "journey_events_rejected_total", p, "reason=\"invalid\"").orElse(0));
            assertEquals(1.0, value(metrics, "journey_instances_entered_total", j).orElse(0));
            assertEquals(1.0, value(metrics, "journey_instances_ended_total", j, "status=\"completed\"").orElse(0));
            assertTrue(value(metrics, "journey_messages_total", "channel=\"webhook\"", "status=\"sent\"").orElse(0) >= 1);
            assertTrue(value(metrics, "journey_messages_handoff_seconds_count", "channel=\"webhook\"").orElse(0) >= 1);
            assertTrue(value(metrics, "journey_messages_handoff_seconds_bucket", "channel=\"webhook\"", "le=\"+Inf\"").orElse(0) >= 1);
            assertTrue(metrics.contains("journey_dispatch_outbox_lag_seconds"), "the dispatcher's series stay");
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("temporal_")), "the Temporal SDK's series are reported");
        });
        // The in-process service forgets the ended journey's workflow a few seconds after it closed.
        await().atMost(SOON).untilAsserted(() -> assertTrue(value(metrics(), "journey_temporal_workflows_dropped_total").orElse(0) >= 1,
                "closed workflows dropped"));
    }

    @Test
    void aMessageWhoseTemplateDoesNotRenderIsCountedAsARenderError() throws Exception {
        double before = value(metrics(), "journey_templates_render_errors_total", "channel=\"webhook\"").orElse(0);
        String journey = project.api().body("""
                {"name": "Echo", "trigger": {"event": "noted"},
                 "steps": [{"id": "echo", "type": "message", "channel": "webhook",
                            "template": {"body": "You wrote << entry_event.data.note >>"}, "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + journey + "/publish")).then().statusCode(200);
        // Rendered text that still holds template delimiters is never handed off: the message fails as a render error.
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "r1", "type": "noted", "data": {"note": "{{ oops }}"}}]}""")
                .post(project.path("/track")).then().statusCode(202);
        await().atMost(SOON).untilAsserted(() -> assertEquals(before + 1,
                value(metrics(), "journey_templates_render_errors_total", "channel=\"webhook\"").orElse(0)));
        project.api().get(project.path("/messages?journeyId=" + journey)).then().statusCode(200)
                .body("messages[0].status", equalTo("failed"));
    }

    private boolean pending(long eventId) throws Exception {
        try (var c = db.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT 1 FROM dispatch_pending WHERE event_id = " + eventId)) {
            return rs.next();
        }
    }

    private static String metrics() {
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
