package dev.journey.api.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import dev.journey.api.support.ProviderServer;
import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/**
 * FCM with a service account instead of a fixed token: the engine asks the account's token URI
 * (here the local stand-in for Google) for an access token with a JWT signed by the account's key,
 * then sends with the token it got.
 */
@QuarkusTest
class FcmServiceAccountTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(20);

    @Test
    void theSendCarriesAnAccessTokenMintedFromTheServiceAccount() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair key = rsa.generateKeyPair();
        try (ProviderServer google = new ProviderServer(200, "{\"name\": \"projects/shop-app/messages/1\"}")) {
            google.then(200, "{\"access_token\": \"ya29.minted-for-the-test\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}", Duration.ZERO);
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("type", "service_account");
            account.put("project_id", "shop-app");
            account.put("private_key_id", "key-1");
            account.put("private_key", "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            account.put("client_email", "push@shop-app.iam.gserviceaccount.com");
            account.put("client_id", "1234567890");
            account.put("token_uri", google.baseUrl() + "/token");

            TestProject p = TestProject.create("FcmServiceAccount");
            // No fcmProjectId: the service account's project is the Firebase project.
            String channel = DeliverySupport.channel(p, Map.of("type", "push", "provider", "fcm", "baseUrl", google.baseUrl(),
                    "serviceAccount", account));
            String shown = p.api().get(p.path("/channels/" + channel)).then().statusCode(200).extract().asString();
            assertTrue(JSON.readTree(shown).path("secretsSet").toString().contains("serviceAccount"), shown);
            assertFalse(shown.contains("PRIVATE KEY"), "the key is never read back");
            p.api().body(Map.of("deviceId", "d1", "userId", "max", "platform", "android", "pushToken", "tok-max"))
                    .post(p.path("/devices")).then().statusCode(201);
            String journey = DeliverySupport.journey(p, "order", """
                    {"id": "push", "type": "message", "channel": "push", "template": {"title": "Shipped", "body": "On its way"}, "next": null}""");
            DeliverySupport.track(p, "max", "order", "{}");

            ProviderServer.Request token = google.next(SOON);
            assertNotNull(token, "no token was asked for");
            assertEquals("/token", token.path());
            Map<String, String> form = form(token.body());
            assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));
            SignedJWT assertion = SignedJWT.parse(form.get("assertion"));
            assertTrue(assertion.verify(new RSASSAVerifier((RSAPublicKey) key.getPublic())), "signed with the service account's key");
            assertEquals("push@shop-app.iam.gserviceaccount.com", assertion.getJWTClaimsSet().getIssuer());
            assertEquals("https://www.googleapis.com/auth/firebase.messaging", assertion.getJWTClaimsSet().getStringClaim("scope"));

            ProviderServer.Request send = google.next(SOON);
            assertNotNull(send, "FCM got nothing");
            assertEquals("/v1/projects/shop-app/messages:send", send.path());
            assertEquals("Bearer ya29.minted-for-the-test", send.header("Authorization"));
            assertEquals("tok-max", JSON.readTree(send.body()).path("message").path("token").asText());
            DeliverySupport.awaitMessage(p, journey, j -> "sent".equals(j.getString("messages[0].status")));
        }
    }

    @Test
    void aServiceAccountThatIsNotOneIsRefused() {
        TestProject p = TestProject.create("FcmBadAccount");
        p.api().body(Map.of("type", "push", "provider", "fcm", "fcmProjectId", "shop-app", "serviceAccount", Map.of("type", "user")))
                .post(p.path("/channels")).then().statusCode(400)
                .body("details.path", org.hamcrest.Matchers.equalTo(List.of("serviceAccount")));
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
