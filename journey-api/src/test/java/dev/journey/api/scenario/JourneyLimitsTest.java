package dev.journey.api.scenario;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.runtime.TemporalRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** A journey's own limits: entries per period (the rest refused, and told why), messages per minute (the rest delayed, never dropped). */
@QuarkusTest
@TestProfile(JourneyScenariosTest.TimeSkipping.class)
class JourneyLimitsTest {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final Duration POLL = Duration.ofMillis(50);

    @Inject
    TemporalRuntime temporal;

    @Test
    void entriesBeyondTheLimitAreRefusedAndTheUserIsToldWhy() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Entry limit")) {
            String journey = s.publish("""
                    {"name": "Two a day", "trigger": {"event": "signup"}, "limits": {"entries": {"max": 2, "per": "P1D"}},
                     "steps": [{"id": "w", "type": "wait", "duration": "P1D", "next": null}]}""");
            for (String user : List.of("u1", "u2", "u3")) {
                s.track(user, "signup", "{}");
            }
            JsonPath refused = await().atMost(SOON).pollInterval(POLL).until(() -> s.project.api().get(s.project.path("/users/u3"))
                    .then().statusCode(200).extract().jsonPath(), p -> p.getList("notEntered").size() == 1);
            assertEquals("limit", refused.getString("notEntered[0].reason"));
            assertEquals(2, refused.getInt("notEntered[0].detail.max"));
            assertEquals("P1D", refused.getString("notEntered[0].detail.per"));
            assertTrue(refused.getString("notEntered[0].detail.windowEnd").endsWith("T00:00:00Z"), "a UTC day");
            assertEquals(2, s.instances(journey, "").getList("instances").size());
            assertEquals(List.of("u1", "u2"), s.instances(journey, "").getList("instances.subjectId").stream().sorted().toList());
        }
    }

    @Test
    void messagesBeyondTheRateWaitForTheirTurnAndAllGo() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Send rate")) {
            String journey = s.publish("""
                    {"name": "One a minute", "trigger": {"event": "signup"}, "limits": {"messagesPerMinute": 1},
                     "steps": [{"id": "hi", "type": "message", "channel": "webhook", "template": {"body": "Hi << entry_event.subjectId >>"},
                                "next": null}]}""");
            for (String user : List.of("a", "b", "c")) {
                s.track(user, "signup", "{}");
            }
            Set<String> reached = new HashSet<>();
            reached.add(s.expect(SOON).subjectId());
            assertNull(s.next(QUIET), "the others wait their turn");
            JsonPath held = await().atMost(SOON).pollInterval(POLL).until(() -> s.project.api()
                    .get(s.project.path("/messages?journeyId=" + journey + "&status=held")).then().statusCode(200).extract().jsonPath(),
                    p -> p.getList("messages").size() == 2);
            List<Instant> turns = held.getList("messages.heldUntil", String.class).stream().map(Instant::parse).sorted().toList();
            assertEquals(Duration.ofMinutes(1), Duration.between(turns.get(0), turns.get(1)), "one a minute: " + turns);

            temporal.skipTime(Duration.ofMinutes(1).plusSeconds(1));
            reached.add(s.expect(SOON).subjectId());
            assertNull(s.next(QUIET), "one turn has come, not two");
            temporal.skipTime(Duration.ofMinutes(1).plusSeconds(1));
            reached.add(s.expect(SOON).subjectId());
            assertEquals(Set.of("a", "b", "c"), reached, "none dropped");
            JsonPath stats = await().atMost(SOON).pollInterval(POLL).until(() -> s.stats(journey), p -> p.getInt("completed") == 3);
            assertEquals(Map.of("sent", 3), stats.getMap("messages.hi"));
        }
    }
}
