package dev.journey.api.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.runtime.TemporalRuntime;
import dev.journey.api.support.ProviderServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Journeys that react to what happened to their own messages: "in-app offer; if not clicked within
 * 2 h, a reminder", "push; if not opened within 2 h, SMS" and "SMS failed → webhook", on the
 * time-skipping Temporal.
 */
@QuarkusTest
@TestProfile(JourneyScenariosTest.TimeSkipping.class)
class MessageOutcomeTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(700);

    @Inject
    TemporalRuntime temporal;

    @Test
    void aClickWithinTheTimeThanksAndNoClickReminds() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Clicked?")) {
            s.project.api().body(Map.of("type", "inapp")).post(s.project.path("/channels")).then().statusCode(201);
            String journey = s.publish("""
                    {"name": "Offer", "trigger": {"event": "visit"},
                     "steps": [{"id": "offer", "type": "message", "channel": "inapp", "template": {"body": "20% off"}, "next": "clicked"},
                               {"id": "clicked", "type": "waitForOutcome", "message": "offer", "outcome": "clicked", "within": "PT2H",
                                "onOutcome": "thanks", "onTimeout": "remind"},
                               {"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Enjoy"}, "next": null},
                               {"id": "remind", "type": "message", "channel": "webhook", "template": {"body": "Still 20% off"}, "next": null}]}""");
            s.track("clicker", "visit", "{}");
            s.track("ignorer", "visit", "{}");
            s.awaitInstances(journey, "?status=active", p -> p.getList("instances.currentStep").stream().allMatch("clicked"::equals)
                    && p.getList("instances").size() == 2);

            // The other user's click on their own message, and a display, do not count for this instance.
            String offer = inboxMessage(s, "clicker");
            s.project.api().post(s.project.path("/inapp/" + offer + "/displayed")).then().statusCode(200);
            assertNull(s.next(QUIET), "a display is not a click");
            s.project.api().post(s.project.path("/inapp/" + offer + "/clicked")).then().statusCode(200);
            ScenarioSupport.Delivered thanks = s.expect(SOON);
            assertEquals("clicker", thanks.subjectId());
            assertEquals("Enjoy", thanks.body());
            assertNull(s.next(QUIET), "the other user has not clicked");

            temporal.skipTime(Duration.ofHours(2).plusMinutes(1));
            ScenarioSupport.Delivered remind = s.expect(SOON);
            assertEquals("ignorer", remind.subjectId());
            assertEquals("Still 20% off", remind.body());

            JsonPath stats = s.awaitInstances(journey, "?status=completed", p -> p.getList("instances").size() == 2);
            assertEquals(2, stats.getList("instances").size());
        }
    }

    @Test
    void aPushNotOpenedWithinTwoHoursIsFollowedUpAndAnOpenedOneIsNot() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Opened?");
             ProviderServer fcm = new ProviderServer(200, "{\"name\": \"m\"}")) {
            s.project.api().body(Map.of("type", "push", "provider", "fcm", "baseUrl", fcm.baseUrl(), "fcmProjectId", "app",
                    "accessToken", "token")).post(s.project.path("/channels")).then().statusCode(201);
            for (String user : new String[] {"opener", "ignorer"}) {
                s.project.api().body(Map.of("deviceId", user + "-phone", "userId", user, "platform", "android", "pushToken", "tok-" + user))
                        .post(s.project.path("/devices")).then().statusCode(201);
            }
            String journey = s.publish("""
                    {"name": "Push, then", "trigger": {"event": "cart"},
                     "steps": [{"id": "push", "type": "message", "channel": "push", "template": {"title": "Your cart", "body": "Still there"},
                                "next": "opened"},
                               {"id": "opened", "type": "waitForOutcome", "message": "push", "outcome": "opened", "within": "PT2H",
                                "onOutcome": null, "onTimeout": "sms"},
                               {"id": "sms", "type": "message", "channel": "webhook", "template": {"body": "Your cart, by SMS"}, "next": null}]}""");
            s.track("opener", "cart", "{}");
            s.track("ignorer", "cart", "{}");
            s.awaitInstances(journey, "?status=active", p -> p.getList("instances.currentStep").stream().allMatch("opened"::equals)
                    && p.getList("instances").size() == 2);

            // The app reports the tap with the messageId the push carried.
            String pushed = null;
            for (ProviderServer.Request r : fcm.all()) {
                JsonPath body = JsonPath.from(r.body());
                if (body.getString("message.token").equals("tok-opener")) {
                    pushed = body.getString("message.data.messageId");
                }
            }
            String opened = s.project.path("/messages/" + pushed + "/opened");
            s.project.api().post(opened + "?userId=ignorer").then().statusCode(404);
            s.project.api().post(opened + "?userId=opener").then().statusCode(200).body("event", equalTo("@opened"))
                    .body("recorded", equalTo(true));
            s.project.api().post(opened + "?userId=opener").then().statusCode(200).body("recorded", equalTo(false));
            s.awaitInstances(journey, "?status=completed", p -> p.getList("instances").size() == 1);
            assertNull(s.next(QUIET), "the opener gets no follow-up");

            temporal.skipTime(Duration.ofHours(2).plusMinutes(1));
            ScenarioSupport.Delivered sms = s.expect(SOON);
            assertEquals("ignorer", sms.subjectId());
            assertEquals("Your cart, by SMS", sms.body());
            s.awaitInstances(journey, "?status=completed", p -> p.getList("instances").size() == 2);
            JsonPath log = s.project.api().get(s.project.path("/messages?userId=opener&channel=push")).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(pushed, log.getString("messages[0].id"));
            org.junit.jupiter.api.Assertions.assertNotNull(log.getString("messages[0].openedAt"));
        }
    }

    @Test
    void aFailedMessageFallsBackAndADeliveredOneDoesNot() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Failed?")) {
            // No SMS channel in this project: the SMS fails at once.
            String journey = s.publish("""
                    {"name": "Fallback", "trigger": {"event": "order"},
                     "steps": [{"id": "sms", "type": "message", "channel": "sms", "template": {"body": "Shipped"}, "next": "failed"},
                               {"id": "failed", "type": "waitForOutcome", "message": "sms", "outcome": "failed",
                                "onOutcome": "webhook", "onTimeout": null},
                               {"id": "webhook", "type": "message", "channel": "webhook", "template": {"body": "Shipped (fallback)"},
                                "next": "delivered"},
                               {"id": "delivered", "type": "waitForOutcome", "message": "webhook", "outcome": "delivered",
                                "onOutcome": null, "onTimeout": "never"},
                               {"id": "never", "type": "message", "channel": "webhook", "template": {"body": "unreachable"}, "next": null}]}""");
            s.track("dee", "order", "{}");
            ScenarioSupport.Delivered fallback = s.expect(SOON);
            assertEquals("Shipped (fallback)", fallback.body());
            JsonPath done = s.awaitInstances(journey, "?status=completed", p -> p.getList("instances").size() == 1);
            assertNull(s.next(QUIET), "the webhook was delivered, so no further message");
            String instance = done.getString("instances[0].id");
            JsonPath path = s.project.api().get(s.project.path("/journeys/" + journey + "/instances/" + instance + "/path"))
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("failed", path.getString("steps[1].status"));
            assertEquals("webhook", path.getString("steps[1].next"));
            assertEquals("sent", path.getString("steps[3].status"));
        }
    }

    private static String inboxMessage(ScenarioSupport s, String user) {
        return s.project.api().get(s.project.path("/users/" + user + "/inapp")).then().statusCode(200).extract().jsonPath()
                .getString("messages[0].messageId");
    }
}
