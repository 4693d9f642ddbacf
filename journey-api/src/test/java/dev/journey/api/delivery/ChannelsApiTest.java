package dev.journey.api.delivery;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/** Channels per project: every type created, listed without secrets, replaced, deleted, and refused with paths when wrong. */
@QuarkusTest
class ChannelsApiTest {
    private static TestProject project;

    /** Not @BeforeAll: the application is not listening yet when static set-up runs. */
    @BeforeEach
    void project() {
        if (project == null) {
            project = TestProject.create("Channels");
        }
    }

    @Test
    void everyTypeIsCreatedAndNoSecretIsListedBack() {
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
    }

    @Test
    void aPutReplacesTheConfigurationAndKeepsSecretsLeftOut() {
        String id = DeliverySupport.channel(project, Map.of("type", "email", "host", "old.example.com", "port", 25, "tls", "none",
                "username", "u", "password", "keep-me-secret", "from", "a@example.com"));
        project.api().body(Map.of("host", "new.example.com", "port", 2525, "tls", "none", "username", "u", "from", "b@example.com"))
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
