package dev.journey.api.channel;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.project.Secrets;
import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.channel.ChannelStore;
import io.quarkus.runtime.StartupEvent;

/**
 * The key channel secrets are sealed with: {@code JOURNEY_CHANNEL_SECRETS_KEY}, the same value
 * for the API and every worker. The embedded default generates one once and keeps it in the data
 * directory beside the database; with an external database the key must come from the
 * environment, since a key kept in a container's data directory would be lost with it.
 */
public class ChannelSecretsKey {
    private static final Logger LOG = Logger.getLogger(ChannelSecretsKey.class);

    /** A singleton, made when the worker is registered at start-up: a missing or bad key stops the start, not a send. */
    @Produces
    @Singleton
    ChannelSecrets channelSecrets(@ConfigProperty(name = "journey.channel-secrets.key") Optional<String> configured,
                                  @ConfigProperty(name = "journey.channel-secrets.previous-keys") Optional<List<String>> previous,
                                  @ConfigProperty(name = "journey.embedded-database") Optional<String> embeddedDatabase,
                                  Secrets secrets) {
        String key = configured.filter(k -> !k.isBlank()).orElse(null);
        if (key == null && embeddedDatabase.isEmpty()) {
            throw new IllegalStateException("JOURNEY_CHANNEL_SECRETS_KEY is not set: with an external database, set it (the same"
                    + " value for the API and every worker), e.g. to the output of: openssl rand -base64 32");
        }
        if (key == null) {
            key = secrets.get("channel-secrets.key", null, ChannelSecrets::newKey);
        }
        try {
            return ChannelSecrets.withKeys(key, previous.orElse(List.of()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("JOURNEY_CHANNEL_SECRETS_KEY: " + e.getMessage(), e);
        }
    }

    /** Seals what an older version stored in clear, or a previous key sealed, before anything reads it. */
    void sealStoredSecrets(@Observes StartupEvent start, ChannelStore channels) {
        ChannelStore.Resealed done = channels.sealStoredSecrets();
        if (done.sealed() > 0) {
            LOG.infof("sealed the stored secrets of %d channel(s) with the current channel-secrets key", done.sealed());
        }
        if (!done.unreadable().isEmpty()) {
            LOG.warnf("no configured channel-secrets key opens the secrets of channel(s) %s: their sends fail until the key that"
                    + " sealed them is set in JOURNEY_CHANNEL_SECRETS_PREVIOUS_KEYS", done.unreadable());
        }
    }
}
