package dev.journey.api.delivery;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.ProviderServer;
import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** In-app messages and their @iam_* events; and the exactly-once hand-off when an answer is lost after the send. */
@QuarkusTest
class InAppAndExactlyOnceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(20);

    @Test
    void inAppMessagesWaitInTheInboxAndEveryActionIsRecordedOnceAndCanStartAJourney() throws Exception {
        try (ProviderServer hook = new ProviderServer(200, "ok")) {
            TestProject p = TestProject.create("InApp");
            DeliverySupport.channel(p, Map.of("type", "inapp"));
            DeliverySupport.channel(p, Map.of("type", "webhook", "url", hook.baseUrl() + "/hook", "secret", "inapp-secret-0123456789"));
            String sale = DeliverySupport.journey(p, "visit", """
                    {"id": "banner", "type": "message", "channel": "inapp",
                     "template": {"title": "Sale", "body": "Half price for << user.id >>", "image": "https://cdn.example.com/sale.png"},
                     "next": null}""");
            String followUp = DeliverySupport.journey(p, "@iam_clicked", """
                    {"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "clicked << entry_event.data.stepId >>"},
                     "next": null}""");
            DeliverySupport.track(p, "ivy", "visit", "{}");
            JsonPath log = DeliverySupport.awaitMessage(p, sale, j -> "sent".equals(j.getString("messages[0].status")));
            String messageId = log.getString("messages[0].id");

            JsonPath inbox = p.api().get(p.path("/users/ivy/inapp")).then().statusCode(200).extract().jsonPath();
            assertEquals(List.of(messageId), inbox.getList("messages.messageId"));
            assertEquals("Half price for ivy", inbox.getString("messages[0].content.body"));
            assertNull(inbox.get("messages[0].displayedAt"));
            p.api().get(p.path("/users/someone-else/inapp")).then().statusCode(200).body("messages.size()", equalTo(0));

            p.api().post(p.path("/inapp/" + messageId + "/displayed")).then().statusCode(200).body("recorded", equalTo(true));
            p.api().post(p.path("/inapp/" + messageId + "/displayed")).then().statusCode(200).body("recorded", equalTo(false));
            inbox = p.api().get(p.path("/users/ivy/inapp")).then().statusCode(200).extract().jsonPath();
            assertNotNull(inbox.get("messages[0].displayedAt"), "displayed, still pending until clicked or closed");

            p.api().post(p.path("/inapp/" + messageId + "/clicked")).then().statusCode(200).body("recorded", equalTo(true));
            p.api().post(p.path("/inapp/" + messageId + "/clicked")).then().statusCode(200).body("recorded", equalTo(false));
            p.api().post(p.path("/inapp/" + messageId + "/closed")).then().statusCode(200).body("recorded", equalTo(true));
            p.api().get(p.path("/users/ivy/inapp")).then().statusCode(200).body("messages.size()", equalTo(0));
            p.api().post(p.path("/inapp/" + messageId + "/liked")).then().statusCode(404).body("details[0].path", equalTo("action"));
            p.api().post(p.path("/inapp/msg_nope/clicked")).then().statusCode(404);

            DeliverySupport.awaitMessage(p, sale, j -> "clicked".equals(j.getString("messages[0].status")));
            for (String type : List.of("@iam_displayed", "@iam_clicked", "@iam_closed")) {
                List<Map<String, Object>> events = DeliverySupport.events(p, "ivy", type);
                assertEquals(1, events.size(), type);
                assertEquals(messageId, ((Map<?, ?>) events.get(0).get("data")).get("messageId"));
            }
            ProviderServer.Request started = hook.next(SOON);
            assertNotNull(started, "@iam_clicked started the follow-up journey");
            assertEquals("clicked banner", JSON.readTree(started.body()).path("content").path("body").asText());
            assertEquals(followUp, JSON.readTree(started.body()).path("journeyId").asText());
            assertNull(hook.next(Duration.ofMillis(500)), "one click, one entry");

            // The barrier: a click on a later banner must start the follow-up again, so the one entry above
            // was the repeated click recorded once, not a follow-up journey that had stopped starting.
            DeliverySupport.track(p, "ivy", "visit", "{}");
            String laterId = DeliverySupport.awaitMessage(p, sale, j -> j.getList("messages").size() == 2
                    && "sent".equals(j.getString("messages[0].status"))).getString("messages[0].id");
            p.api().post(p.path("/inapp/" + laterId + "/clicked")).then().statusCode(200).body("recorded", equalTo(true));
            ProviderServer.Request again = hook.next(SOON);
            assertNotNull(again, "the later click did not start the follow-up journey");
            List<String> clickedMessages = new ArrayList<>();
            for (ProviderServer.Request r : hook.all()) {
                clickedMessages.add(JSON.readTree(r.body()).path("entryEvent").path("data").path("messageId").asText());
            }
            assertEquals(List.of(messageId, laterId), clickedMessages, "one entry per clicked message");
        }
    }

    /**
     * The answer to the first attempt is lost: the receiver has the message, but the sender times
     * out and the activity fails after the send and before the "sent" record. The retry carries the
     * same key; the receiver sees that key twice at most, and the log holds one message, sent.
     */
    @Test
    void aLostAnswerRepeatsTheSendWithTheSameKeyAndTheLogHoldsOneMessage() throws Exception {
        try (ProviderServer receiver = new ProviderServer(200, "ok")) {
            receiver.then(200, "ok", Duration.ofSeconds(3));
            TestProject p = TestProject.create("ExactlyOnce");
            DeliverySupport.channel(p, Map.of("type", "webhook", "url", receiver.baseUrl() + "/hook",
                    "secret", "once-secret-0123456789", "timeout", "PT1S"));
            String journey = DeliverySupport.journey(p, "buy", """
                    {"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "thanks"}, "next": null}""");
            DeliverySupport.track(p, "oli", "buy", "{}");

            ProviderServer.Request first = receiver.next(SOON);
            ProviderServer.Request second = receiver.next(SOON);
            assertNotNull(first);
            assertNotNull(second, "the activity failed after the send, so it was tried again");
            assertEquals(first.header("Idempotency-Key"), second.header("Idempotency-Key"));
            assertEquals(first.body(), second.body(), "the same rendered content on every attempt");
            JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "sent".equals(j.getString("messages[0].status")));
            assertEquals(1, log.getList("messages").size());
            assertEquals(first.header("Idempotency-Key"), log.getString("messages[0].id"));
            assertEquals(2, log.getInt("messages[0].attempts"));
            // As long as the backoff before a third attempt (2 s), so a further attempt would land inside it.
            assertNull(receiver.next(Duration.ofSeconds(2)), "once recorded as sent, never sent again");
            assertTrue(DeliverySupport.messages(p, "?status=sent&journeyId=" + journey).size() == 1);

            // The barrier: a later message through the same channel must arrive, so the silence above was
            // not a stalled worker; and the first message's key was still handed off twice, no more.
            DeliverySupport.track(p, "pat", "buy", "{}");
            ProviderServer.Request later = receiver.next(SOON);
            assertNotNull(later, "a later message was not sent");
            assertNotEquals(first.header("Idempotency-Key"), later.header("Idempotency-Key"));
            assertEquals(2, receiver.all().stream().filter(r -> first.header("Idempotency-Key").equals(r.header("Idempotency-Key"))).count());
        }
    }
}
