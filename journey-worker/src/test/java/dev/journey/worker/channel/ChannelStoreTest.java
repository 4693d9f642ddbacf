package dev.journey.worker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;

/** Channels as stored and read back, and the configurations that are refused, with the fields at fault. */
class ChannelStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sql sql = TestDatabase.sql();
    private final ChannelStore channels = new ChannelStore(sql);

    @Test
    void channelsAreCreatedListedReplacedAndDeletedWithinTheirProject() throws Exception {
        String project = project();
        String other = project();
        ProjectChannel hook = channels.create(project, "orders", parse(ChannelType.WEBHOOK,
                "{\"url\": \"https://hooks.example.com/in\", \"secret\": \"0123456789abcdef\", \"timeout\": \"PT2S\"}"));
        ProjectChannel sms = channels.create(project, null, parse(ChannelType.SMS,
                "{\"accountSid\": \"AC1\", \"authToken\": \"t\", \"from\": \"+15005550006\"}"));
        assertTrue(hook.id().matches("ch_[0-9a-f]{16}"), hook.id());

        assertEquals(List.of(hook.id(), sms.id()), channels.list(project).stream().map(ProjectChannel::id).toList());
        assertTrue(channels.list(other).isEmpty());
        assertTrue(channels.find(other, hook.id()).isEmpty(), "another project's channel is not found");
        ProjectChannel read = channels.find(project, hook.id()).orElseThrow();
        assertEquals("orders", read.name());
        assertEquals(new WebhookConfig("https://hooks.example.com/in", "0123456789abcdef", "PT2S", 2000L), read.config());
        assertEquals(Duration.ofSeconds(2), ((WebhookConfig) read.config()).attemptTimeout());
        // The stored form is what the API always wrote: the provider's fields with the name beside them.
        JsonNode stored = JSON.readTree(sql.first("SELECT config::text FROM channel WHERE id = ?", rs -> rs.getString(1), hook.id()).orElseThrow());
        assertEquals(JSON.readTree("{\"url\": \"https://hooks.example.com/in\", \"secret\": \"0123456789abcdef\", \"timeout\": \"PT2S\","
                + " \"timeoutMillis\": 2000, \"name\": \"orders\"}"), stored);
        assertEquals(10, ((SmsConfig) channels.find(project, sms.id()).orElseThrow().config()).segmentLimit());

        ChannelConfig replaced = ChannelConfig.parse(ChannelType.WEBHOOK, JSON.readTree("{\"url\": \"https://new.example.com/\"}"), read.config());
        ProjectChannel after = channels.replace(project, hook.id(), null, replaced).orElseThrow();
        assertEquals("https://new.example.com/", ((WebhookConfig) after.config()).url());
        assertEquals("0123456789abcdef", ((WebhookConfig) after.config()).secret(), "a secret left out is kept");
        assertNull(after.name());
        assertTrue(channels.replace(other, hook.id(), null, replaced).isEmpty());

        assertEquals(List.of(sms.id()), channels.forMessage(project, ChannelType.SMS, null).stream().map(ProjectChannel::id).toList());
        assertEquals(List.of(hook.id()), channels.forMessage(project, ChannelType.SMS, hook.id()).stream().map(ProjectChannel::id).toList(),
                "a named channel is found whatever its type: the sender says it is the wrong one");
        assertFalse(channels.delete(other, hook.id()));
        assertTrue(channels.delete(project, hook.id()));
        assertTrue(channels.find(project, hook.id()).isEmpty());
    }

    @Test
    void pushConfigurationsKeepTheirProviderAndCredentials() throws Exception {
        String project = project();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(ec.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ProjectChannel apns = channels.create(project, null, ChannelConfig.parse(ChannelType.PUSH, JSON.createObjectNode()
                .put("provider", "apns").put("teamId", "T").put("keyId", "K").put("bundleId", "com.shop").put("privateKey", pem)
                .put("baseUrl", "https://apns.example.com/"), null));
        ProjectChannel fcm = channels.create(project, null, parse(ChannelType.PUSH,
                "{\"provider\": \"fcm\", \"fcmProjectId\": \"shop\", \"accessToken\": \"ya29.x\"}"));
        ApnsConfig a = assertInstanceOf(ApnsConfig.class, channels.find(project, apns.id()).orElseThrow().config());
        assertEquals("https://apns.example.com", a.providerUrl(), "a base URL loses its trailing slash");
        assertEquals("EC", a.signingKey().getAlgorithm());
        FcmConfig f = assertInstanceOf(FcmConfig.class, channels.find(project, fcm.id()).orElseThrow().config());
        assertEquals("https://fcm.googleapis.com", f.providerUrl());
        assertEquals("fcm", JSON.readTree(sql.first("SELECT config::text FROM channel WHERE id = ?", rs -> rs.getString(1), fcm.id())
                .orElseThrow()).path("provider").asText());
        assertEquals(List.of(apns.id(), fcm.id()), channels.forMessage(project, ChannelType.PUSH, null).stream().map(ProjectChannel::id).toList());
    }

    @Test
    void everyProblemIsNamedWithItsField() {
        assertEquals(List.of("host", "port", "tls", "from"),
                paths(ChannelType.EMAIL, "{\"port\": 99999, \"tls\": \"ssl\", \"from\": \"not an address\"}"));
        assertEquals(List.of("password"), paths(ChannelType.EMAIL, "{\"host\": \"h\", \"port\": 25, \"username\": \"u\", \"from\": \"a@b.example\"}"));
        assertEquals(List.of("provider"), paths(ChannelType.PUSH, "{}"));
        assertEquals(List.of("privateKey"), paths(ChannelType.PUSH, "{\"provider\": \"apns\", \"teamId\": \"T\", \"keyId\": \"K\","
                + " \"bundleId\": \"b\", \"privateKey\": \"-----BEGIN PRIVATE KEY-----\\nnope\\n-----END PRIVATE KEY-----\"}"));
        assertEquals(List.of("fcmProjectId", "accessToken"), paths(ChannelType.PUSH, "{\"provider\": \"fcm\"}"));
        assertEquals(List.of("serviceAccount"), paths(ChannelType.PUSH, "{\"provider\": \"fcm\", \"fcmProjectId\": \"p\", \"serviceAccount\": {\"type\": \"x\"}}"));
        assertEquals(List.of("from", "maxSegments"), paths(ChannelType.SMS, "{\"accountSid\": \"AC1\", \"authToken\": \"t\", \"maxSegments\": 0}"));
        assertEquals(List.of("url", "timeout"), paths(ChannelType.WEBHOOK, "{\"url\": \"ftp://x\", \"timeout\": \"PT5M\"}"));
        assertEquals(List.of("secret", "timeout"), paths(ChannelType.WEBHOOK, "{\"url\": \"http://x.example\", \"secret\": \"short\", \"timeout\": \"soon\"}"));
        InvalidChannelException e = assertThrows(InvalidChannelException.class,
                () -> ChannelConfig.parse(ChannelType.SMS, JSON.readTree("{\"accountSid\": \"AC1\", \"authToken\": \"t\"}"), null));
        assertEquals("the sms channel is not valid", e.getMessage());
        assertEquals(new ConfigProblem("from", "is required (or give messagingServiceSid)"), e.problems().get(0));
        assertEquals(new InAppConfig(), assertInstanceOf(InAppConfig.class, ChannelConfig.parse(ChannelType.INAPP, JSON.createObjectNode(), null)));
    }

    @Test
    void aWebhookSecretIsGeneratedWhenNoneIsGiven() throws Exception {
        WebhookConfig c = (WebhookConfig) parse(ChannelType.WEBHOOK, "{\"url\": \"https://h.example\"}");
        assertTrue(c.secret().matches("whsec_[0-9a-f]{64}"), c.secret());
        assertEquals(Duration.ofSeconds(10), c.attemptTimeout());
    }

    private static List<String> paths(ChannelType type, String body) {
        InvalidChannelException e = assertThrows(InvalidChannelException.class, () -> ChannelConfig.parse(type, JSON.readTree(body), null));
        return e.problems().stream().map(ConfigProblem::path).toList();
    }

    private static ChannelConfig parse(ChannelType type, String body) throws Exception {
        return ChannelConfig.parse(type, JSON.readTree(body), null);
    }

    private String project() {
        String id = "p_" + UUID.randomUUID();
        sql.update("INSERT INTO project (id, name) VALUES (?, ?)", id, "channels");
        return id;
    }
}
