package dev.journey.api.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.runtime.TemporalRuntime;
import dev.journey.api.scenario.JourneyScenariosTest;
import dev.journey.api.support.ProviderServer;
import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Frequency caps and quiet hours in journeys, on the in-process Temporal with a clock the test
 * moves: a held push waits on a durable timer and goes out when the quiet hours end; the third push
 * of a day is capped, and the next day's is sent; transactional messages pass both.
 */
@QuarkusTest
@TestProfile(JourneyScenariosTest.TimeSkipping.class)
class CapsAndQuietHoursScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(20);

    @Inject
    TemporalRuntime temporal;

    private static TestProject pushProject(String name, ProviderServer fcm, String user) {
        TestProject p = TestProject.create(name);
        DeliverySupport.channel(p, Map.of("type", "push", "provider", "fcm", "baseUrl", fcm.baseUrl(),
                "fcmProjectId", "app", "accessToken", "token"));
        p.api().body(Map.of("deviceId", user + "-phone", "userId", user, "platform", "android", "pushToken", "tok-" + user))
                .post(p.path("/devices")).then().statusCode(201);
        return p;
    }

    private static String title(ProviderServer.Request r) throws Exception {
        return JSON.readTree(r.body()).path("message").path("notification").path("title").asText();
    }

    private static List<String> titles(ProviderServer fcm) throws Exception {
        List<String> titles = new ArrayList<>();
        for (ProviderServer.Request r : fcm.all()) {
            titles.add(title(r));
        }
        return titles;
    }

    @Test
    void aPushInsideQuietHoursIsHeldAndSentWhenTheyEndWhileATransactionalOneGoesAtOnce() throws Exception {
        try (ProviderServer fcm = new ProviderServer(200, "{\"name\": \"m\"}")) {
            TestProject p = pushProject("Quiet", fcm, "quinn");
            // Quiet hours around the current time in the user's zone (UTC: no timezone is set anywhere).
            LocalTime now = LocalTime.ofInstant(Instant.now(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
            LocalTime end = now.plusHours(2);
            p.api().body(Map.of("quietHours", Map.of("start", now.minusHours(1).toString(), "end", end.toString())))
                    .put(p.path("/delivery-settings")).then().statusCode(200);
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "receipt", "type": "message", "channel": "push", "transactional": true,
                     "template": {"title": "Receipt"}, "next": "promo"},
                    {"id": "promo", "type": "message", "channel": "push", "template": {"title": "Promo"}, "next": null}""");
            DeliverySupport.track(p, "quinn", "order", "{}");

            assertEquals("Receipt", title(fcm.next(SOON)), "a transactional message ignores quiet hours");
            DeliverySupport.awaitMessage(p, journey, j -> j.getList("messages.status").contains("held"));
            List<Map<String, Object>> held = DeliverySupport.messages(p, "?status=held");
            assertEquals(1, held.size());
            assertEquals("promo", held.get(0).get("stepId"));
            Instant heldUntil = Instant.parse((String) held.get(0).get("heldUntil"));
            assertEquals(end, LocalTime.ofInstant(heldUntil, ZoneOffset.UTC), "held until the quiet hours end");
            // The promo arriving once the hours end (below) is this check's barrier: the pipeline was alive.
            assertNull(fcm.next(Duration.ofMillis(700)), "nothing during quiet hours");

            temporal.skipTime(Duration.ofHours(1));
            assertNull(fcm.next(Duration.ofMillis(700)), "still quiet an hour later");
            temporal.skipTime(Duration.ofHours(1).plusMinutes(2));
            ProviderServer.Request promo = fcm.next(SOON);
            assertNotNull(promo, "sent when the quiet hours ended");
            assertEquals("Promo", title(promo));
            DeliverySupport.awaitMessage(p, journey, j -> Collections.frequency(j.getList("messages.status"), "sent") == 2);
            assertEquals(List.of("Receipt", "Promo"), titles(fcm), "each message once");
        }
    }

    @Test
    void theThirdPushOfADayIsCappedNotDroppedAndTheNextDaysIsSent() throws Exception {
        try (ProviderServer fcm = new ProviderServer(200, "{\"name\": \"m\"}")) {
            TestProject p = pushProject("Caps", fcm, "cara");
            p.api().body(Map.of("frequencyCaps", List.of(Map.of("channel", "push", "limit", 2, "period", "P1D"))))
                    .put(p.path("/delivery-settings")).then().statusCode(200);
            String promo = DeliverySupport.journey(p, "visit", """
                    {"id": "promo", "type": "message", "channel": "push", "template": {"title": "Promo << entry_event.data.n >>"}, "next": null}""");
            String receipt = DeliverySupport.journey(p, "order", """
                    {"id": "receipt", "type": "message", "channel": "push", "transactional": true,
                     "template": {"title": "Receipt"}, "next": null}""");
            DeliverySupport.track(p, "cara", "order", "{}");
            assertEquals("Receipt", title(fcm.next(SOON)));
            // Three journeys at once race for two places: the lock per user lets exactly two through.
            p.api().body("""
                    {"events": [{"subjectType": "user", "subjectId": "cara", "type": "visit", "data": {"n": 1}},
                                {"subjectType": "user", "subjectId": "cara", "type": "visit", "data": {"n": 2}},
                                {"subjectType": "user", "subjectId": "cara", "type": "visit", "data": {"n": 3}}]}""")
                    .post(p.path("/track")).then().statusCode(202);
            List<String> titles = new ArrayList<>();
            titles.add(title(fcm.next(SOON)));
            titles.add(title(fcm.next(SOON)));
            // The receipt sent after this is its barrier: a late third promo would reach the provider before it.
            assertNull(fcm.next(Duration.ofMillis(700)), "the third is capped");
            DeliverySupport.awaitMessage(p, promo, j -> j.getList("messages.status").contains("capped")
                    && Collections.frequency(j.getList("messages.status"), "sent") == 2);
            List<Map<String, Object>> capped = DeliverySupport.messages(p, "?status=capped");
            assertEquals(1, capped.size());
            assertTrue(((String) capped.get(0).get("error")).startsWith("frequency cap: at most 2 push"), capped.toString());
            assertEquals(0, ((Number) capped.get(0).get("attempts")).intValue());
            assertEquals(1, DeliverySupport.messages(p, "?journeyId=" + receipt).size());

            DeliverySupport.track(p, "cara", "order", "{}");
            assertEquals("Receipt", title(fcm.next(SOON)), "transactional messages are never capped");

            temporal.skipTime(Duration.ofDays(1).plusMinutes(1));
            DeliverySupport.track(p, "cara", "visit", "{\"n\": 4}");
            assertEquals("Promo 4", title(fcm.next(SOON)), "a day later there is room again");
            List<String> sent = titles(fcm);
            assertEquals(3, sent.stream().filter(t -> t.startsWith("Promo")).count(), "the capped promo was never sent: " + sent);
            assertEquals(5, sent.size(), sent.toString());
        }
    }
}
