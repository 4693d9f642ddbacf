package dev.journey.api.segment;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Membership that changes with the clock alone: a purchase ageing out of a short window exits the
 * user (and the journey on leaving runs) and enters them into "no purchase in the window", with no
 * new event — the reconciler's work (its interval is 200 ms in tests).
 */
@QuarkusTest
class SegmentTimeTest {
    private static final String WINDOW = "PT3S";

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Segments in time");
    }

    private String segment(String condition) {
        return project.api().body("{\"name\": \"s\", \"condition\": " + condition + "}")
                .post(project.path("/segments")).then().statusCode(201).extract().path("id");
    }

    private void publish(String definition) {
        String id = project.api().body(definition).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
    }

    private void purchase(String user, Instant at) {
        project.api().body("{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"" + user + "\", \"type\": \"purchase\", \"timestamp\": \""
                + at + "\"}]}").post(project.path("/track")).then().statusCode(202);
    }

    private void channel(WebhookReceiver receiver) {
        project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "segment-secret-0123456789"))
                .post(project.path("/channels")).then().statusCode(201);
    }

    @Test
    void aPurchaseAgeingOutOfTheWindowExitsTheUserAndStartsTheJourneyOnLeaving() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            channel(receiver);
            String recent = segment("{\"event\": \"purchase\", \"since\": \"" + WINDOW + "\"}");
            publish("""
                    {"name": "Welcome", "trigger": {"segment": "SEG"},
                     "steps": [{"id": "m", "type": "message", "channel": "webhook", "template": {"body": "Welcome << user.id >>"}, "next": null}]}"""
                    .replace("SEG", recent));
            publish("""
                    {"name": "Miss you", "trigger": {"segment": "SEG", "on": "exit"},
                     "steps": [{"id": "m", "type": "message", "channel": "webhook", "template": {"body": "Bye << user.id >>"}, "next": null}]}"""
                    .replace("SEG", recent));

            Instant bought = Instant.now();
            purchase("ann", bought);
            WebhookReceiver.Received welcome = receiver.next(Duration.ofSeconds(10));
            assertNotNull(welcome, "the purchase entered the segment");
            assertTrue(welcome.body().contains("Welcome ann"), welcome.body());

            // No event from here on: only the clock can take ann out.
            WebhookReceiver.Received bye = receiver.next(Duration.ofSeconds(20));
            assertNotNull(bye, "the purchase left the " + WINDOW + " window: the user left the segment and the exit journey ran");
            assertTrue(bye.body().contains("Bye ann"), bye.body());
            assertTrue(Duration.between(bought, Instant.now()).compareTo(Duration.parse(WINDOW)) >= 0, "not before the window ended");
            project.api().get(project.path("/events?userId=ann&type=@segment_exited")).then().statusCode(200)
                    .body("events.size()", equalTo(1)).body("events[0].data.segmentId", equalTo(recent))
                    .body("events[0].data.by", equalTo("time"));

            // A purchase brings ann back (the entry journey lets her in once, so no second welcome),
            // and its own ageing out is a second exit.
            purchase("ann", Instant.now());
            await(() -> project.api().get(project.path("/events?userId=ann&type=@segment_entered")).then().statusCode(200)
                    .body("events.size()", equalTo(2)));
            await(() -> project.api().get(project.path("/events?userId=ann&type=@segment_exited")).then().statusCode(200)
                    .body("events.size()", equalTo(2)));
        }
    }

    @Test
    void noPurchaseInTheWindowBecomesTrueByTheClock() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            channel(receiver);
            String lapsed = segment("{\"event\": \"purchase\", \"since\": \"" + WINDOW + "\", \"count\": {\"lt\": 1}}");
            publish("""
                    {"name": "Come back", "trigger": {"segment": "SEG"},
                     "steps": [{"id": "m", "type": "message", "channel": "webhook", "template": {"body": "Come back << user.id >>"}, "next": null}]}"""
                    .replace("SEG", lapsed));

            Instant bought = Instant.now();
            purchase("bob", bought);
            WebhookReceiver.Received comeBack = receiver.next(Duration.ofSeconds(20));
            assertNotNull(comeBack, "three seconds without a purchase: bob entered");
            assertTrue(comeBack.body().contains("Come back bob"), comeBack.body());
            assertTrue(Duration.between(bought, Instant.now()).compareTo(Duration.parse(WINDOW)) >= 0, "not before the window ended");
            project.api().get(project.path("/events?userId=bob&type=@segment_entered")).then().statusCode(200)
                    .body("events.size()", equalTo(1)).body("events[0].data.by", equalTo("time"));
        }
    }

    @Test
    void aSegmentTriggerSaysWhetherItStartsOnEnteringOrLeaving() {
        String recent = segment("{\"event\": \"purchase\", \"since\": \"P30D\"}");
        project.api().body("{\"name\": \"x\", \"trigger\": {\"segment\": \"" + recent + "\", \"on\": \"leave\"}, \"steps\": [{\"id\": \"e\", \"type\": \"exit\"}]}")
                .post(project.path("/journeys")).then().statusCode(422).body("details.path", hasItem("trigger.on"));
        project.api().body("{\"name\": \"x\", \"trigger\": {\"event\": \"purchase\", \"on\": \"exit\"}, \"steps\": [{\"id\": \"e\", \"type\": \"exit\"}]}")
                .post(project.path("/journeys")).then().statusCode(422).body("details.path", hasItem("trigger.on"));
        String id = project.api().body("{\"name\": \"x\", \"trigger\": {\"segment\": \"" + recent + "\", \"on\": \"exit\"}, \"steps\": [{\"id\": \"e\", \"type\": \"exit\"}]}")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().get(project.path("/journeys/" + id)).then().statusCode(200).body("definition.trigger.on", equalTo("exit"));
    }

    private static void await(Runnable assertion) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(assertion::run);
    }
}
