package dev.journey.api.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.journey.api.project.Secrets;
import dev.journey.worker.channel.ChannelSecrets;

/** Where the channel-secrets key comes from: the environment, or the embedded run's data directory, never nowhere. */
class ChannelSecretsKeyTest {
    private final ChannelSecretsKey producer = new ChannelSecretsKey();

    @Test
    void anExternalDatabaseWithoutAKeyDoesNotStart(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> producer.channelSecrets(Optional.empty(), Optional.empty(), Optional.empty(), new Secrets(dir.toString())));
        assertTrue(e.getMessage().contains("JOURNEY_CHANNEL_SECRETS_KEY is not set"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("secrets.properties")), "nothing generated for an external database");
    }

    @Test
    void aBadKeyIsNamed(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> producer.channelSecrets(Optional.of("not-base64!"), Optional.empty(), Optional.empty(), new Secrets(dir.toString())));
        assertTrue(e.getMessage().startsWith("JOURNEY_CHANNEL_SECRETS_KEY: a channel-secrets key must be 32 bytes"), e.getMessage());
    }

    @Test
    void theEmbeddedRunGeneratesOneKeyOnceAndKeepsIt(@TempDir Path dir) throws Exception {
        Optional<String> embedded = Optional.of(dir.resolve("postgres").toString());
        assertNotNull(producer.channelSecrets(Optional.empty(), Optional.empty(), embedded, new Secrets(dir.toString())));
        String kept = new Secrets(dir.toString()).get("channel-secrets.key", null, () -> "not generated again");
        assertEquals(32, java.util.Base64.getDecoder().decode(kept).length);
        // A second start opens what the first sealed: the same key.
        ChannelSecrets again = producer.channelSecrets(Optional.empty(), Optional.of(List.of()), embedded, new Secrets(dir.toString()));
        assertNotNull(again);
        assertEquals(kept, new Secrets(dir.toString()).get("channel-secrets.key", null, () -> "not generated again"));
    }
}
