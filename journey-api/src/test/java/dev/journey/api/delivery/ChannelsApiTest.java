package dev.journey.api.delivery;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import dev.journey.worker.channel.WebhookChannel;
import io.quarkus.test.junit.QuarkusTest;

/** Channels per project: every type created, listed without secrets, replaced, deleted, and refused with paths when wrong. */
@QuarkusTest
class ChannelsApiTest {
    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;
    private static TestProject project;

    /** Not @BeforeAll: the application is not listening yet when static set-up runs. */
    @BeforeEach
    void project() {
        if (project == null) {
            project = TestProject.create("Channels");
        }
    }

    @Test
    void everyTypeIsCreatedAndNoSecretIsListedBackOrStoredInClear() throws Exception {
        DeliverySupport.channel(project, Map.of("type", "email", "host", "smtp.example.com", "port", 587, "tls", "starttls",
                "username", "mailer", "password", "smtp-password-1", "from", "Shop <shop@example.com>"));
        DeliverySupport.channel(project, Map.of("type", "push", "provider", "fcm", "fcmProjectId", "shop-app",
                "accessToken", "fcm-access-token-1"));
        DeliverySupport.channel(project, Map.of("type", "sms", "accountSid", "AC123", "authToken", "sms-auth-token-1",
                "from", "+15005550006"));
        DeliverySupport.channel(project, Map.of("type", "inapp"));
        String webhook = DeliverySupport.channel(project, Map.of("type", "webhook", "url", "http://127.0.0.1:9/hook",
                "secret", "webhook-secret-0123456789", "timeout", "PT2S"));

        String listed = project.api().get(project.path("/channels")).then().statusCode(200)
                .body("type", hasItems("email", "push", "sms", "inapp", "webhook"))
                .extract().asString();
        for (String secret : List.of("smtp-password-1", "fcm-access-token-1", "sms-auth-token-1", "webhook-secret-0123456789")) {
            assertFalse(listed.contains(secret), "a secret was listed: " + secret);
        }
        project.api().get(project.path("/channels/" + webhook)).then().statusCode(200)
                .body("timeout", org.hamcrest.Matchers.equalTo("PT2S"))
                .body("secretsSet", hasItem("secret"));
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement q = c.prepareStatement(
                "SELECT string_agg(config::text, ' ') FROM channel WHERE project_id = ?")) {
            q.setString(1, project.id());
            java.sql.ResultSet rs = q.executeQuery();
            rs.next();
            String stored = rs.getString(1);
            for (String secret : List.of("smtp-password-1", "fcm-access-token-1", "sms-auth-token-1", "webhook-secret-0123456789")) {
                assertFalse(stored.contains(secret), "a secret is stored in clear: " + secret);
            }
            assertTrue(stored.contains("enc:v1:"), stored);
        }
    }

    @Test
    void aPutReplacesTheConfigurationAndKeepsSecretsLeftOutOnlyWhileTheyGoToTheSamePlace() {
        String id = DeliverySupport.channel(project, Map.of("type", "email", "host", "old.example.com", "port", 25, "tls", "none",
                "username", "u", "password", "keep-me-secret", "from", "a@example.com"));
        project.api().body(Map.of("host", "old.example.com", "port", 25, "tls", "none", "username", "u", "from", "b@example.com"))
                .put(project.path("/channels/" + id)).then().statusCode(200)
                .body("from", org.hamcrest.Matchers.equalTo("b@example.com"))
                .body("secretsSet", hasItem("password"));
        project.api().body(Map.of("host", "new.example.com", "port", 2525, "tls", "none", "username", "u", "from", "b@example.com"))
                .put(project.path("/channels/" + id)).then().statusCode(400)
                .body("details.path", org.hamcrest.Matchers.contains("password"))
                .body("details[0].message", org.hamcrest.Matchers.containsString("the destination changed"));
        project.api().get(project.path("/channels/" + id)).then().body("host", org.hamcrest.Matchers.equalTo("old.example.com"));
        project.api().body(Map.of("host", "new.example.com", "port", 2525, "tls", "none", "username", "u", "password", "new-secret",
                        "from", "b@example.com"))
                .put(project.path("/channels/" + id)).then().statusCode(200)
                .body("host", org.hamcrest.Matchers.equalTo("new.example.com"))
                .body("secretsSet", hasItem("password"));
        project.api().body(Map.of("type", "sms", "host", "x")).put(project.path("/channels/" + id)).then().statusCode(400)
                .body("details.path", hasItem("type"));
        project.api().delete(project.path("/channels/" + id)).then().statusCode(204);
        project.api().get(project.path("/channels/" + id)).then().statusCode(404);
        project.api().delete(project.path("/channels/" + id)).then().statusCode(404);
    }

    @Test
    void aWebhookMovedToAnotherUrlSignsWithANewSecretNotTheStoredOne() throws Exception {
        try (WebhookReceiver before = new WebhookReceiver(); WebhookReceiver after = new WebhookReceiver()) {
            TestProject own = TestProject.create("Moved webhook");
            String old = "stored-webhook-secret-0123456789";
            String id = DeliverySupport.channel(own, Map.of("type", "webhook", "url", before.url(), "secret", old));
            String fresh = own.api().body(Map.of("url", after.url())).put(own.path("/channels/" + id)).then().statusCode(200)
                    .extract().path("secret");
            assertNotNull(fresh, "the new secret is shown once");
            assertNotEquals(old, fresh);
            DeliverySupport.journey(own, "moved", "{\"id\": \"m\", \"type\": \"message\", \"channel\": \"webhook\","
                    + " \"template\": {\"body\": \"hi\"}, \"next\": null}");
            DeliverySupport.track(own, "u1", "moved", "{}");
            WebhookReceiver.Received got = after.next(Duration.ofSeconds(20));
            assertNotNull(got, "the webhook reached its new URL");
            byte[] body = got.body().getBytes(StandardCharsets.UTF_8);
            assertEquals("sha256=" + WebhookChannel.sign(fresh, body), got.header("X-Journey-Signature"));
            assertNotEquals("sha256=" + WebhookChannel.sign(old, body), got.header("X-Journey-Signature"));
            assertTrue(before.all().isEmpty());
        }
    }

    @Test
    void badChannelsAreRefusedWithTheirPaths() {
        project.api().body(Map.of("type", "email", "port", 99999, "tls", "ssl", "from", "not an address"))
                .post(project.path("/channels")).then().statusCode(400)
                .body("details.path", hasItems("host", "port", "tls", "from"));
        project.api().body(Map.of("type", "push")).post(project.path("/channels")).then().statusCode(400)
                .body("details.path", hasItem("provider"));
        project.api().body(Map.of("type", "push", "provider", "apns", "teamId", "T", "keyId", "K", "bundleId", "com.shop",
                "privateKey", "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----")).post(project.path("/channels"))
                .then().statusCode(400).body("details.path", hasItem("privateKey"));
        project.api().body(Map.of("type", "sms", "accountSid", "AC1", "authToken", "t", "maxSegments", 0))
                .post(project.path("/channels")).then().statusCode(400).body("details.path", hasItems("from", "maxSegments"));
        project.api().body(Map.of("type", "webhook", "url", "ftp://x", "timeout", "PT5M")).post(project.path("/channels"))
                .then().statusCode(400).body("details.path", hasItems("url", "timeout"));
        project.api().body(Map.of("type", "fax")).post(project.path("/channels")).then().statusCode(400)
                .body("details.path", hasItem("type"));
        project.api().body("[1]").post(project.path("/channels")).then().statusCode(400);
    }

    @Test
    void messageStepsAreCheckedForTheirChannel() {
        project.api().body("""
                {"name": "Bad", "trigger": {"event": "x"},
                 "steps": [{"id": "a", "type": "message", "channel": "email", "template": {"html": "<p>hi</p>"},
                            "transactional": "yes", "channelId": 5, "next": "b"},
                           {"id": "b", "type": "message", "channel": "fax", "template": {"body": "x"}, "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(422)
                .body("details.path", hasItems("steps[0].template.subject", "steps[0].transactional", "steps[0].channelId",
                        "steps[1].channel"));
    }

    @Test
    void deliverySettingsAreValidatedAndReadBack() {
        project.api().body("""
                {"frequencyCaps": [{"channel": "pigeon", "limit": -1, "period": "P1M"}],
                 "quietHours": {"start": "25:00", "end": "08:00"}, "clickTracking": {"baseUrl": "nope"}, "colour": "red"}""")
                .put(project.path("/delivery-settings")).then().statusCode(400)
                .body("details.path", hasItems("frequencyCaps[0].channel", "frequencyCaps[0].limit", "frequencyCaps[0].period",
                        "quietHours.start", "clickTracking.baseUrl", "colour"));
        project.api().body("""
                {"frequencyCaps": [{"channel": "push", "limit": 3, "period": "P1D"}],
                 "quietHours": {"start": "21:00", "end": "08:00"}}""")
                .put(project.path("/delivery-settings")).then().statusCode(200);
        Map<String, Object> read = project.api().get(project.path("/delivery-settings")).then().statusCode(200).extract().as(Map.class);
        assertEquals(List.of("push", "sms", "email"), ((Map<?, ?>) read.get("quietHours")).get("channels"));
        assertFalse(read.toString().contains("secret"));
        project.api().get(project.path("/messages?status=lost")).then().statusCode(400).body("details.path", hasItem("status"));
    }
}
