package dev.journey.api.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Consent: a project's topics, users' choices per topic and channel, message steps that name a topic
 * (unsubscribed users suppressed, transactional messages exempt), and the e-mail's unsubscribe link —
 * in the template, in {@code List-Unsubscribe}, and one click away (RFC 8058).
 */
@QuarkusTest
class ConsentTest {
    private static final String SECRET = "a-webhook-secret-of-some-length";
    private static GreenMail smtp;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.setUser("news@example.com", "mailer", "mailer-password");
        smtp.start();
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    @Test
    void topicsAreManagedAndEveryRefusalNamesItsField() {
        TestProject p = TestProject.create("Topics");
        p.api().body(Map.of("id", "news", "name", "News", "description", "What is new, monthly"))
                .post(p.path("/topics")).then().statusCode(201);
        p.api().body(Map.of("id", "news", "name", "Again")).post(p.path("/topics")).then().statusCode(409);
        JsonPath refused = p.api().body(Map.of("id", "no spaces", "name", "", "defaultStatus", "maybe", "colour", "red"))
                .post(p.path("/topics")).then().statusCode(400).extract().jsonPath();
        assertEquals(List.of("id", "name", "defaultStatus", "colour"), refused.getList("details.path"));
        p.api().body(Map.of("name", "Beta programme", "defaultStatus", "unsubscribed")).put(p.path("/topics/beta")).then().statusCode(404);
        p.api().body(Map.of("id", "beta", "name", "Beta", "defaultStatus", "unsubscribed")).post(p.path("/topics")).then().statusCode(201);
        p.api().body(Map.of("name", "Beta programme", "defaultStatus", "unsubscribed")).put(p.path("/topics/beta")).then().statusCode(200);
        p.api().body(Map.of("id", "other", "name", "Beta")).put(p.path("/topics/beta")).then().statusCode(400);

        JsonPath list = p.api().get(p.path("/topics")).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("beta", "news"), list.getList("id"));
        assertEquals(List.of("Beta programme", "News"), list.getList("name"));
        assertEquals(List.of("unsubscribed", "subscribed"), list.getList("defaultStatus"));
        p.api().delete(p.path("/topics/beta")).then().statusCode(204);
        p.api().get(p.path("/topics/beta")).then().statusCode(404);
        // Another project's topics are not this one's.
        TestProject other = TestProject.create("Other");
        other.api().get(other.path("/topics/news")).then().statusCode(404);
        given().header("Authorization", "Bearer " + other.key()).get(p.path("/topics")).then().statusCode(403);
    }

    @Test
    void aUsersChoicesAreKeptPerTopicAndChannel() {
        TestProject p = TestProject.create("Choices");
        topic(p, "news", "subscribed");
        topic(p, "beta", "unsubscribed");
        JsonPath none = subscriptions(p, "ann");
        assertEquals(List.of("subscribed", "unsubscribed"), statuses(none, "news", "beta"));

        p.api().body("""
                {"subscriptions": [{"topic": "news", "channel": "email", "status": "unsubscribed"},
                                   {"topic": "beta", "status": "subscribed"}]}""")
                .put(p.path("/users/ann/subscriptions")).then().statusCode(200);
        JsonPath chosen = subscriptions(p, "ann");
        assertEquals(List.of("subscribed", "subscribed"), statuses(chosen, "news", "beta"), "news stays subscribed on other channels");
        assertEquals(Map.of("email", "unsubscribed"), chosen.getMap("topics.find { it.topic == 'news' }.channels"));
        assertEquals("api", chosen.getString("subscriptions[0].source"));

        // A choice for all channels replaces the per-channel ones.
        p.api().body("{\"subscriptions\": [{\"topic\": \"news\", \"channel\": \"all\", \"status\": \"subscribed\"}]}")
                .put(p.path("/users/ann/subscriptions")).then().statusCode(200);
        assertEquals(Map.of(), subscriptions(p, "ann").getMap("topics.find { it.topic == 'news' }.channels"));
        // The user's profile shows them too.
        assertEquals(List.of("subscribed", "subscribed"), p.api().get(p.path("/users/ann")).then().statusCode(200).extract().jsonPath()
                .getList("subscriptions.status"));
        // A publishable key (the SDKs) may set them; the source says so.
        TestProject sdk = p.newKey("publishable");
        sdk.api().body("{\"subscriptions\": [{\"topic\": \"news\", \"channel\": \"push\", \"status\": \"unsubscribed\"}]}")
                .put(p.path("/users/ann/subscriptions")).then().statusCode(200);
        assertTrue(subscriptions(p, "ann").getList("subscriptions.source").contains("sdk"));

        JsonPath bad = p.api().body("""
                {"subscriptions": [{"topic": "news", "channel": "fax", "status": "maybe"}, {"status": "subscribed"}]}""")
                .put(p.path("/users/ann/subscriptions")).then().statusCode(400).extract().jsonPath();
        assertEquals(List.of("subscriptions[0].channel", "subscriptions[0].status", "subscriptions[1].topic"), bad.getList("details.path"));
        JsonPath unknown = p.api().body("{\"subscriptions\": [{\"topic\": \"news\", \"status\": \"unsubscribed\"}, {\"topic\": \"gone\", \"status\": \"subscribed\"}]}")
                .put(p.path("/users/ann/subscriptions")).then().statusCode(422).extract().jsonPath();
        assertEquals(List.of("subscriptions[1].topic"), unknown.getList("details.path"));
        assertEquals("subscribed", statuses(subscriptions(p, "ann"), "news").get(0), "nothing was changed by the refused request");
        p.api().body("{\"subscriptions\": []}").put(p.path("/users/ann/subscriptions")).then().statusCode(400);
    }

    @Test
    void aJourneyNamesOnlyTopicsOfItsProject() {
        TestProject p = TestProject.create("Journey topics");
        JsonPath refused = p.api().body("""
                {"name": "N", "trigger": {"event": "x"},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "topic": "news", "template": {"body": "hi"}, "next": "b"},
                           {"id": "b", "type": "message", "channel": "webhook", "topic": "not an id!", "template": {"body": "hi"}, "next": null}]}""")
                .post(p.path("/journeys")).then().statusCode(422).extract().jsonPath();
        assertEquals(List.of("steps[1].topic"), refused.getList("details.path"), refused.prettify());
        topic(p, "news", "subscribed");
        JsonPath unknown = p.api().body("""
                {"name": "N", "trigger": {"event": "x"},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "topic": "offers", "template": {"body": "hi"}, "next": null}]}""")
                .post(p.path("/journeys")).then().statusCode(422).extract().jsonPath();
        assertEquals(List.of("steps[0].topic"), unknown.getList("details.path"), unknown.prettify());
    }

    @Test
    void messagesGoOnlyToUsersSubscribedOnTheirChannelAndTransactionalOnesAlways() throws Exception {
        TestProject p = TestProject.create("Consent sends");
        topic(p, "news", "subscribed");
        topic(p, "beta", "unsubscribed");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            DeliverySupport.channel(p, Map.of("type", "webhook", "url", receiver.url(), "secret", SECRET));
            String journey = DeliverySupport.journey(p, "signup", """
                    {"id": "news", "type": "message", "channel": "webhook", "topic": "news", "template": {"body": "news"}, "next": "beta"},
                    {"id": "beta", "type": "message", "channel": "webhook", "topic": "beta", "template": {"body": "beta"}, "next": "receipt"},
                    {"id": "receipt", "type": "message", "channel": "webhook", "topic": "news", "transactional": true,
                     "template": {"body": "receipt"}, "next": null}""");
            choose(p, "bob", "news", "all", "unsubscribed");
            choose(p, "cid", "news", "webhook", "unsubscribed");
            choose(p, "dan", "news", "email", "unsubscribed");
            choose(p, "gus", "beta", "webhook", "subscribed");
            for (String user : List.of("ann", "bob", "cid", "dan", "gus")) {
                DeliverySupport.track(p, user, "signup", "{}");
            }
            Map<String, String> status = new HashMap<>();
            Map<String, String> error = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<Map<String, Object>> log = DeliverySupport.messages(p, "?journeyId=" + journey + "&limit=100");
                log.forEach(m -> {
                    status.put(m.get("subjectId") + "/" + m.get("stepId"), (String) m.get("status"));
                    error.put(m.get("subjectId") + "/" + m.get("stepId"), (String) m.get("error"));
                });
                return log.size() == 15 && log.stream().noneMatch(m -> List.of("queued", "held").contains(m.get("status")));
            });
            assertEquals("sent", status.get("ann/news"), "no choice: the topic's default (subscribed)");
            assertEquals("suppressed", status.get("bob/news"));
            assertEquals("not sent: the user unsubscribed from news", error.get("bob/news"));
            assertEquals("suppressed", status.get("cid/news"));
            assertEquals("not sent: the user unsubscribed from news on webhook", error.get("cid/news"));
            assertEquals("sent", status.get("dan/news"), "unsubscribed on e-mail only");
            assertEquals("suppressed", status.get("ann/beta"), "an opt-in topic nobody chose");
            assertTrue(error.get("ann/beta").contains("never subscribed to beta"), error.get("ann/beta"));
            assertEquals("sent", status.get("gus/beta"));
            for (String user : List.of("ann", "bob", "cid", "dan", "gus")) {
                assertEquals("sent", status.get(user + "/receipt"), "transactional messages ignore consent");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.all().size() == 9);
            JsonPath news = new JsonPath(receiver.all().stream().filter(r -> r.body().contains("\"stepId\":\"news\"")).findFirst().orElseThrow().body());
            assertEquals("news", news.getString("topic"));
            assertNull(news.getString("unsubscribeUrl"), "no link without a base URL in the delivery settings");
            // A deleted topic: its messages are not sent, and say why.
            p.api().delete(p.path("/topics/news")).then().statusCode(204);
            DeliverySupport.track(p, "eve", "signup", "{}");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                    DeliverySupport.messages(p, "?journeyId=" + journey + "&userId=eve&status=suppressed").size() == 2);
        }
    }

    @Test
    void anEmailCarriesItsUnsubscribeLinkAndOneClickUnsubscribes() throws Exception {
        TestProject p = TestProject.create("Unsubscribe");
        String base = "http://localhost:" + RestAssured.port;
        // Click tracking on: the unsubscribe link must still go straight to the engine's page.
        p.api().body("{\"clickTracking\": {\"baseUrl\": \"" + base + "\"}}").put(p.path("/delivery-settings")).then().statusCode(200);
        topic(p, "news", "subscribed");
        DeliverySupport.channel(p, Map.of("type", "email", "host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "tls", "none",
                "username", "mailer", "password", "mailer-password", "from", "News <news@example.com>"));
        DeliverySupport.tags(p, "ann", Map.of("email", "ann@example.org"));
        String journey = DeliverySupport.journey(p, "issue", """
                {"id": "letter", "type": "message", "channel": "email", "topic": "news",
                 "template": {"subject": "News", "text": "Read on. Unsubscribe: {{ message.unsubscribe_url }}"}, "next": null}""");
        int before = smtp.getReceivedMessages().length;
        DeliverySupport.track(p, "ann", "issue", "{}");
        assertTrue(smtp.waitForIncomingEmail(20_000, before + 1), "no e-mail arrived");
        MimeMessage mail = smtp.getReceivedMessages()[before];
        String header = mail.getHeader("List-Unsubscribe")[0];
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);
        Matcher link = Pattern.compile("<(" + Pattern.quote(base) + "/preferences/[A-Za-z0-9_.-]+)>").matcher(header);
        assertTrue(link.matches(), header);
        String url = link.group(1);
        String text = ((String) mail.getContent()).trim();
        assertEquals("Read on. Unsubscribe: " + url, text, "the template's link is the header's, not a tracked one");

        // The page (no key), then a forged token: 404.
        String page = given().get(url).then().statusCode(200).header("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'none'"))
                .extract().asString();
        assertTrue(page.contains("Unsubscribe from News"), page);
        String token = url.substring(url.lastIndexOf('/') + 1);
        given().get(base + "/preferences/" + token.substring(0, token.length() - 2) + "xx").then().statusCode(404);
        given().get(base + "/preferences/nonsense").then().statusCode(404);

        // The mail client's one click.
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click").post(url).then().statusCode(200);
        JsonPath after = subscriptions(p, "ann");
        assertEquals(Map.of("email", "unsubscribed"), after.getMap("topics.find { it.topic == 'news' }.channels"));
        assertEquals("link", after.getString("subscriptions[0].source"));
        List<Map<String, Object>> changed = DeliverySupport.events(p, "ann", "@subscription_changed");
        assertEquals(1, changed.size(), "the unsubscribe is an event journeys can start on");
        assertEquals(Map.of("topic", "news", "channel", "email", "status", "unsubscribed", "source", "link"), changed.get(0).get("data"));
        // Clicked twice: the choice is as it was, and no second event.
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click").post(url).then().statusCode(200);
        assertEquals(1, DeliverySupport.events(p, "ann", "@subscription_changed").size());
        DeliverySupport.track(p, "ann", "issue", "{}");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                DeliverySupport.messages(p, "?journeyId=" + journey + "&status=suppressed").size() == 1);
        assertEquals(before + 1, smtp.getReceivedMessages().length, "nothing more was sent");
        assertNotEquals(0, DeliverySupport.messages(p, "?journeyId=" + journey + "&status=sent").size());
    }

    // --- helpers

    static void topic(TestProject p, String id, String defaultStatus) {
        p.api().body(Map.of("id", id, "name", Character.toUpperCase(id.charAt(0)) + id.substring(1), "defaultStatus", defaultStatus))
                .post(p.path("/topics")).then().statusCode(201);
    }

    static void choose(TestProject p, String user, String topic, String channel, String status) {
        p.api().body(Map.of("subscriptions", List.of(Map.of("topic", topic, "channel", channel, "status", status))))
                .put(p.path("/users/" + user + "/subscriptions")).then().statusCode(200);
    }

    static JsonPath subscriptions(TestProject p, String user) {
        return p.api().get(p.path("/users/" + user + "/subscriptions")).then().statusCode(200).extract().jsonPath();
    }

    private static List<String> statuses(JsonPath view, String... topics) {
        return java.util.Arrays.stream(topics).map(t -> view.getString("topics.find { it.topic == '" + t + "' }.status")).toList();
    }
}
