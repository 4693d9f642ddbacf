package dev.journey.worker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/** Provider tokens are remembered per project, channel and credential: one project's token never authorises another's sends. */
class ProviderTokenCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoProjectsWithTheSameApnsKeyIdButDifferentKeysGetTokensSignedWithTheirOwnKey() throws Exception {
        List<String> bearers = new CopyOnWriteArrayList<>();
        HttpServer apns = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        apns.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            bearers.add(exchange.getRequestHeaders().getFirst("authorization").substring("bearer ".length()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        apns.start();
        try {
            ApnsPush push = new ApnsPush(new ProviderHttp(OutboundPolicy.allowingLoopback()), JSON);
            String baseUrl = "http://127.0.0.1:" + apns.getAddress().getPort();
            KeyPair first = ecKey();
            KeyPair second = ecKey();
            ApnsConfig one = new ApnsConfig(baseUrl, "TEAM123456", "KEY1234567", "com.example.app", pem(first));
            ApnsConfig two = new ApnsConfig(baseUrl, "TEAM123456", "KEY1234567", "com.example.app", pem(second));

            for (int i = 0; i < 2; i++) {
                assertTrue(push.send(channel("p1", "ch-1", one), one, message(), device(), Deadline.after(Duration.ofSeconds(5))).delivered());
                assertTrue(push.send(channel("p2", "ch-2", two), two, message(), device(), Deadline.after(Duration.ofSeconds(5))).delivered());
            }

            assertEquals(4, bearers.size());
            assertEquals(bearers.get(0), bearers.get(2), "a project's token is reused for its next send");
            assertEquals(bearers.get(1), bearers.get(3));
            assertNotEquals(bearers.get(0), bearers.get(1));
            assertTrue(SignedJWT.parse(bearers.get(0)).verify(new ECDSAVerifier((ECPublicKey) first.getPublic())));
            assertTrue(SignedJWT.parse(bearers.get(1)).verify(new ECDSAVerifier((ECPublicKey) second.getPublic())),
                    "the second project's token is signed with its own key");
        } finally {
            apns.stop(0);
        }
    }

    @Test
    void fcmAccessTokensAreMintedPerChannelEvenForTheSameServiceAccount() throws Exception {
        AtomicInteger minted = new AtomicInteger();
        HttpServer google = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        google.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = ("{\"access_token\": \"tok-" + minted.incrementAndGet() + "\", \"expires_in\": 3600}").getBytes();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        google.start();
        try {
            FcmAccessTokens tokens = new FcmAccessTokens(new ProviderHttp(OutboundPolicy.allowingLoopback()), JSON);
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            ObjectNode account = JSON.createObjectNode().put("type", "service_account").put("project_id", "shop-app")
                    .put("private_key_id", "key-1").put("client_email", "push@shop-app.iam.gserviceaccount.com").put("client_id", "1")
                    .put("token_uri", "http://127.0.0.1:" + google.getAddress().getPort() + "/token")
                    .put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            FcmConfig config = new FcmConfig(null, "shop-app", null, account);

            String first = tokens.token(fcmChannel("p1", "ch-1", config), config, Deadline.after(Duration.ofSeconds(5)));
            String again = tokens.token(fcmChannel("p1", "ch-1", config), config, Deadline.after(Duration.ofSeconds(5)));
            String other = tokens.token(fcmChannel("p2", "ch-2", config), config, Deadline.after(Duration.ofSeconds(5)));

            assertEquals("tok-1", first);
            assertEquals("tok-1", again, "a channel's token is reused while it lives");
            assertEquals("tok-2", other, "another project's channel mints its own");
        } finally {
            google.stop(0);
        }
    }

    private static ProjectChannel fcmChannel(String project, String id, FcmConfig config) {
        return new ProjectChannel(id, project, ChannelType.PUSH, null, config, null, null);
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(KeyPair key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----";
    }

    private static ProjectChannel channel(String project, String id, ApnsConfig config) {
        return new ProjectChannel(id, project, ChannelType.PUSH, null, config, null, null);
    }

    private static Outgoing message() throws Exception {
        return new Outgoing("m-apns", "p", "user", "ann", JSON.readTree("{\"title\": \"Hi\", \"body\": \"Hello\"}"), Map.of("id", "ann"),
                Map.of(), PushProgress.NONE);
    }

    private static PushTargets.Device device() {
        return new PushTargets.Device("d1", "ios", "token-1");
    }
}
