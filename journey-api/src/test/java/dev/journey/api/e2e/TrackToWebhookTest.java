package dev.journey.api.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import dev.journey.worker.channel.WebhookChannel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The whole path on real parts: the seed's request over HTTP, the dispatcher, a Temporal workflow
 * in the in-process service, Liquid rendering, and a signed webhook to a real HTTP listener.
 */
@QuarkusTest
class TrackToWebhookTest {
    static final String SEED = """
            {"events": [{"subjectType": "user", "subjectId": "userid1", "type": "purchase", "data": {"productId": "123", "productName": "Product Name", "amount": 10000}}]}""";
    static final String SECRET = "a-webhook-secret-of-some-length";
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMillis(50);

    private final ObjectMapper json = new ObjectMapper();
    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;
    private TestProject project;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        project = TestProject.create("E2E");
        receiver = new WebhookReceiver();
        project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", SECRET))
                .post(project.path("/channels")).then().statusCode(201);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private String publishThanksJourney() {
        String id = project.api().body("""
                {"name": "Thanks", "trigger": {"event": "purchase", "where": {"path": "data.amount", "op": "gte", "value": 5000}},
                 "steps": [{"id": "thanks", "type": "message", "channel": "webhook",
                            "template": {"body": "Thanks for buying << entry_event.data.productName | default: \\"it\\" >>!",
                                         "title": "Hi {{ user.id }}"},
                            "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(201).body("status", equalTo("draft")).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200)
                .body("status", equalTo("published")).body("publishedVersion", equalTo(1));
        return id;
    }

    private JsonPath messages() {
        return project.api().get(project.path("/messages")).then().statusCode(200).extract().jsonPath();
    }

    /** The newest message of the log reaches {@code status}. */
    private void awaitMessageStatus(String status) {
        await().atMost(SOON).pollInterval(POLL).untilAsserted(() -> {
            JsonPath log = messages();
            assertEquals(status, log.getString("messages[0].status"), log::prettify);
        });
    }

    private void track(String seed) {
        project.api().body(seed).post(project.path("/track")).then().statusCode(202);
    }

    private long receivedWithKey(String idempotencyKey) {
        return receiver.all().stream().filter(r -> idempotencyKey.equals(r.header("Idempotency-Key"))).count();
    }

    /**
     * The barrier after a negative check: a purchase of another user, tracked later, goes the same
     * way and must arrive, so the silence before it was the rule under test and not a stalled
     * dispatcher or worker.
     */
    private void awaitBarrierPurchase(String subjectId) throws Exception {
        track(SEED.replace("userid1", subjectId));
        WebhookReceiver.Received barrier = receiver.next(SOON);
        assertNotNull(barrier, "the later purchase of " + subjectId + " was not delivered: the pipeline is stalled");
        assertEquals(subjectId, json.readTree(barrier.body()).path("subjectId").asText(), "the next webhook is the later purchase's");
    }

    @Test
    void seedEventDeliversARenderedSignedWebhook() throws Exception {
        String journeyId = publishThanksJourney();
        long posted = System.nanoTime();
        project.api().body(SEED).post(project.path("/track")).then().statusCode(202);

        WebhookReceiver.Received webhook = receiver.next(Duration.ofSeconds(10));
        assertNotNull(webhook, "no webhook arrived");
        System.out.printf("track -> webhook: %d ms%n", (webhook.receivedAtNanos() - posted) / 1_000_000);
        JsonNode body = json.readTree(webhook.body());
        assertEquals("Thanks for buying Product Name!", body.path("content").path("body").asText());
        assertEquals("Hi userid1", body.path("content").path("title").asText());
        assertEquals(journeyId, body.path("journeyId").asText());
        assertEquals(1, body.path("journeyVersion").asInt());
        assertEquals("thanks", body.path("stepId").asText());
        assertEquals("userid1", body.path("subjectId").asText());
        assertEquals("webhook", body.path("channel").asText());
        assertEquals("Product Name", body.path("entryEvent").path("data").path("productName").asText());
        assertEquals("sha256=" + WebhookChannel.sign(SECRET, webhook.body().getBytes(StandardCharsets.UTF_8)),
                webhook.header("X-Journey-Signature"));
        assertEquals(body.path("messageId").asText(), webhook.header("Idempotency-Key"));

        awaitMessageStatus("sent");
        JsonPath log = messages();
        assertEquals(body.path("messageId").asText(), log.getString("messages[0].id"));
        assertEquals("Thanks for buying Product Name!", log.getString("messages[0].content.body"));
        assertEquals(1, log.getInt("messages[0].attempts"));
        assertNull(receiver.next(Duration.ofMillis(300)), "exactly one webhook");

        awaitBarrierPurchase("userid2");
        assertEquals(1, receivedWithKey(body.path("messageId").asText()), "still exactly one webhook for the first purchase");
    }

    @Test
    void aStoredTemplateWithTheProjectsSnippetRendersInAJourney() throws Exception {
        project.api().body("{\"name\": \"sig\", \"source\": \"-- the << entry_event.data.productName >> team\"}")
                .post(project.path("/snippets")).then().statusCode(201);
        String template = project.api().body("{\"name\": \"Thanks\", \"fields\": {\"body\": \"Thanks {% render 'sig', entry_event: entry_event %}\"}}")
                .post(project.path("/templates")).then().statusCode(201).extract().path("id");
        project.api().body("""
                {"name": "Stored", "trigger": {"event": "purchase"},
                 "steps": [{"id": "m", "type": "message", "channel": "webhook", "templateId": "TPL", "next": null}]}"""
                .replace("TPL", "tpl_missing")).post(project.path("/journeys")).then().statusCode(422)
                .body("details[0].path", org.hamcrest.Matchers.equalTo("steps[0].templateId"));
        String id = project.api().body("""
                {"name": "Stored", "trigger": {"event": "purchase"},
                 "steps": [{"id": "m", "type": "message", "channel": "webhook", "templateId": "TPL", "next": null}]}"""
                .replace("TPL", template)).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
        project.api().body(SEED).post(project.path("/track")).then().statusCode(202);
        WebhookReceiver.Received webhook = receiver.next(Duration.ofSeconds(10));
        assertNotNull(webhook);
        assertEquals("Thanks -- the Product Name team", json.readTree(webhook.body()).path("content").path("body").asText());
    }

    @Test
    void anEventBelowTheTriggerConditionStartsNothing() throws Exception {
        publishThanksJourney();
        track(SEED.replace("10000", "100"));
        track(SEED.replace("purchase", "view"));
        assertNull(receiver.next(QUIET), "neither event enters the journey");
        assertEquals(0, messages().getList("messages").size());

        awaitBarrierPurchase("userid2");
        awaitMessageStatus("sent");
        assertEquals(1, receiver.all().size(), "only the later purchase was delivered");
        assertEquals(1, messages().getList("messages").size(), "only the later purchase has a message");
    }

    @Test
    void aServerErrorIsRetriedWithTheSameIdempotencyKey() throws Exception {
        publishThanksJourney();
        receiver.answer(503);
        project.api().body(SEED).post(project.path("/track")).then().statusCode(202);
        WebhookReceiver.Received first = receiver.next(Duration.ofSeconds(10));
        WebhookReceiver.Received second = receiver.next(Duration.ofSeconds(10));
        assertNotNull(first);
        assertNotNull(second, "a 503 is retried");
        assertEquals(first.header("Idempotency-Key"), second.header("Idempotency-Key"));
        assertEquals(first.body(), second.body());
        awaitMessageStatus("sent");
        assertEquals(2, messages().getInt("messages[0].attempts"));
    }

    @Test
    void aClientErrorFailsTheMessageWithoutRetry() throws Exception {
        publishThanksJourney();
        receiver.answer(400);
        project.api().body(SEED).post(project.path("/track")).then().statusCode(202);
        WebhookReceiver.Received rejected = receiver.next(SOON);
        assertNotNull(rejected);
        awaitMessageStatus("failed");
        assertTrue(messages().getString("messages[0].error").startsWith("HTTP 400"), messages().prettify());
        assertEquals(1, messages().getInt("messages[0].attempts"));
        // Longer than the first retry's backoff (1 s), so a retry would land inside it.
        assertNull(receiver.next(Duration.ofSeconds(2)), "a 400 is not retried");

        awaitBarrierPurchase("userid2");
        assertEquals(1, receivedWithKey(rejected.header("Idempotency-Key")), "the rejected message was still sent once");
    }

    @Test
    void aPausedJourneyTakesNoNewEntries() throws Exception {
        String id = publishThanksJourney();
        project.api().post(project.path("/journeys/" + id + "/pause")).then().statusCode(200).body("status", equalTo("paused"));
        track(SEED);
        assertNull(receiver.next(QUIET), "a paused journey takes no entry");
        project.api().post(project.path("/journeys/" + id + "/resume")).then().statusCode(200).body("status", equalTo("published"));
        // The barrier: the same user buys something else after the resume and that must enter. Had the
        // purchase tracked while paused been kept and let in on resume, it would arrive instead (and
        // once-only re-entry would keep the later one out).
        track(SEED.replace("Product Name", "Lamp"));
        WebhookReceiver.Received entered = receiver.next(SOON);
        assertNotNull(entered, "a resumed journey takes entries again");
        assertEquals("Thanks for buying Lamp!", json.readTree(entered.body()).path("content").path("body").asText(),
                "the purchase after the resume entered, not the one while paused");
        awaitMessageStatus("sent");
        assertEquals(1, receiver.all().size());
        assertEquals(1, messages().getList("messages").size());
    }

    /** Preview and the message actually sent build the user a template sees in one place: the date renders in the same zone. */
    @Test
    void thePreviewAndTheSentMessageRenderDatesInTheUsersTimezoneAlike() throws Exception {
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement st = c.prepareStatement(
                "INSERT INTO app_user (project_id, user_id, timezone) VALUES (?, 'tz-user', 'Asia/Seoul')")) {
            st.setString(1, project.id());
            st.executeUpdate();
        }
        String template = "Ordered at << entry_event.timestamp | date: '%H:%M' >>";
        String id = project.api().body("""
                {"name": "Zone", "trigger": {"event": "purchase"},
                 "steps": [{"id": "hi", "type": "message", "channel": "webhook", "template": {"body": "%s"}, "next": null}]}"""
                .formatted(template)).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "tz-user", "type": "purchase", "eventId": "tz-order",
                  "timestamp": 1709600000000, "data": {}}]}""").post(project.path("/track")).then().statusCode(202);

        WebhookReceiver.Received webhook = receiver.next(Duration.ofSeconds(10));
        assertNotNull(webhook);
        String sent = json.readTree(webhook.body()).path("content").path("body").asText();
        String previewed = project.api().body(Map.of("template", Map.of("body", template), "eventId", "tz-order"))
                .post(project.path("/templates/preview")).then().statusCode(200).extract().path("rendered.body");
        assertEquals("Ordered at 09:53", sent, "09:53 in Seoul (00:53 UTC)");
        assertEquals(sent, previewed);
    }
}
