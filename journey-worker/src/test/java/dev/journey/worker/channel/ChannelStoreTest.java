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
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;

/** Channels as stored and read back, and the configurations that are refused, with the fields at fault. */
class ChannelStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sql sql = TestDatabase.sql();
    private final ChannelStore channels = new ChannelStore(sql, ChannelSecrets.ephemeral());

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
        // The stored form: the provider's fields with the name beside them, the secret sealed.
        ObjectNode stored = (ObjectNode) JSON.readTree(sql.first("SELECT config::text FROM channel WHERE id = ?", rs -> rs.getString(1),
                hook.id()).orElseThrow());
        assertTrue(stored.remove("secret").asText().startsWith("enc:v1:"), "the secret is sealed");
        assertEquals(JSON.readTree("{\"url\": \"https://hooks.example.com/in\", \"timeout\": \"PT2S\","
                + " \"timeoutMillis\": 2000, \"name\": \"orders\"}"), stored);
        assertEquals(10, ((SmsConfig) channels.find(project, sms.id()).orElseThrow().config()).segmentLimit());

        ChannelConfig sameUrl = ChannelConfig.parse(ChannelType.WEBHOOK, JSON.readTree("{\"url\": \"https://hooks.example.com/in\"}"),
                read.config());
        assertEquals("0123456789abcdef", ((WebhookConfig) sameUrl).secret(), "a secret left out is kept while the URL stays");
        ChannelConfig replaced = ChannelConfig.parse(ChannelType.WEBHOOK, JSON.readTree("{\"url\": \"https://new.example.com/\"}"), read.config());
        ProjectChannel after = channels.replace(project, hook.id(), null, replaced).orElseThrow();
        assertEquals("https://new.example.com/", ((WebhookConfig) after.config()).url());
        assertFalse(((WebhookConfig) after.config()).secret().equals("0123456789abcdef"), "a new URL does not get the stored secret");
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

    @Test
    void aReplacementThatChangesWhereSecretsGoMustGiveThemAgain() throws Exception {
        ChannelConfig email = parse(ChannelType.EMAIL, "{\"host\": \"smtp.example.com\", \"port\": 587, \"username\": \"u\","
                + " \"password\": \"pw-1\", \"from\": \"a@b.example\"}");
        assertEquals("pw-1", ((EmailConfig) replace(ChannelType.EMAIL, email, "{\"host\": \"SMTP.example.com\", \"port\": 587,"
                + " \"username\": \"u\", \"from\": \"new@b.example\"}")).password(), "the same server and account keep the password");
        for (String moved : List.of("{\"host\": \"evil.example\", \"port\": 587, \"username\": \"u\", \"from\": \"a@b.example\"}",
                "{\"host\": \"smtp.example.com\", \"port\": 2525, \"username\": \"u\", \"from\": \"a@b.example\"}",
                "{\"host\": \"smtp.example.com\", \"port\": 587, \"username\": \"other\", \"from\": \"a@b.example\"}")) {
            assertEquals(List.of(new ConfigProblem("password", "the destination changed, so the stored password is not sent there:"
                    + " give it again in this request")), refused(ChannelType.EMAIL, email, moved), moved);
        }
        assertEquals("pw-2", ((EmailConfig) replace(ChannelType.EMAIL, email, "{\"host\": \"evil.example\", \"port\": 587,"
                + " \"username\": \"u\", \"password\": \"pw-2\", \"from\": \"a@b.example\"}")).password(), "given again, it is taken");

        ChannelConfig sms = parse(ChannelType.SMS, "{\"accountSid\": \"AC1\", \"authToken\": \"tok\", \"from\": \"+15005550006\"}");
        assertEquals("tok", ((SmsConfig) replace(ChannelType.SMS, sms, "{\"accountSid\": \"AC1\", \"from\": \"+15005550007\"}")).authToken());
        assertEquals(List.of("authToken"), paths(refused(ChannelType.SMS, sms, "{\"baseUrl\": \"https://sms.evil.example\","
                + " \"accountSid\": \"AC1\", \"from\": \"+15005550006\"}")));
        assertEquals(List.of("authToken"), paths(refused(ChannelType.SMS, sms, "{\"accountSid\": \"AC2\", \"from\": \"+15005550006\"}")));

        ChannelConfig fcm = parse(ChannelType.PUSH, "{\"provider\": \"fcm\", \"fcmProjectId\": \"shop\", \"accessToken\": \"ya29.x\"}");
        assertEquals(List.of("accessToken"), paths(refused(ChannelType.PUSH, fcm, "{\"provider\": \"fcm\", \"fcmProjectId\": \"shop\","
                + " \"baseUrl\": \"https://fcm.evil.example\"}")));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        ChannelConfig apns = ChannelConfig.parse(ChannelType.PUSH, JSON.createObjectNode().put("provider", "apns").put("teamId", "T")
                .put("keyId", "K").put("bundleId", "com.shop").put("privateKey", "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(ec.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n"), null);
        assertEquals(List.of("privateKey"), paths(refused(ChannelType.PUSH, apns, "{\"provider\": \"apns\", \"teamId\": \"T\","
                + " \"keyId\": \"K\", \"bundleId\": \"com.shop\", \"baseUrl\": \"http://127.0.0.1:9\"}")));
        assertEquals(((ApnsConfig) apns).privateKey(), ((ApnsConfig) replace(ChannelType.PUSH, apns, "{\"provider\": \"apns\","
                + " \"teamId\": \"T\", \"keyId\": \"K\", \"bundleId\": \"com.shop.beta\"}")).privateKey());
    }

    @Test
    void secretsAreSealedAtRestAndOpenOnlyWithTheKeyInTheirOwnChannel() throws Exception {
        String project = project();
        ProjectChannel sms = channels.create(project, null, parse(ChannelType.SMS,
                "{\"accountSid\": \"AC1\", \"authToken\": \"plain-auth-token-1\", \"from\": \"+15005550006\"}"));
        ProjectChannel other = channels.create(project, null, parse(ChannelType.SMS,
                "{\"accountSid\": \"AC2\", \"authToken\": \"plain-auth-token-2\", \"from\": \"+15005550006\"}"));
        String row = storedConfig(sms.id());
        assertFalse(row.contains("plain-auth-token-1"), row);
        assertEquals("plain-auth-token-1", ((SmsConfig) channels.find(project, sms.id()).orElseThrow().config()).authToken());

        IllegalStateException wrongKey = assertThrows(IllegalStateException.class,
                () -> new ChannelStore(sql, ChannelSecrets.ephemeral()).find(project, sms.id()));
        assertTrue(wrongKey.getMessage().contains("not configured"), wrongKey.getMessage());
        // A sealed value copied into another channel's row does not open there.
        sql.update("UPDATE channel SET config = jsonb_set(config, '{authToken}', (SELECT config->'authToken' FROM channel WHERE id = ?))"
                + " WHERE id = ?", sms.id(), other.id());
        IllegalStateException copied = assertThrows(IllegalStateException.class, () -> channels.find(project, other.id()));
        assertTrue(copied.getMessage().contains("copied from another channel"), copied.getMessage());
    }

    @Test
    void secretsStoredInClearOrUnderAPreviousKeyAreSealedWithTheCurrentKeyAtStart() throws Exception {
        String project = project();
        String oldKey = ChannelSecrets.newKey();
        String newKey = ChannelSecrets.newKey();
        ChannelStore before = new ChannelStore(sql, ChannelSecrets.withKeys(oldKey, List.of()));
        ProjectChannel sealedOld = before.create(project, null, parse(ChannelType.WEBHOOK,
                "{\"url\": \"https://h.example\", \"secret\": \"sealed-with-old-key\"}"));
        String clear = "ch_clear" + UUID.randomUUID().toString().substring(0, 8);
        sql.update("INSERT INTO channel (id, project_id, type, config) VALUES (?, ?, 'email', ?::jsonb)", clear, project,
                "{\"host\": \"smtp.example.com\", \"port\": 25, \"tls\": \"none\", \"username\": \"u\","
                        + " \"password\": \"stored-in-clear\", \"from\": \"a@b.example\"}");

        ChannelStore rotated = new ChannelStore(sql, ChannelSecrets.withKeys(newKey, List.of(oldKey)));
        assertEquals("stored-in-clear", ((EmailConfig) rotated.find(project, clear).orElseThrow().config()).password(), "read as it is");
        // (Other tests' channels in this database were sealed with keys of their own: left as they are.)
        assertTrue(rotated.sealStoredSecrets().sealed() >= 2);
        assertFalse(storedConfig(clear).contains("stored-in-clear"));
        assertEquals(0, rotated.sealStoredSecrets().sealed(), "nothing left to seal");

        ChannelStore newOnly = new ChannelStore(sql, ChannelSecrets.withKeys(newKey, List.of()));
        assertEquals("stored-in-clear", ((EmailConfig) newOnly.find(project, clear).orElseThrow().config()).password());
        assertEquals("sealed-with-old-key", ((WebhookConfig) newOnly.find(project, sealedOld.id()).orElseThrow().config()).secret());
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class, () -> ChannelSecrets.withKeys("c2hvcnQ=", List.of()));
        assertTrue(badKey.getMessage().contains("32 bytes"), badKey.getMessage());
    }

    private String storedConfig(String id) {
        return sql.first("SELECT config::text FROM channel WHERE id = ?", rs -> rs.getString(1), id).orElseThrow();
    }

    private static ChannelConfig replace(ChannelType type, ChannelConfig stored, String body) throws Exception {
        return ChannelConfig.parse(type, JSON.readTree(body), stored);
    }

    private static List<ConfigProblem> refused(ChannelType type, ChannelConfig stored, String body) {
        return assertThrows(InvalidChannelException.class, () -> ChannelConfig.parse(type, JSON.readTree(body), stored)).problems();
    }

    private static List<String> paths(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::path).toList();
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
