package dev.journey.api.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.ProviderServer;
import dev.journey.api.support.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * SMS and push against local HTTP servers standing in for Twilio, FCM and APNs: each request is
 * checked as the provider would read it, and the providers' refusals are handled as they mean it.
 */
@QuarkusTest
class SmsAndPushDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource db;

    @Test
    void anSmsIsATwilioFormPostWithItsEncodingAndSegmentsRecorded() throws Exception {
        try (ProviderServer twilio = new ProviderServer(201, "{\"sid\": \"SM0123\", \"status\": \"queued\"}")) {
            TestProject p = TestProject.create("Sms");
            DeliverySupport.channel(p, Map.of("type", "sms", "baseUrl", twilio.baseUrl(), "accountSid", "AC42",
                    "authToken", "twilio-token", "from", "+15005550006", "maxSegments", 2));
            DeliverySupport.tags(p, "sam", Map.of("phone", "+14155550100"));
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "sms", "type": "message", "channel": "sms",
                     "template": {"body": "Order << entry_event.data.id >> shipped 🚚"}, "next": null}""");
            DeliverySupport.track(p, "sam", "order", "{\"id\": \"A-1\"}");

            ProviderServer.Request r = twilio.next(SOON);
            assertNotNull(r, "Twilio got nothing");
            JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "sent".equals(j.getString("messages[0].status")));
            String messageId = log.getString("messages[0].id");
            assertEquals("POST", r.method());
            assertEquals("/2010-04-01/Accounts/AC42/Messages.json", r.path());
            assertEquals("application/x-www-form-urlencoded", r.header("Content-Type"));
            assertEquals("Basic " + Base64.getEncoder().encodeToString("AC42:twilio-token".getBytes(StandardCharsets.UTF_8)),
                    r.header("Authorization"));
            assertEquals(messageId, r.header("I-Twilio-Idempotency-Token"));
            Map<String, String> form = form(r.body());
            assertEquals(Map.of("To", "+14155550100", "From", "+15005550006", "Body", "Order A-1 shipped 🚚"), form);
            assertEquals("UCS-2", log.getString("messages[0].delivery.encoding"), "one emoji makes the whole SMS UCS-2");
            assertEquals(1, log.getInt("messages[0].delivery.segments"));
            assertEquals("SM0123", log.getString("messages[0].delivery.providerId"));

            // 3 segments of GSM text where the channel allows 2: failed before any request, with the count.
            String long2 = DeliverySupport.journey(p, "newsletter", """
                    {"id": "long", "type": "message", "channel": "sms",
                     "template": {"body": "<% for i in (1..40) %>word <% endfor %>{% for i in (1..40) %}more {% endfor %}"}, "next": null}"""
                    .replace("<%", "{%").replace("%>", "%}"));
            DeliverySupport.track(p, "sam", "newsletter", "{}");
            JsonPath failed = DeliverySupport.awaitMessage(p, long2, j -> "failed".equals(j.getString("messages[0].status")));
            assertEquals("GSM-7", failed.getString("messages[0].delivery.encoding"));
            assertEquals(3, failed.getInt("messages[0].delivery.segments"));
            assertTrue(failed.getString("messages[0].error").contains("3 segments"), failed.prettify());
            assertNull(twilio.next(Duration.ofMillis(300)), "a message over the limit is not sent");

            // The barrier: a short SMS tracked later must reach Twilio, so the silence was the limit at work.
            DeliverySupport.track(p, "sam", "order", "{\"id\": \"A-2\"}");
            ProviderServer.Request later = twilio.next(SOON);
            assertNotNull(later, "a later SMS was not sent");
            assertEquals("Order A-2 shipped 🚚", form(later.body()).get("Body"));
            assertEquals(2, twilio.all().size(), "the two orders' SMS, never the long one: " + twilio.all());
        }
    }

    @Test
    void pushGoesToEveryLiveDeviceInTheProvidersFormatAndAnUnregisteredTokenDies() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair apnsKey = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(apnsKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        try (ProviderServer fcm = new ProviderServer(200, "{\"name\": \"projects/shop-app/messages/1\"}");
             ProviderServer apns = new ProviderServer(200, "")) {
            fcm.then(200, "{\"name\": \"projects/shop-app/messages/1\"}", Duration.ZERO)
                    .then(404, "{\"error\": {\"code\": 404, \"status\": \"NOT_FOUND\", \"details\": [{\"@type\":"
                            + " \"type.googleapis.com/google.firebase.fcm.v1.FcmError\", \"errorCode\": \"UNREGISTERED\"}]}}", Duration.ZERO);
            TestProject p = TestProject.create("Push");
            DeliverySupport.channel(p, Map.of("type", "push", "provider", "fcm", "baseUrl", fcm.baseUrl(),
                    "fcmProjectId", "shop-app", "accessToken", "ya29.test-token"));
            DeliverySupport.channel(p, Map.of("type", "push", "provider", "apns", "baseUrl", apns.baseUrl(), "teamId", "TEAM123456",
                    "keyId", "KEY1234567", "bundleId", "com.example.shop", "privateKey", pem));
            for (String[] d : new String[][] {{"d1", "android", "tok-android"}, {"d2", "ios", "tok-ios"}, {"d3", "android", "tok-gone"}}) {
                p.api().body(Map.of("deviceId", d[0], "userId", "pia", "platform", d[1], "pushToken", d[2]))
                        .post(p.path("/devices")).then().statusCode(201);
            }
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "push", "type": "message", "channel": "push",
                     "template": {"title": "Shipped", "body": "Order << entry_event.data.id >> is on its way",
                                  "image": "https://cdn.example.com/box.png", "deepLink": "shop://orders/<< entry_event.data.id >>",
                                  "data.orderId": "<< entry_event.data.id >>"}, "next": null}""");
            DeliverySupport.track(p, "pia", "order", "{\"id\": \"A-7\"}");

            JsonPath log = DeliverySupport.awaitMessage(p, journey, j -> "sent".equals(j.getString("messages[0].status")));
            String messageId = log.getString("messages[0].id");

            ProviderServer.Request android = fcm.next(SOON);
            assertEquals("/v1/projects/shop-app/messages:send", android.path());
            assertEquals("Bearer ya29.test-token", android.header("Authorization"));
            JsonNode m = JSON.readTree(android.body()).path("message");
            assertEquals("tok-android", m.path("token").asText());
            assertEquals("Shipped", m.path("notification").path("title").asText());
            assertEquals("Order A-7 is on its way", m.path("notification").path("body").asText());
            assertEquals("https://cdn.example.com/box.png", m.path("notification").path("image").asText());
            assertEquals("shop://orders/A-7", m.path("data").path("deepLink").asText());
            assertEquals("A-7", m.path("data").path("orderId").asText());
            assertEquals(messageId, m.path("data").path("messageId").asText());
            assertEquals(messageId, m.path("android").path("collapse_key").asText());
            assertEquals("tok-gone", JSON.readTree(fcm.next(SOON).body()).path("message").path("token").asText());

            ProviderServer.Request ios = apns.next(SOON);
            assertEquals("/3/device/tok-ios", ios.path());
            assertEquals("com.example.shop", ios.header("apns-topic"));
            assertEquals("alert", ios.header("apns-push-type"));
            assertEquals("10", ios.header("apns-priority"));
            assertEquals(messageId, ios.header("apns-collapse-id"));
            assertNotNull(ios.header("apns-id"));
            JsonNode payload = JSON.readTree(ios.body());
            assertEquals("Shipped", payload.path("aps").path("alert").path("title").asText());
            assertEquals("Order A-7 is on its way", payload.path("aps").path("alert").path("body").asText());
            assertEquals(1, payload.path("aps").path("mutable-content").asInt());
            assertEquals("shop://orders/A-7", payload.path("deepLink").asText());
            verifyProviderToken(ios.header("authorization"), apnsKey);

            assertEquals("sent", log.getString("messages[0].delivery.tokens.d1"));
            assertEquals("sent", log.getString("messages[0].delivery.tokens.d2"));
            assertTrue(log.getString("messages[0].delivery.tokens.d3").startsWith("failed: FCM: token unregistered"), log.prettify());
            assertEquals(Map.of("d1", "active", "d2", "active", "d3", "dead"), tokenStatuses(p.id()));
            assertNull(fcm.next(Duration.ofMillis(300)), "each device once");

            // The barrier: a later push must go out, and only to the devices still alive.
            DeliverySupport.track(p, "pia", "order", "{\"id\": \"A-8\"}");
            DeliverySupport.awaitMessage(p, journey, j -> j.getList("messages").size() == 2 && "sent".equals(j.getString("messages[0].status")));
            ProviderServer.Request later = fcm.next(SOON);
            assertNotNull(later, "a later push was not sent");
            assertEquals("Order A-8 is on its way", JSON.readTree(later.body()).path("message").path("notification").path("body").asText());
            assertEquals("/3/device/tok-ios", apns.next(SOON).path());
            assertEquals(List.of("tok-android", "tok-gone", "tok-android"), fcmTokens(fcm),
                    "each device once per message, the unregistered token never again");
            assertEquals(2, apns.all().size());
        }
    }

    /** The APNs provider token is an ES256 JWT with the key id and team id, signed by the key Apple knows. */
    private static void verifyProviderToken(String authorization, KeyPair key) throws Exception {
        assertTrue(authorization.startsWith("bearer "), authorization);
        String[] jwt = authorization.substring(7).split("\\.");
        assertEquals(3, jwt.length);
        Base64.Decoder b64 = Base64.getUrlDecoder();
        JsonNode header = JSON.readTree(b64.decode(jwt[0]));
        JsonNode claims = JSON.readTree(b64.decode(jwt[1]));
        assertEquals("ES256", header.path("alg").asText());
        assertEquals("KEY1234567", header.path("kid").asText());
        assertEquals("TEAM123456", claims.path("iss").asText());
        assertTrue(Math.abs(claims.path("iat").asLong() - System.currentTimeMillis() / 1000) < 3600);
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(key.getPublic());
        es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(es256.verify(b64.decode(jwt[2])), "the provider token's signature");
    }

    private Map<String, String> tokenStatuses(String projectId) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT device_id, token_status FROM device WHERE project_id = ? ORDER BY device_id")) {
            st.setString(1, projectId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static List<String> fcmTokens(ProviderServer fcm) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (ProviderServer.Request r : fcm.all()) {
            tokens.add(JSON.readTree(r.body()).path("message").path("token").asText());
        }
        return tokens;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }
}
