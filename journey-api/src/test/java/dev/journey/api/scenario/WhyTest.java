package dev.journey.api.scenario;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.runtime.TemporalRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * "Why": an instance's path says which steps it reached, when, and what decided each turn; a user's
 * profile says why they did not enter a journey the last time its trigger event came.
 */
@QuarkusTest
@TestProfile(JourneyScenariosTest.TimeSkipping.class)
class WhyTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

    @Inject
    TemporalRuntime temporal;

    @Test
    void anInstancesPathShowsEachStepWithWhatDecidedIt() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Path")) {
            String journey = s.publish("""
                    {"name": "Post-purchase", "trigger": {"event": "purchase"},
                     "steps": [{"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Thanks"}, "next": "pause"},
                               {"id": "pause", "type": "wait", "duration": "P1D", "next": "ab"},
                               {"id": "ab", "type": "split", "arms": [{"name": "A", "percent": 50, "next": "big"},
                                                                      {"name": "B", "percent": 50, "next": "big"}]},
                               {"id": "big", "type": "branch",
                                "cases": [{"when": {"path": "entry_event.data.amount", "op": "gte", "value": 100000}, "next": null},
                                          {"when": {"event": "review_written", "since": "entry"}, "next": null}],
                                "else": "review"},
                               {"id": "review", "type": "waitForEvent", "event": "review_written", "timeout": "P2D",
                                "onEvent": null, "onTimeout": null}]}""");
            s.track("ann", "purchase", "{\"amount\": 20000}");
            assertEquals("Thanks", s.expect(SOON).body());
            String instance = s.awaitInstances(journey, "?status=active", p -> "pause".equals(p.getString("instances[0].currentStep")))
                    .getString("instances[0].id");
            temporal.skipTime(Duration.ofDays(1).plusMinutes(1));
            s.awaitInstances(journey, "?status=active", p -> "review".equals(p.getString("instances[0].currentStep")));

            JsonPath path = awaitPath(s, journey, instance, p -> p.getList("steps").size() == 5);
            assertEquals(List.of("thanks", "pause", "ab", "big", "review"), path.getList("steps.stepId"));
            assertEquals(List.of("message", "wait", "split", "branch", "waitForEvent"), path.getList("steps.type"));
            assertEquals(List.of(0, 1, 2, 3, 4), path.getList("steps.seq"));
            assertEquals("active", path.getString("instance.status"));
            assertNull(path.get("end"));
            assertFalse(path.getBoolean("truncated"));

            assertEquals("webhook", path.getString("steps[0].channel"));
            assertTrue(path.getString("steps[0].messageId").startsWith("msg_"));
            await().atMost(SOON).pollInterval(POLL).until(() -> "sent".equals(
                    path(s, journey, instance).getString("steps[0].message.status")));
            assertEquals("pause", path.getString("steps[0].next"));

            assertEquals("timer", path.getString("steps[1].endedBy"));
            assertNotNull(path.getString("steps[1].until"));

            String arm = path.getString("steps[2].arm");
            assertTrue(List.of("A", "B").contains(arm), arm);
            assertEquals(50, path.getInt("steps[2].percent"));

            assertEquals("otherwise", path.getString("steps[3].case"));
            assertEquals("review", path.getString("steps[3].next"));
            List<Map<String, Object>> checks = path.getList("steps[3].checks");
            assertEquals(2, checks.size(), "both cases were looked at: " + checks);
            assertEquals("cases[0].when", checks.get(0).get("at"));
            assertEquals("entry_event.data.amount", checks.get(0).get("field"));
            assertEquals("gte", checks.get(0).get("op"));
            assertEquals(100000, checks.get(0).get("expected"));
            assertEquals(20000, checks.get(0).get("actual"));
            assertEquals(false, checks.get(0).get("result"));
            assertEquals("cases[1].when", checks.get(1).get("at"));
            assertEquals("review_written", checks.get(1).get("field"));
            assertEquals("count", checks.get(1).get("op"));
            assertEquals(0, checks.get(1).get("actual"));

            assertNull(path.get("steps[4].leftAt"), "the instance waits here");
            assertNotNull(path.getString("steps[4].wakeAt"), "when the wait ends by itself");

            s.track("ann", "review_written", "{\"stars\": 5}");
            JsonPath ended = awaitPath(s, journey, instance, p -> p.get("end") != null);
            assertEquals("completed", ended.getString("end.status"));
            assertEquals("event", ended.getString("steps[4].endedBy"));
            String reviewEvent = s.project.api().get(s.project.path("/events?userId=ann&type=review_written")).then().statusCode(200)
                    .extract().jsonPath().getString("events[0].id");
            assertEquals(reviewEvent, ended.getString("steps[4].eventId"));
            assertNotNull(ended.getString("steps[4].leftAt"));
            assertEquals(path.getString("steps[4].wakeAt"), ended.getString("steps[4].deadline"));

            // The id holds slashes; encoded, it names the same instance.
            String encoded = URLEncoder.encode(instance, StandardCharsets.UTF_8);
            s.project.api().urlEncodingEnabled(false).get(s.project.path("/journeys/" + journey + "/instances/" + encoded + "/path"))
                    .then().statusCode(200);
            s.project.api().get(s.project.path("/journeys/" + journey + "/instances/journey/nope/user/x/1/path")).then().statusCode(404);
            given().get(s.project.path("/journeys/" + journey + "/instances/" + instance + "/path")).then().statusCode(401);
        }
    }

    @Test
    void anInstanceEndedByItsGoalSaysWhichEvent() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Goal path")) {
            String journey = s.publish("""
                    {"name": "Nudge", "trigger": {"event": "signup"}, "goal": {"event": "purchase"},
                     "steps": [{"id": "pause", "type": "wait", "duration": "P3D", "next": null}]}""");
            s.track("bo", "signup", "{}");
            String instance = s.awaitInstances(journey, "?status=active", p -> "pause".equals(p.getString("instances[0].currentStep")))
                    .getString("instances[0].id");
            s.track("bo", "purchase", "{}");
            JsonPath path = awaitPath(s, journey, instance, p -> p.get("end") != null);
            String purchase = s.project.api().get(s.project.path("/events?userId=bo&type=purchase")).then().statusCode(200)
                    .extract().jsonPath().getString("events[0].id");
            assertEquals("converted", path.getString("end.status"));
            assertEquals(purchase, path.getString("end.eventId"));
            assertEquals("goal", path.getString("steps[0].endedBy"));
            assertEquals(purchase, path.getString("steps[0].eventId"));
        }
    }

    @Test
    void aUsersProfileSaysWhyTheyDidNotEnter() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Why not")) {
            String big = s.publish("""
                    {"name": "Big spenders", "trigger": {"event": "purchase",
                       "where": {"all": [{"path": "data.currency", "op": "eq", "value": "KRW"},
                                         {"path": "data.amount", "op": "gte", "value": 5000}]}},
                     "steps": [{"id": "w", "type": "wait", "duration": "P1D", "next": null}]}""");
            String welcome = s.publish("""
                    {"name": "Welcome", "trigger": {"event": "signup"},
                     "steps": [{"id": "w", "type": "wait", "duration": "P1D", "next": null}]}""");
            String paused = s.publish("""
                    {"name": "Visits", "trigger": {"event": "visit"},
                     "steps": [{"id": "w", "type": "wait", "duration": "P1D", "next": null}]}""");
            s.project.api().post(s.project.path("/journeys/" + paused + "/pause")).then().statusCode(200);

            s.track("cy", "purchase", "{\"currency\": \"KRW\", \"amount\": 100}");
            s.track("cy", "signup", "{}");
            s.awaitInstances(welcome, "?userId=cy", p -> p.getList("instances").size() == 1);
            s.track("cy", "signup", "{}");
            s.track("cy", "visit", "{}");

            JsonPath user = await().atMost(SOON).pollInterval(POLL).until(() -> profile(s, "cy"),
                    p -> p.getList("notEntered").size() == 3);
            Map<String, Object> condition = notEntered(user, big);
            assertEquals("condition", condition.get("reason"));
            assertEquals("Big spenders", condition.get("journeyName"));
            assertEquals("purchase", condition.get("eventType"));
            JsonPath detail = JsonPath.from(user.prettify()).setRootPath("notEntered.find { it.journeyId == '" + big + "' }.detail");
            assertEquals(List.of("trigger.where.all[0]", "trigger.where.all[1]"), detail.getList("checks.at"),
                    "the first part held, the second decided");
            assertEquals(List.of(true, false), detail.getList("checks.result"));
            assertEquals("data.amount", detail.getString("checks[1].field"));
            assertEquals(100, detail.getInt("checks[1].actual"));
            assertEquals(5000, detail.getInt("checks[1].expected"));

            Map<String, Object> reentry = notEntered(user, welcome);
            assertEquals("reentry", reentry.get("reason"));
            @SuppressWarnings("unchecked")
            Map<String, Object> rule = (Map<String, Object>) reentry.get("detail");
            assertEquals("once", rule.get("rule"));
            assertNotNull(rule.get("lastEnteredAt"));

            assertEquals("paused", notEntered(user, paused).get("reason"));

            // A later entry answers the question: the journey leaves the list.
            s.track("cy", "purchase", "{\"currency\": \"KRW\", \"amount\": 9000}");
            s.awaitInstances(big, "?userId=cy", p -> p.getList("instances").size() == 1);
            JsonPath after = profile(s, "cy");
            assertEquals(2, after.getList("notEntered").size(), after.prettify());
            assertTrue(after.getList("notEntered.journeyId").stream().noneMatch(big::equals));
        }
    }

    private static Map<String, Object> notEntered(JsonPath user, String journey) {
        List<Map<String, Object>> all = user.getList("notEntered");
        return all.stream().filter(n -> journey.equals(n.get("journeyId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no non-entry for " + journey + " in " + all));
    }

    private static JsonPath profile(ScenarioSupport s, String user) {
        return s.project.api().get(s.project.path("/users/" + user)).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath path(ScenarioSupport s, String journey, String instance) {
        return s.project.api().get(s.project.path("/journeys/" + journey + "/instances/" + instance + "/path")).then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath awaitPath(ScenarioSupport s, String journey, String instance, java.util.function.Predicate<JsonPath> until) {
        return await().atMost(SOON).pollInterval(POLL).until(() -> path(s, journey, instance), until);
    }
}
