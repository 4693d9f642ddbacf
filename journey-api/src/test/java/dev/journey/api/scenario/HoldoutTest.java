package dev.journey.api.scenario;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.journey.worker.message.DeliverySettings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The project's hold-out group (Braze's global control group): a stable share of users gets no
 * marketing message (transactional ones still go), and the journey's stats show the hold-out's
 * conversions beside the rest's.
 */
@QuarkusTest
@TestProfile(JourneyScenariosTest.TimeSkipping.class)
class HoldoutTest {
    private static final Duration SOON = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(50);

    @Test
    void heldOutUsersGetNoMarketingMessageAndTheirConversionsAreCountedApart() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Hold-out")) {
            s.project.api().body(Map.of("holdout", Map.of("percent", 50))).put(s.project.path("/delivery-settings"))
                    .then().statusCode(200).body("holdout.percent", org.hamcrest.Matchers.equalTo(50));
            String promo = s.publish("""
                    {"name": "Promo", "trigger": {"event": "visit"}, "goal": {"event": "purchase"},
                     "steps": [{"id": "offer", "type": "message", "channel": "webhook", "template": {"body": "10% off"}, "next": "pause"},
                               {"id": "pause", "type": "wait", "duration": "P1D", "next": null}]}""");
            String receipt = s.publish("""
                    {"name": "Receipt", "trigger": {"event": "order"}, "transactional": true,
                     "steps": [{"id": "receipt", "type": "message", "channel": "webhook", "template": {"body": "Your order"}, "next": null}]}""");
            DeliverySettings settings = new DeliverySettings(null, null, null, 50);
            List<String> users = new ArrayList<>();
            Set<String> heldOut = new HashSet<>();
            List<Map<String, Object>> visits = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String user = "h" + i;
                users.add(user);
                if (settings.heldOut(s.project.id(), user)) {
                    heldOut.add(user);
                }
                visits.add(Map.of("subjectType", "user", "subjectId", user, "type", "visit"));
            }
            s.project.api().body(Map.of("events", visits)).post(s.project.path("/track")).then().statusCode(202);
            assertTrue(!heldOut.isEmpty() && heldOut.size() < users.size(), "both groups have users: " + heldOut);

            JsonPath log = await().atMost(SOON).pollInterval(POLL).until(() -> s.project.api()
                            .get(s.project.path("/messages?journeyId=" + promo + "&limit=100")).then().statusCode(200).extract().jsonPath(),
                    p -> p.getList("messages").size() == 20 && !p.getList("messages.status").contains("queued"));
            for (int i = 0; i < 20; i++) {
                String user = log.getString("messages[" + i + "].subjectId");
                assertEquals(heldOut.contains(user) ? "held_out" : "sent", log.getString("messages[" + i + "].status"), user);
            }
            Set<String> reached = new HashSet<>();
            s.awaitDelivered(20 - heldOut.size()).forEach(d -> reached.add(d.subjectId()));
            assertEquals(users.size() - heldOut.size(), reached.size());
            assertTrue(reached.stream().noneMatch(heldOut::contains), "no held-out user got the offer");

            // Transactional messages go to everyone.
            s.track(heldOut.iterator().next(), "order", "{}");
            await().atMost(SOON).pollInterval(POLL).until(() -> s.delivered().stream().anyMatch(d -> d.body().equals("Your order")));

            // Two buyers in each group convert.
            List<String> buyers = new ArrayList<>(heldOut).subList(0, Math.min(2, heldOut.size()));
            List<String> others = users.stream().filter(u -> !heldOut.contains(u)).limit(2).toList();
            for (String buyer : concat(buyers, others)) {
                s.track(buyer, "purchase", "{}");
            }
            JsonPath stats = await().atMost(SOON).pollInterval(POLL).until(() -> s.stats(promo),
                    p -> p.getInt("converted") == buyers.size() + others.size());
            assertEquals(heldOut.size(), stats.getInt("holdout.entered"));
            assertEquals(buyers.size(), stats.getInt("holdout.converted"));
            assertEquals(20 - heldOut.size(), stats.getInt("rest.entered"));
            assertEquals(others.size(), stats.getInt("rest.converted"));
            assertEquals(heldOut.size(), stats.getInt("messages.offer.held_out"));
            s.stats(receipt);
        }
    }

    @Test
    void aHoldOutIsAWholePercentUpToHalf() {
        try (ScenarioSupport s = new ScenarioSupport("Bad hold-out")) {
            s.project.api().body(Map.of("holdout", Map.of("percent", 80))).put(s.project.path("/delivery-settings"))
                    .then().statusCode(400).body("details[0].path", org.hamcrest.Matchers.equalTo("holdout.percent"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
