package dev.journey.api.delivery;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.ProviderServer;
import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import dev.journey.worker.channel.ChannelConfig;
import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.channel.ChannelType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The engine as it runs outside the embedded default: loopback refused. A channel aimed at
 * loopback, link-local or metadata addresses is refused when saved, with its field; one that gets
 * stored all the same (saved before the policy, or a name whose DNS changed since) fails its
 * message at send with a plain reason, and nothing reaches the address.
 */
@QuarkusTest
@TestProfile(OutboundRefusedTest.LoopbackRefused.class)
class OutboundRefusedTest {
    public static class LoopbackRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("journey.outbound.allow-loopback", "false");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ChannelStore channels;

    @Test
    void destinationsOnLoopbackLinkLocalAndMetadataAddressesAreRefusedAtSaveWithTheirField() throws Exception {
        TestProject p = TestProject.create("OutboundSave");
        for (String url : List.of("http://127.0.0.1:9000/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9000/",
                "http://[::ffff:127.0.0.1]:9000/", "http://localhost:9000/hook", "http://10.0.0.7/hook")) {
            p.api().body(Map.of("type", "webhook", "url", url)).post(p.path("/channels")).then().statusCode(400)
                    .body("details[0].path", equalTo("url"))
                    .body("details[0].message", containsString("outbound requests to loopback, private, link-local and metadata"
                            + " addresses are refused (allow it with journey.outbound.allow)"));
        }
        p.api().body(Map.of("type", "webhook", "url", "http://127.0.0.1:9000/hook")).post(p.path("/channels")).then()
                .body("details[0].message", equalTo("points to 127.0.0.1, a loopback address; outbound requests to loopback, private,"
                        + " link-local and metadata addresses are refused (allow it with journey.outbound.allow)"));
        p.api().body(Map.of("type", "webhook", "url", "http://169.254.169.254/")).post(p.path("/channels")).then()
                .body("details[0].message", containsString("points to 169.254.169.254, a cloud metadata address"));
        p.api().body(Map.of("type", "email", "host", "127.0.0.1", "port", 5432, "tls", "none", "from", "a@example.com"))
                .post(p.path("/channels")).then().statusCode(400).body("details[0].path", equalTo("host"));
        p.api().body(Map.of("type", "sms", "baseUrl", "http://192.168.1.1", "accountSid", "AC1", "authToken", "t", "from", "+15005550006"))
                .post(p.path("/channels")).then().statusCode(400).body("details[0].path", equalTo("baseUrl"));
        p.api().body(Map.of("type", "push", "provider", "fcm", "serviceAccount", serviceAccount("http://169.254.169.254/token")))
                .post(p.path("/channels")).then().statusCode(400).body("details[0].path", equalTo("serviceAccount.token_uri"));

        String ok = DeliverySupport.channel(p, Map.of("type", "webhook", "url", "https://hooks.example.com/journey"));
        p.api().body(Map.of("url", "http://127.0.0.1:5432/")).put(p.path("/channels/" + ok)).then().statusCode(400)
                .body("details[0].path", equalTo("url"));
    }

    @Test
    void aWebhookStoredOnLoopbackFailsItsMessageAtSendAndNothingReachesIt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            TestProject p = TestProject.create("OutboundSendWebhook");
            store(p, ChannelType.WEBHOOK, Map.of("url", receiver.url(), "secret", "a-secret-of-16-chars-or-more"));
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "hook", "type": "message", "channel": "webhook", "template": {"body": "hi"}, "next": null}""");
            DeliverySupport.track(p, "ann", "order", "{}");

            JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "failed".equals(j.getString("messages[0].status")));
            assertEquals("refused: webhook host resolves to 127.0.0.1 (loopback)", log.getString("messages[0].error"));
            assertEquals(1, log.getInt("messages[0].attempts"), "a refused destination is not retried");
            assertNull(receiver.next(Duration.ofMillis(500)), "nothing reached the receiver");
        }
    }

    /** The service account's token_uri is checked when the token request connects, like any provider URL. */
    @Test
    void anFcmTokenUriOnLoopbackIsRefusedAtConnect() throws Exception {
        try (ProviderServer google = new ProviderServer(200, "{\"access_token\": \"t\", \"expires_in\": 3600}")) {
            TestProject p = TestProject.create("OutboundSendFcm");
            store(p, ChannelType.PUSH, Map.of("provider", "fcm", "baseUrl", "https://fcm.googleapis.com",
                    "serviceAccount", serviceAccount(google.baseUrl() + "/token")));
            p.api().body(Map.of("deviceId", "d1", "userId", "max", "platform", "android", "pushToken", "tok-max"))
                    .post(p.path("/devices")).then().statusCode(201);
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "push", "type": "message", "channel": "push", "template": {"title": "Hi", "body": "Hello"}, "next": null}""");
            DeliverySupport.track(p, "max", "order", "{}");

            JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "failed".equals(j.getString("messages[0].status")));
            assertEquals("no device accepted the push: d1: refused: FCM token endpoint host resolves to 127.0.0.1 (loopback)",
                    log.getString("messages[0].error"));
            assertEquals(List.of(), google.all(), "the token endpoint got no request");
        }
    }

    /** Stored as a channel saved before the policy existed would be: past the check on save. */
    private void store(TestProject p, ChannelType type, Map<String, Object> config) {
        channels.create(p.id(), null, ChannelConfig.parse(type, JSON.valueToTree(config), null));
    }

    private static Map<String, Object> serviceAccount(String tokenUri) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("type", "service_account");
        account.put("project_id", "shop-app");
        account.put("private_key_id", "key-1");
        account.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        account.put("client_email", "push@shop-app.iam.gserviceaccount.com");
        account.put("client_id", "1234567890");
        account.put("token_uri", tokenUri);
        return account;
    }
}
