package dev.journey.api.scenario;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.runtime.TemporalRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Marketers' journeys end to end: the public API, the dispatcher, the in-process Temporal with a
 * clock the test moves forward (hours and days pass in milliseconds), and a real webhook listener.
 */
@QuarkusTest
@TestProfile(JourneyScenariosTest.TimeSkipping.class)
public class JourneyScenariosTest {
    public static class TimeSkipping implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("journey.temporal.time-skipping", "true");
        }
    }

    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final Duration POLL = Duration.ofMillis(50);

    @Inject
    TemporalRuntime temporal;

    @Test
    void abandonedCart() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Cart")) {
            String journey = s.publish("""
                    {"name": "Abandoned cart", "trigger": {"event": "cart_updated"},
                     "steps": [{"id": "wait", "type": "waitForEvent", "event": "purchase",
                                "where": {"path": "data.cartId", "op": "eq", "valueFrom": "entry_event.data.cartId"},
                                "timeout": "PT1H", "onEvent": "thanks", "onTimeout": "remind"},
                               {"id": "thanks", "type": "message", "channel": "webhook",
                                "template": {"body": "Thanks for your order, << user.id >>"}, "next": null},
                               {"id": "remind", "type": "message", "channel": "webhook",
                                "template": {"body": "You left << entry_event.data.item >> in your cart"}, "next": null}]}""");
            s.track("buyer", "cart_updated", "{\"cartId\": \"c1\", \"item\": \"Lamp\"}");
            s.track("forgetter", "cart_updated", "{\"cartId\": \"c2\", \"item\": \"Chair\"}");
            s.awaitInstances(journey, "?status=active", p -> p.getList("instances").size() == 2);

            long purchased = System.nanoTime();
            s.track("buyer", "purchase", "{\"cartId\": \"c1\"}");
            ScenarioSupport.Delivered thanks = s.expect(SOON);
            long reactedMs = (thanks.receivedAtNanos() - purchased) / 1_000_000;
            System.out.printf("wait-for-event reacted in %d ms%n", reactedMs);
            assertTrue(reactedMs < 1000, "reacted in " + reactedMs + " ms");
            assertEquals("Thanks for your order, buyer", thanks.body());
            assertNull(s.next(QUIET), "nothing for the one who has not bought yet");

            // The reminder at the timeout is the barrier: the pipeline that stayed silent above was alive.
            temporal.skipTime(Duration.ofHours(1).plusMinutes(1));
            ScenarioSupport.Delivered remind = s.expect(SOON);
            assertEquals("forgetter", remind.subjectId());
            assertEquals("You left Chair in your cart", remind.body());

            JsonPath stats = awaitStats(s, journey, 2);
            assertEquals(2, stats.getInt("entered"));
            assertEquals(1, stats.getInt("messages.thanks.sent"));
            assertEquals(1, stats.getInt("messages.remind.sent"));
            assertEquals(2, s.delivered().size(), "one message per instance, both ended");
        }
    }

    @Test
    void postPurchaseBranchesOnAReviewWrittenSinceEntry() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("PostPurchase")) {
            String journey = s.publish("""
                    {"name": "Post-purchase", "trigger": {"event": "purchase", "where": {"path": "data.amount", "op": "gte", "value": 5000}},
                     "steps": [{"id": "thanks", "type": "message", "channel": "webhook",
                                "template": {"body": "Thanks for buying << entry_event.data.productName | default: 'it' >>!"}, "next": "pause"},
                               {"id": "pause", "type": "wait", "duration": "P3D", "next": "reviewed"},
                               {"id": "reviewed", "type": "branch",
                                "cases": [{"when": {"event": "review_written", "since": "entry"}, "next": null}], "else": "remind"},
                               {"id": "remind", "type": "message", "channel": "webhook",
                                "template": {"body": "How do you like << entry_event.data.productName >>?"}, "next": null}]}""");
            s.track("reviewer", "purchase", "{\"productName\": \"Lamp\", \"amount\": 10000}");
            s.track("silent", "purchase", "{\"productName\": \"Chair\", \"amount\": 20000}");
            s.track("cheap", "purchase", "{\"productName\": \"Pen\", \"amount\": 100}");
            Set<String> thanks = new HashSet<>();
            thanks.add(s.expect(SOON).body());
            thanks.add(s.expect(SOON).body());
            assertEquals(Set.of("Thanks for buying Lamp!", "Thanks for buying Chair!"), thanks);
            assertNull(s.next(QUIET), "the cheap purchase did not enter");

            s.track("reviewer", "review_written", "{\"stars\": 5}");
            temporal.skipTime(Duration.ofDays(3).plusMinutes(1));
            ScenarioSupport.Delivered remind = s.expect(SOON);
            assertEquals("silent", remind.subjectId());
            assertEquals("How do you like Chair?", remind.body());
            assertNull(s.next(QUIET), "the reviewer gets no reminder");

            // Both instances ended (the reviewer's too, so it cannot send later) with one reminder between them;
            // the silent buyer's reminder above was the barrier for the cheap purchase's check.
            JsonPath stats = awaitStats(s, journey, 2);
            assertEquals(2, stats.getInt("completed"));
            assertEquals(2, stats.getInt("messages.thanks.sent"));
            assertEquals(1, stats.getInt("messages.remind.sent"));
            assertEquals(3, s.delivered().size(), "two thanks and one reminder");
        }
    }

    @Test
    void aRefundOfTheSameOrderExitsTheInstanceWhileItWaits() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Refund")) {
            String journey = s.publish("""
                    {"name": "Review request", "trigger": {"event": "purchase"},
                     "exitOn": [{"event": "refund", "where": {"path": "data.orderId", "op": "eq", "valueFrom": "entry_event.data.orderId"}}],
                     "steps": [{"id": "pause", "type": "wait", "duration": "P3D", "next": "ask"},
                               {"id": "ask", "type": "message", "channel": "webhook", "template": {"body": "Review order << entry_event.data.orderId >>"}, "next": null}]}""");
            s.track("u1", "purchase", "{\"orderId\": \"o1\"}");
            s.track("u2", "purchase", "{\"orderId\": \"o2\"}");
            s.awaitInstances(journey, "?status=active", p -> p.getList("instances").size() == 2);
            s.track("u1", "refund", "{\"orderId\": \"another\"}");
            long refunded = System.nanoTime();
            s.track("u1", "refund", "{\"orderId\": \"o1\"}");
            JsonPath exited = s.awaitInstances(journey, "?userId=u1", p -> "exited".equals(p.getString("instances[0].status")));
            long exitMs = (System.nanoTime() - refunded) / 1_000_000;
            assertTrue(exitMs < 1000, "exited in " + exitMs + " ms");
            assertEquals("exitOn refund", exited.getString("instances[0].endReason"));

            temporal.skipTime(Duration.ofDays(4));
            // The barrier: u2, who asked for no refund, gets the request on the same skipped clock. Without it a
            // clock that never moved, or a stalled worker, would pass the check below as well.
            ScenarioSupport.Delivered review = s.expect(SOON);
            assertEquals("u2", review.subjectId());
            assertEquals("Review order o2", review.body());
            assertNull(s.next(QUIET), "no review request after the refund");
            assertEquals(1, s.stats(journey).getInt("exitedBy.'exitOn refund'"));
        }
    }

    @Test
    void anAbSplitKeepsEachUserInOneArm() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Split")) {
            s.publish("""
                    {"name": "AB", "trigger": {"event": "visit"}, "reentry": {"mode": "always"},
                     "steps": [{"id": "ab", "type": "split", "arms": [{"name": "A", "percent": 50, "next": "a"}, {"name": "B", "percent": 50, "next": "b"}]},
                               {"id": "a", "type": "message", "channel": "webhook", "template": {"body": "A"}, "next": null},
                               {"id": "b", "type": "message", "channel": "webhook", "template": {"body": "B"}, "next": null}]}""");
            // 16 users: with 8, all of them fell in one arm about once in 128 runs (the arm hashes the random journey id).
            for (int round = 0; round < 2; round++) {
                for (int u = 0; u < 16; u++) {
                    s.track("user" + u, "visit", "{\"round\": " + round + "}");
                }
            }
            s.awaitDelivered(32);
            // The barrier: a visit tracked after the 32 must arrive too, and as the 33rd: none of the 32 came twice by then.
            s.track("late", "visit", "{\"round\": 2}");
            List<ScenarioSupport.Delivered> all = new ArrayList<>(s.awaitDelivered(33));
            assertEquals(33, all.size(), all.toString());
            assertTrue(all.removeIf(d -> d.subjectId().equals("late")), "the later visit was delivered");
            Map<String, Set<String>> armsByUser = new java.util.HashMap<>();
            all.forEach(d -> armsByUser.computeIfAbsent(d.subjectId(), k -> new HashSet<>()).add(d.body()));
            armsByUser.forEach((user, arms) -> assertEquals(1, arms.size(), user + " saw " + arms));
            Set<String> used = new HashSet<>();
            armsByUser.values().forEach(used::addAll);
            assertEquals(Set.of("A", "B"), used, "both arms are used");
        }
    }

    @Test
    void aRunningInstanceKeepsItsVersionWhenANewOneIsPublished() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Versions")) {
            String v1 = """
                    {"name": "Versioned", "trigger": {"event": "signup"},
                     "steps": [{"id": "pause", "type": "wait", "duration": "P1D", "next": "hello"},
                               {"id": "hello", "type": "message", "channel": "webhook", "template": {"body": "VERSION"}, "next": null}]}""";
            String journey = s.publish(v1.replace("VERSION", "hello from v1"));
            s.track("early", "signup", "{}");
            s.awaitInstances(journey, "", p -> p.getList("instances").size() == 1);
            s.project.api().body(v1.replace("VERSION", "hello from v2")).put(s.project.path("/journeys/" + journey)).then().statusCode(200);
            s.project.api().post(s.project.path("/journeys/" + journey + "/publish")).then().statusCode(200);
            s.track("late", "signup", "{}");
            s.awaitInstances(journey, "", p -> p.getList("instances").size() == 2);

            temporal.skipTime(Duration.ofDays(1).plusMinutes(1));
            Map<String, String> got = new java.util.HashMap<>();
            List<ScenarioSupport.Delivered> delivered = s.awaitDelivered(2);
            delivered.forEach(d -> got.put(d.subjectId(), d.body()));
            assertEquals(Map.of("early", "hello from v1", "late", "hello from v2"), got);
            assertEquals(2, delivered.size(), delivered.toString());
            JsonPath instances = s.instances(journey, "?userId=early");
            assertEquals(1, instances.getInt("instances[0].journeyVersion"));
            assertEquals(2, s.instances(journey, "?userId=late").getInt("instances[0].journeyVersion"));
        }
    }

    @Test
    void reentryOnceAlwaysAndCooldown() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Reentry")) {
            String body = """
                    {"name": "MODE", "trigger": {"event": "EVENT"}, REENTRY
                     "steps": [{"id": "m", "type": "message", "channel": "webhook", "template": {"body": "MODE"}, "next": null}]}""";
            String once = s.publish(body.replace("MODE", "once").replace("EVENT", "e1").replace("REENTRY", ""));
            String always = s.publish(body.replace("MODE", "always").replace("EVENT", "e2").replace("REENTRY", "\"reentry\": {\"mode\": \"always\"},"));
            String cooldown = s.publish(body.replace("MODE", "cooldown").replace("EVENT", "e3")
                    .replace("REENTRY", "\"reentry\": {\"mode\": \"cooldown\", \"cooldown\": \"P7D\"},"));
            for (String type : List.of("e1", "e2")) {
                s.track("u", type, "{}");
                s.track("u", type, "{}");
            }
            s.track("u", "e3", "{}", "2026-01-01T00:00:00Z");
            s.track("u", "e3", "{}", "2026-01-05T00:00:00Z");
            s.track("u", "e3", "{}", "2026-01-09T00:00:00Z");
            s.awaitDelivered(5);
            // The barrier: another user's e1, tracked after u's repeats, must enter "once", so the counts below
            // were decided by the re-entry rules and not by a dispatcher that had stopped.
            s.track("v", "e1", "{}");
            List<ScenarioSupport.Delivered> delivered = s.awaitDelivered(6);
            assertTrue(delivered.stream().anyMatch(d -> d.subjectId().equals("v") && d.body().equals("once")), delivered.toString());
            assertEquals(1, s.instances(once, "?userId=u").getList("instances").size(), "once: one entry");
            assertEquals(2, s.instances(always, "").getList("instances").size(), "always: every time");
            assertEquals(2, s.instances(cooldown, "").getList("instances").size(), "cooldown: day 0 and day 8, not day 4");
            assertEquals(6, delivered.size(), "one message per entry: " + delivered);
        }
    }

    @Test
    void aGoalConvertsAndArchivingEndsWhoIsStillInside() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Goal")) {
            String journey = s.publish("""
                    {"name": "Onboarding", "trigger": {"event": "signup"}, "goal": {"event": "first_order"},
                     "steps": [{"id": "tag", "type": "updateTags", "tags": {"stage": "onboarding"}, "next": "pause"},
                               {"id": "pause", "type": "wait", "duration": "P2D", "next": "nudge"},
                               {"id": "nudge", "type": "message", "channel": "webhook", "template": {"body": "Stage << user.tags.stage >>"}, "next": null}]}""");
            // The barrier for "nobody is nudged" below: a journey with the same wait, untouched by the archive,
            // must send once the days are skipped.
            String clock = s.publish("""
                    {"name": "Clock", "trigger": {"event": "tick"},
                     "steps": [{"id": "pause", "type": "wait", "duration": "P2D", "next": "tock"},
                               {"id": "tock", "type": "message", "channel": "webhook", "template": {"body": "tock"}, "next": null}]}""");
            s.track("clock", "tick", "{}");
            s.track("converts", "signup", "{}");
            s.track("stays", "signup", "{}");
            s.awaitInstances(journey, "?status=active", p -> p.getList("instances").size() == 2);
            s.awaitInstances(clock, "?status=active", p -> "pause".equals(p.getString("instances[0].currentStep")));
            s.track("converts", "first_order", "{}");
            s.awaitInstances(journey, "?status=converted", p -> p.getList("instances").size() == 1);
            s.project.api().post(s.project.path("/journeys/" + journey + "/archive")).then().statusCode(200);
            JsonPath exited = s.awaitInstances(journey, "?status=exited", p -> p.getList("instances").size() == 1);
            assertEquals("archived", exited.getString("instances[0].endReason"));
            temporal.skipTime(Duration.ofDays(3));
            assertEquals("tock", s.expect(SOON).body(), "the clock journey's wait ended: the skipped days passed");
            assertNull(s.next(QUIET), "nobody is nudged");
            JsonPath stats = s.stats(journey);
            assertEquals(1, stats.getInt("converted"));
            assertEquals(1, stats.getInt("convertedBy.'goal first_order'"));
            assertEquals(1, stats.getInt("exitedBy.archived"));
            s.project.api().delete(s.project.path("/journeys/" + journey)).then().statusCode(204);
        }
    }

    @Test
    void tagsAJourneySetsAreSeenByBranchesTemplatesAndTriggers() throws Exception {
        try (ScenarioSupport s = new ScenarioSupport("Tags")) {
            s.publish("""
                    {"name": "Loyalty", "trigger": {"event": "purchase", "where": {"event": "purchase", "within": "P30D", "count": {"gte": 2}}},
                     "steps": [{"id": "gold", "type": "updateTags", "tags": {"tier": "gold", "trial": null}, "next": "check"},
                               {"id": "check", "type": "branch", "cases": [{"when": {"path": "user.tags.tier", "op": "eq", "value": "gold"}, "next": "welcome"}],
                                "else": null},
                               {"id": "welcome", "type": "message", "channel": "webhook",
                                "template": {"body": "Welcome to << user.tags.tier >>, << user.id >>"}, "next": null}]}""");
            s.track("loyal", "purchase", "{\"n\": 1}");
            assertNull(s.next(QUIET), "one purchase is not enough");
            // The second purchase is the barrier, and it must be what entered: had the first entered late,
            // once-only re-entry would keep the second out and the welcome would carry n = 1.
            s.track("loyal", "purchase", "{\"n\": 2}");
            ScenarioSupport.Delivered welcome = s.expect(SOON);
            assertEquals("Welcome to gold, loyal", welcome.body());
            assertEquals(2, welcome.entryData().path("n").asInt(), "entered by the second purchase");
        }
    }

    private static JsonPath awaitStats(ScenarioSupport s, String journey, int ended) {
        AtomicReference<JsonPath> stats = new AtomicReference<>();
        await().atMost(SOON).pollInterval(POLL).untilAsserted(() -> {
            stats.set(s.stats(journey));
            assertEquals(0, stats.get().getInt("active"), stats.get()::prettify);
        });
        assertEquals(ended, stats.get().getInt("entered") - stats.get().getInt("active"));
        return stats.get();
    }
}
