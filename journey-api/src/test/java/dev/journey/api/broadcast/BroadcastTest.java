package dev.journey.api.broadcast;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Broadcasts: the audience counted before sending, one message to each member through the journeys'
 * hand-off (consent applied), a scheduled one cancelled before it sends, a throttled one cancelled
 * while its messages wait their turn, and every refusal naming its field.
 */
@QuarkusTest
class BroadcastTest {
    private static final Duration SOON = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    @Test
    void aBroadcastReachesEachMemberOnceThroughTheSameHandOffAndConsent() throws Exception {
        TestProject p = TestProject.create("Broadcasts");
        p.api().body(Map.of("id", "offers", "name", "Offers")).post(p.path("/topics")).then().statusCode(201);
        for (String user : List.of("u1", "u2", "u3", "u4")) {
            p.api().body(Map.of("tags", Map.of("tier", "gold"))).put(p.path("/users/" + user + "/tags")).then().statusCode(200);
        }
        p.api().body(Map.of("tags", Map.of("tier", "silver"))).put(p.path("/users/u5/tags")).then().statusCode(200);
        p.api().body("{\"subscriptions\": [{\"topic\": \"offers\", \"status\": \"unsubscribed\"}]}")
                .put(p.path("/users/u2/subscriptions")).then().statusCode(200);
        String segment = p.api().body("{\"name\": \"Gold\", \"condition\": {\"path\": \"user.tags.tier\", \"op\": \"eq\", \"value\": \"gold\"}}")
                .post(p.path("/segments")).then().statusCode(201).extract().path("id");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            p.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "a-webhook-secret-of-some-length"))
                    .post(p.path("/channels")).then().statusCode(201);

            // Scheduled: counted, nothing sent, cancelled before its time.
            JsonPath later = p.api().body(broadcast("Later", segment, Instant.now().plus(Duration.ofHours(1)).toString(), null))
                    .post(p.path("/broadcasts")).then().statusCode(201).extract().jsonPath();
            assertEquals("scheduled", later.getString("status"));
            assertEquals(4, later.getInt("audience"), "the segment's members, counted before sending");
            String laterId = later.getString("id");
            assertEquals("cancelled", p.api().post(p.path("/broadcasts/" + laterId + "/cancel")).then().statusCode(200)
                    .extract().path("status"));
            p.api().post(p.path("/broadcasts/" + laterId + "/cancel")).then().statusCode(409);

            // Now: every member once, u2 suppressed by consent, u5 not a member.
            String now = p.api().body(broadcast("Sale", segment, null, null)).post(p.path("/broadcasts")).then().statusCode(201)
                    .extract().path("id");
            JsonPath sent = await().atMost(SOON).pollInterval(POLL).until(() -> get(p, now),
                    b -> "sent".equals(b.getString("status")) && b.getInt("stats.active") == 0 && b.getInt("stats.entered") == 4);
            assertEquals(4, sent.getInt("enqueued"));
            assertEquals(Map.of("sent", 3, "suppressed", 1), sent.getMap("stats.messages"));
            await().atMost(SOON).pollInterval(POLL).until(() -> receiver.all().size() >= 3);
            List<String> bodies = receiver.all().stream().map(r -> new JsonPath(r.body()).getString("content.body")).sorted().toList();
            assertEquals(List.of("Sale for u1", "Sale for u3", "Sale for u4"), bodies);
            assertEquals("offers", new JsonPath(receiver.all().get(0).body()).getString("topic"));

            assertEquals(List.of(now, laterId), p.api().get(p.path("/broadcasts")).then().statusCode(200).extract().jsonPath().getList("id"));
            assertEquals(0, get(p, laterId).getInt("enqueued"), "the cancelled broadcast never sent");
            List<String> journeyIds = p.api().get(p.path("/journeys")).then().statusCode(200).extract().jsonPath().getList("id");
            assertFalse(journeyIds.contains(sent.getString("journeyId")), "a broadcast's journey is listed as the broadcast, not as a journey");

            // Throttled to one a minute, then cancelled while two wait their turn: they are never sent.
            int before = receiver.all().size();
            String slow = p.api().body(broadcast("Slow", segment, null, 1)).post(p.path("/broadcasts")).then().statusCode(201)
                    .extract().path("id");
            String slowJourney = get(p, slow).getString("journeyId");
            JsonPath held = await().atMost(SOON).pollInterval(POLL).until(() -> p.api()
                            .get(p.path("/messages?journeyId=" + slowJourney + "&status=held")).then().statusCode(200).extract().jsonPath(),
                    m -> m.getList("messages").size() == 2);
            List<Instant> turns = held.getList("messages.heldUntil", String.class).stream().map(Instant::parse).sorted().toList();
            assertTrue(Duration.between(turns.get(0), turns.get(1)).getSeconds() >= 59, "one a minute: " + turns);
            assertEquals("cancelled", p.api().post(p.path("/broadcasts/" + slow + "/cancel")).then().statusCode(200).extract().path("status"));
            JsonPath stopped = await().atMost(SOON).pollInterval(POLL).until(() -> get(p, slow), b -> b.getInt("stats.active") == 0);
            assertEquals(Map.of("sent", 1, "suppressed", 1, "failed", 2), stopped.getMap("stats.messages"),
                    "the two waiting were not sent: " + stopped.prettify());
            await().atMost(SOON).pollInterval(POLL).until(() -> receiver.all().size() == before + 1);
            assertTrue(List.of("Slow for u1", "Slow for u3", "Slow for u4").contains(
                    new JsonPath(receiver.all().get(before).body()).getString("content.body")), "the first in turn");
            assertEquals(before + 1, receiver.all().size());
        }
    }

    @Test
    void aBadBroadcastIsRefusedWithItsPathsAndNothingIsCreated() {
        TestProject p = TestProject.create("Bad broadcasts");
        JsonPath shape = p.api().body("{\"name\": \"\", \"sendAt\": \"tomorrow\", \"colour\": 1}").post(p.path("/broadcasts"))
                .then().statusCode(400).extract().jsonPath();
        assertEquals(List.of("colour", "name", "segment", "message", "sendAt"), shape.getList("details.path"));
        p.api().body(broadcast("X", "seg_missing", null, null)).post(p.path("/broadcasts")).then().statusCode(422)
                .extract().jsonPath().getList("details.path").equals(List.of("segment"));
        String segment = p.api().body("{\"name\": \"All\", \"condition\": {\"path\": \"user.tags.tier\", \"op\": \"exists\"}}")
                .post(p.path("/segments")).then().statusCode(201).extract().path("id");
        JsonPath message = p.api().body("""
                {"name": "X", "segment": "%s", "messagesPerMinute": 0,
                 "message": {"channel": "webhook", "topic": "nope", "template": {"body": "Hi {{ user.id "}}}""".formatted(segment))
                .post(p.path("/broadcasts")).then().statusCode(422).extract().jsonPath();
        List<String> paths = message.getList("details.path");
        assertTrue(paths.contains("message.template.body") && paths.contains("messagesPerMinute"), message.prettify());
        JsonPath topic = p.api().body("""
                {"name": "X", "segment": "%s", "message": {"channel": "webhook", "topic": "nope", "template": {"body": "Hi"}}}"""
                .formatted(segment)).post(p.path("/broadcasts")).then().statusCode(422).extract().jsonPath();
        assertEquals(List.of("message.topic"), topic.getList("details.path"));
        assertEquals(List.of(), p.api().get(p.path("/broadcasts")).then().statusCode(200).extract().jsonPath().getList("id"));
        assertEquals(List.of(), p.api().get(p.path("/journeys")).then().statusCode(200).extract().jsonPath().getList("id"));
        p.api().get(p.path("/broadcasts/bc_none")).then().statusCode(404);
    }

    private static String broadcast(String name, String segment, String sendAt, Integer perMinute) {
        return """
                {"name": "%s", "segment": "%s", "sendAt": %s, %s
                 "message": {"channel": "webhook", "topic": "offers", "template": {"body": "%s for << entry_event.subjectId >>"}}}"""
                .formatted(name, segment, sendAt == null ? "null" : "\"" + sendAt + "\"",
                        perMinute == null ? "" : "\"messagesPerMinute\": " + perMinute + ",", name);
    }

    private static JsonPath get(TestProject p, String id) {
        return p.api().get(p.path("/broadcasts/" + id)).then().statusCode(200).extract().jsonPath();
    }
}
